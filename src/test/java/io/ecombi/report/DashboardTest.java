package io.ecombi.report;

import io.ecombi.EcombiRuntime;
import io.ecombi.run.PipelineRun;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.apache.camel.Exchange;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard page of a run on the KPI fixture plus one product whose name is an HTML attack, laid out by a
 * copy of templates/dashboard.ftlh that the tests edit.
 */
class DashboardTest {
    @TempDir
    static Path work;
    static EcombiRuntime rt;
    static PipelineRun run;
    static String html;
    static Path template;
    static String shipped;

    @BeforeAll
    static void runOnFixture() throws Exception {
        template = work.resolve("templates/dashboard.ftlh");
        copyTree(Path.of("templates"), template.getParent());
        shipped = Files.readString(Path.of("templates/dashboard.ftlh"));
        Map<String, String> o = TestRuntime.overrides(TestDatabase.newDatabase(), work);
        o.put("ecombi.report.template", template.toString());
        rt = TestRuntime.start(o);
        Sql.loadKpiFixture(rt.database().dataSource());
        // a mug in March 2026, and one on 2024-07-01 so that the data covers the previous 12-month window in full
        Sql.exec(rt.database().dataSource(), """
                INSERT INTO products VALUES (66, '<script>alert("x")</script> Mug', 'Home & Garden', 'Kitchen', 5, 10, 1);
                INSERT INTO orders VALUES (900, 4, '2026-03-10', 'Completed', 0, 0, 'Card'), (901, 4, '2024-07-01', 'Completed', 0, 0, 'Card');
                INSERT INTO order_items VALUES (900, 900, 66, 1, 10, 5), (901, 901, 66, 1, 10, 5);
                """);
        Exchange result = rt.runOnce("test", LocalDate.of(2026, 6, 30));
        assertThat(result.getException()).isNull();
        run = EcombiRuntime.runOf(result);
        html = Files.readString(work.resolve("reports/default/index.html"));
    }

    static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(target);
                else Files.copy(f, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @AfterAll
    static void stop() {
        if (rt != null) rt.close();
    }

    @Test
    void thePageParsesWithoutHtmlErrors() {
        Parser parser = Parser.htmlParser().setTrackErrors(50);
        Jsoup.parse(html, "", parser);
        assertThat(parser.getErrors()).isEmpty();
        assertThat(html).startsWith("<!DOCTYPE html>");
    }

    @Test
    void kpiCardsShowTheTrailingTwelveMonthsAgainstTheTwelveBefore() {
        Document doc = Jsoup.parse(html);
        assertThat(doc.select("#cards h3").text()).isEqualTo("The last 12 months 2025-07-01 to 2026-06-30");
        List<Element> cards = doc.select("#cards .card");   // the headline cards (the period cards are in #trend)
        assertThat(cards).hasSize(5);
        // (2025-06-30, 2026-06-30]: the fixture's 6 orders, net 445 (cost 255), and the March mug 10 (cost 5):
        // net 455, 7 orders, AOV 65, customers Alice, Bob, Cara, Dan; margin (455 - 260) / 455 = 42.857 %.
        // (2024-06-30, 2025-06-30]: the 2024-07-01 mug (10, cost 5) and order 109 (100, cost 60): net 110, 2 orders,
        // AOV 55, customers Dan and Alice; margin (110 - 65) / 110 = 40.909 %.
        String against = "vs 2024-07-01 to 2025-06-30";
        assertThat(card(cards, "Net revenue")).contains("$455.00").contains("▲ +313.6% " + against);   // (455 - 110) / 110
        assertThat(card(cards, "Orders")).contains("7").contains("▲ +250.0% " + against);
        assertThat(card(cards, "Average order value (net)")).contains("$65.00").contains("▲ +18.2% " + against);
        assertThat(card(cards, "Customers with a purchase")).contains("4").contains("▲ +100.0% " + against);
        assertThat(card(cards, "Gross margin on net sales")).contains("42.9%").contains("+1.9 pts " + against);   // 42.857 - 40.909 = 1.948 (from rates rounded to 2 places first: 1.95, "+2.0")
    }

    @Test
    void everyChartIsLinkedWithAltTextItsTableAndItsData() {
        Document doc = Jsoup.parse(html);
        // the route's twelve draw lines (the CLV hold-out chart is drawn only when the check ran; not on this shop), each with its table folded under it; the page links the image (it is
        // not embedded: the page stays light and a phone loads only what it scrolls to) and the chart's CSV
        assertThat(doc.select("figure[id^=chart-]")).hasSize(12);
        assertThat(doc.select("figure img")).allSatisfy(img -> {
            assertThat(img.attr("src")).doesNotStartWith("data:").matches("[a-z_]+(/[a-z_.]+)?\\.png");
            assertThat(run.dir().resolve(img.attr("src"))).isRegularFile();
            assertThat(img.attr("alt")).isNotBlank();
            assertThat(img.attr("loading")).isEqualTo("lazy");
        });
        assertThat(doc.select("figure[id^=chart-] + details > div.scroll > table")).hasSize(12);
        assertThat(doc.select("figure[id^=chart-] figcaption a:containsOwn(data)")).hasSize(12).allSatisfy(a ->
                assertThat(run.dir().resolve(a.attr("href"))).isRegularFile());
        assertThat(html).doesNotContain("data:image");
        assertThat(html).contains("run " + run.id()).contains("kpi monthly_revenue");
    }

    @Test
    void everyTableSaysWhatItsColumnsAreInWordsAndLinksItsCsv() {
        Document doc = Jsoup.parse(html);
        // headers come from config/labels.properties: no snake_case name reaches the reader
        assertThat(doc.select("table.rows th")).isNotEmpty().allSatisfy(th -> assertThat(th.text()).doesNotContain("_").matches(".*[A-Z0-9£$%].*"));
        assertThat(doc.select("th:matchesOwn(^(net revenue ma7|is complete month|countries folded)$)")).isEmpty();
        // each table's CSV link points at a file of the run
        assertThat(doc.select("table.rows")).allSatisfy(t -> {
            Element link = t.parent().nextElementSibling().selectFirst("a");
            assertThat(link).isNotNull();
            assertThat(run.dir().resolve(link.attr("href"))).isRegularFile();
        });
        // a time table shows its latest period first: the daily trend under its chart starts at the as-of date
        Element daily = doc.selectFirst("#chart-daily_trend + details table.rows tbody tr td");
        assertThat(daily.text()).isEqualTo("2026-06-30");
    }

    @Test
    void withoutAnApiKeyTheOfflineSummaryIsWrittenAndShown() throws Exception {
        String md = Files.readString(work.resolve("reports/default/executive_summary.md"));
        assertThat(md).startsWith("# Executive summary").contains("*Written offline: no API key configured")
                .contains("## Revenue").contains("## Recommended actions");
        // trailing-12-month net revenue of the fixture plus the March mug: 445 + 10, against 110 the 12 months before
        assertThat(md).contains("Over the 12 months from 2025-07-01 to 2026-06-30 the shop made $455.00 in net revenue from 7 orders")
                .contains("+313.6% against the 12 months from 2024-07-01 to 2025-06-30 ($110.00)");
        assertThat(Jsoup.parse(html).select("h2:containsOwn(Executive summary)")).hasSize(1);
        assertThat(Jsoup.parse(html).select("section:has(h2:containsOwn(Executive summary)) .summary h3")).extracting(Element::text)
                .contains("Revenue", "Margins", "Customers and churn", "Products", "Recommended actions");
    }

    @Test
    void theSummaryTheCardsAndTheTablesWriteEachFigureAlike() throws Exception {
        String md = Files.readString(work.resolve("reports/default/executive_summary.md"));
        Document doc = Jsoup.parse(html);
        // net revenue of the window, by hand 455 (see the cards test): the card and the summary write it alike
        assertThat(card(doc.select("#cards .card"), "Net revenue")).contains("$455.00");
        assertThat(md).contains("$455.00 in net revenue");
        // the leading country: Alice's 170 (order 100: 100 + 2 x 40 - 10) + 20 (order 101) = 190 of 455 = 41.76 %
        Element uk = doc.select("#geography table caption:containsOwn(Revenue by country)").first().parent()
                .select("tbody tr").stream().filter(r -> r.child(0).text().equals("United Kingdom")).findFirst().orElseThrow();
        assertThat(uk.select("td[data-label=Share of net revenue]").text()).isEqualTo("41.8%");
        assertThat(doc.select("#geography p").first().text()).contains("United Kingdom makes 41.8% of net revenue");
        assertThat(md).contains("United Kingdom brought 41.8%");
    }

    @Test
    void dataIsEscaped() {
        assertThat(html).doesNotContain("<script>alert");
        assertThat(html).contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Mug");
        assertThat(Jsoup.parse(html).select("script")).isEmpty();
    }

    @Test
    void aFullRunPublishesTheWholeFileSet() {
        Path reports = work.resolve("reports/default");
        assertThat(reports.resolve("index.html")).isRegularFile();
        assertThat(reports.resolve("run_summary.txt")).isRegularFile();
        for (String chart : List.of("monthly_revenue", "category_margins", "clv_distribution", "clv_tiers", "product_pareto", "churn_overview")) {
            assertThat(reports.resolve("visualizations/" + chart + ".png")).isRegularFile();
        }
        assertThat(reports.resolve("data/kpi_cards.csv")).isRegularFile();
        assertThat(run.dir().resolve(".part-index.html")).doesNotExist();
    }

    @Test
    void thePageAnswersTheQuestionsInTheTemplatesOrderAndPlacesEveryResult() {
        Document doc = Jsoup.parse(html);
        assertThat(doc.select("main > section")).extracting(Element::id)
                .containsExactly("growing", "summary", "moving", "next", "money", "customers", "marketing", "broken", "about");
        assertThat(doc.select("main > section.question > h2")).extracting(Element::text)
                .containsExactly("Are we growing?", "How is it moving?", "What happens next week?", "Where is the money?", "Who are our best customers?", "Is marketing working?", "Did something break?");
        assertThat(topics(doc, "growing")).containsExactly("cards");
        assertThat(topics(doc, "moving")).containsExactly("trend", "monthly");
        assertThat(topics(doc, "next")).containsExactly("forecast");
        assertThat(topics(doc, "money")).containsExactly("categories", "products", "geography", "payments");
        assertThat(topics(doc, "customers")).containsExactly("segments", "cohorts", "clv", "churn", "model", "recommend");
        assertThat(topics(doc, "marketing")).containsExactly("");   // the funnel: no Explore view of it yet
        assertThat(topics(doc, "broken")).containsExactly("anomalies", "quality");
        // where each chart went
        assertThat(doc.select("#monthly figure.chart")).extracting(Element::id).containsExactly("chart-monthly_revenue");
        assertThat(doc.select("#trend figure.chart")).extracting(Element::id).containsExactly("chart-daily_trend");
        assertThat(doc.select("#cohorts figure[id^=chart-]")).extracting(Element::id)
                .containsExactly("chart-cohort_monthly", "chart-retention_curve", "chart-cohort_weekly");
        assertThat(doc.select("#churn table caption")).extracting(Element::text).containsExactly("Churn rate");   // churn_rate under its chart
        // every chart and extra table is on the page in its place: nothing left for "More results"
        assertThat(doc.select("#more")).isEmpty();
        // no step hands the page HTML: every section is a template over the run's results
        assertThat(run.resultNames()).noneMatch(n -> n.endsWith("Html"));
        assertThat(run.resultNames()).contains("summaryMarkdown", "trend", "segments", "geography", "payments", "cohorts");
        assertThat(doc.select("#payments").text()).isNotBlank();
        assertThat(doc.select("#about td").first().text()).isEqualTo(run.id() + " (trigger test)");
    }

    @Test
    void anEditOfTheTemplatesCountsAtTheNextRun() throws Exception {
        Path payments = template.resolveSibling("sections/payments.ftlh");
        String shippedPayments = Files.readString(payments);
        try {
            // a section reworded without Java: the payment mix as one sentence per method, from the same result
            Files.writeString(payments, """
                    <#list results.payments.table.rows as r><p class="pay">${r[0]} paid for ${r[1]} orders</p></#list>
                    """);
            // and on the page: "Did something break?" moved to the top, a line added, "Where is the money?" left out
            String broken = shipped.substring(shipped.indexOf("<@question \"Did something break?\""));
            broken = broken.substring(0, broken.indexOf("</@question>") + "</@question>".length());
            String money = shipped.substring(shipped.indexOf("<@question \"Where is the money?\""));
            money = money.substring(0, money.indexOf("</@question>") + "</@question>".length());
            String edited = shipped.replace(broken, "").replace(money, money.replace("<@topic \"Which categories", "<!-- -->\n<@topic \"Which categories"))
                    .replace("<#include \"sections/summary.ftlh\">", broken + "\n<p id=\"hello\">Edited for run ${run.id}</p>\n<#include \"sections/summary.ftlh\">");
            Files.writeString(template, edited);
            Exchange next = rt.runOnce("test", LocalDate.of(2026, 6, 30));
            assertThat(next.getException()).isNull();
            PipelineRun second = EcombiRuntime.runOf(next);
            Document doc = Jsoup.parse(Files.readString(second.dir().resolve("index.html")));
            assertThat(doc.select("#hello").text()).isEqualTo("Edited for run " + second.id());
            assertThat(doc.select("main > section")).extracting(Element::id)
                    .containsExactly("growing", "broken", "summary", "moving", "next", "money", "customers", "marketing", "about");
            assertThat(doc.select("main > .warning")).isEmpty();
            // completed orders in (2025-06-30, 2026-06-30]: by card 106, 107, 104, 108 and the March mug's 900; by PayPal 100, 101
            assertThat(doc.select("#payments p.pay")).extracting(Element::text)
                    .containsExactly("Card paid for 5 orders", "PayPal paid for 2 orders");
            // a chart the edited page no longer places is not lost: it is under "More results"
            Files.writeString(template, shipped.replace("<@topic \"Which products make the revenue\" \"products\"><@chart \"product_pareto\"/></@topic>", ""));
            Exchange third = rt.runOnce("test", LocalDate.of(2026, 6, 30));
            assertThat(third.getException()).isNull();
            Document doc3 = Jsoup.parse(Files.readString(EcombiRuntime.runOf(third).dir().resolve("index.html")));
            assertThat(doc3.select("#more > section.topic")).extracting(Element::id).containsExactly("more-chart-product_pareto");
        } finally {
            Files.writeString(template, shipped);
            Files.writeString(payments, shippedPayments);
        }
    }

    @Test
    void aBrokenTemplateGivesTheBuiltInPageWithAWarningNamingFileLineAndColumn() throws Exception {
        Dashboard dashboard = new Dashboard(TestRuntime.settings(Map.of("ecombi.report.template", template.toString())));
        try {
            // a syntax error: a misspelt end tag on line 3; "<#list run.stages as s>${s.name}" is 32 characters, the tag's
            // "<" is column 33 and FreeMarker points at its "/", column 34
            Files.writeString(template, "<!DOCTYPE html>\n<html><body>\n<#list run.stages as s>${s.name}</#lst>\n</body></html>\n");
            assertThat(warningOf(dashboard, "dashboard template " + template + " line 3, column 34: ")).contains("Unknown directive: #lst");
            // the #if on line 3 is never closed: FreeMarker notices at the end of the file, after line 5's 14 characters
            Files.writeString(template, "<!DOCTYPE html>\n<html><body>\n<#if run.id??>\n<p>${run.id}</p>\n</body></html>\n");
            assertThat(warningOf(dashboard, "dashboard template " + template + " line 5, column 15: ")).contains("unclosed #if");
            // an error while rendering: an unknown name on line 2; after "<p>${" the expression starts at column 6
            Files.writeString(template, "<!DOCTYPE html>\n<p>${charts.nosuch.title}</p>\n");
            assertThat(warningOf(dashboard, "dashboard template " + template + " line 2, column 6: ")).contains("evaluated to null or missing: ==> charts.nosuch").doesNotContain("[in template");
            // escaping switched off is refused: names from the data could run
            Files.writeString(template, "<#ftl output_format=\"plainText\">\n<!DOCTYPE html>${run.id}\n");
            warningOf(dashboard, "dashboard template " + template + " turns HTML auto-escaping off");
            // no file at all
            Files.delete(template);
            warningOf(dashboard, "dashboard template " + template + " not found (setting ecombi.report.template)");
        } finally {
            Files.writeString(template, shipped);
        }
    }

    /** Renders the page, checks it is the built-in layout with the warning on top, returns the warning's text. */
    private static String warningOf(Dashboard dashboard, String start) throws Exception {
        List<String> warnings = new java.util.ArrayList<>();
        Document doc = Jsoup.parse(dashboard.html(run, warnings));
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).startsWith(start).endsWith("This page uses the built-in layout; fix the file and the next run uses it.");
        assertThat(doc.select("main > .warning")).hasSize(1);
        assertThat(doc.select("main > .warning").text()).isEqualTo("Warning: " + warnings.get(0));
        // the built-in layout: every section and chart of the run is there
        assertThat(doc.select("main > section")).extracting(Element::id)
                .containsExactly("growing", "summary", "moving", "next", "money", "customers", "marketing", "broken", "about");
        assertThat(doc.select("figure[id^=chart-]")).hasSize(12);
        return warnings.get(0);
    }

    private static List<String> topics(Document doc, String question) {
        return doc.select("#" + question + " > section.topic").stream().map(Element::id).toList();
    }

    private static String card(List<Element> cards, String label) {
        return cards.stream().filter(c -> c.selectFirst(".label").text().equals(label)).findFirst().orElseThrow().text();
    }

    /** The KPI fixture has orders but no web events: the marketing question says there is no funnel, never a funnel of zeros. */
    @Test
    void withoutWebEventsTheMarketingQuestionSaysThereIsNoFunnel() {
        assertThat(html).contains("Is marketing working?", "This data has no web events in the last 12 months (2025-07-01 to 2026-06-30)")
                .doesNotContain("Of the step before");
    }
}
