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

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard page of a run on the KPI fixture plus one product whose name is an HTML attack. */
class DashboardTest {
    @TempDir
    static Path work;
    static EcombiRuntime rt;
    static PipelineRun run;
    static String html;

    @BeforeAll
    static void runOnFixture() throws Exception {
        rt = TestRuntime.start(TestRuntime.overrides(TestDatabase.newDatabase(), work));
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
        html = Files.readString(work.resolve("reports/index.html"));
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
        assertThat(doc.select("section h2").first().text()).isEqualTo("The last 12 months 2025-07-01 to 2026-06-30");
        List<Element> cards = doc.select("section").first().select(".card");   // the headline cards (the period cards come later)
        assertThat(cards).hasSize(5);
        // (2025-06-30, 2026-06-30]: the fixture's 6 orders, net 445 (cost 255), and the March mug 10 (cost 5):
        // net 455, 7 orders, AOV 65, customers Alice, Bob, Cara, Dan; margin (455 - 260) / 455 = 42.86 %.
        // (2024-06-30, 2025-06-30]: the 2024-07-01 mug (10, cost 5) and order 109 (100, cost 60): net 110, 2 orders,
        // AOV 55, customers Dan and Alice; margin (110 - 65) / 110 = 40.91 %.
        String against = "vs 2024-07-01 to 2025-06-30";
        assertThat(card(cards, "Net revenue")).contains("$455.00").contains("▲ +313.6% " + against);   // (455 - 110) / 110
        assertThat(card(cards, "Orders")).contains("7").contains("▲ +250.0% " + against);
        assertThat(card(cards, "Average order value (net)")).contains("$65.00").contains("▲ +18.2% " + against);
        assertThat(card(cards, "Customers with a purchase")).contains("4").contains("▲ +100.0% " + against);
        assertThat(card(cards, "Gross margin on net sales")).contains("42.9%").contains("+2.0 pts " + against);   // 42.86 - 40.91
    }

    @Test
    void everyChartIsEmbeddedWithAltTextAndItsTable() {
        Document doc = Jsoup.parse(html);
        // the route's twelve draw lines (six of the first suites, six of issue 12), each with its table, and the
        // revenue-retention heatmap inside the cohort section (drawForSection: shown once, under its grid);
        // the forecast section has its own charts, below
        assertThat(doc.select("section:not(#forecast) figure img")).hasSize(13).allSatisfy(img -> {
            assertThat(img.attr("src")).startsWith("data:image/png;base64,");
            assertThat(img.attr("alt")).isNotBlank();
        });
        assertThat(doc.select("section:has(h2:containsOwn(come back? Cohorts)) figure img")).hasSize(1);
        assertThat(doc.select("section:not(#forecast):not(:has(h2:containsOwn(come back? Cohorts))):has(figure) table")).hasSize(12);
        // forecast of net revenue, of orders, the decomposition, and the weekly units of the top categories
        assertThat(doc.select("#forecast figure img")).hasSize(4).allSatisfy(img -> assertThat(img.attr("alt")).isNotBlank());
        assertThat(html).contains("run " + run.id()).contains("kpi monthly_revenue");
    }

    @Test
    void withoutAnApiKeyTheOfflineSummaryIsWrittenAndShown() throws Exception {
        String md = Files.readString(work.resolve("reports/executive_summary.md"));
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
    void dataIsEscaped() {
        assertThat(html).doesNotContain("<script>alert");
        assertThat(html).contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Mug");
        assertThat(Jsoup.parse(html).select("script")).isEmpty();
    }

    @Test
    void aFullRunPublishesTheWholeFileSet() {
        Path reports = work.resolve("reports");
        assertThat(reports.resolve("index.html")).isRegularFile();
        assertThat(reports.resolve("run_summary.txt")).isRegularFile();
        for (String chart : List.of("monthly_revenue", "category_margins", "clv_distribution", "clv_tiers", "product_pareto", "churn_overview")) {
            assertThat(reports.resolve("visualizations/" + chart + ".png")).isRegularFile();
        }
        assertThat(reports.resolve("data/kpi_cards.csv")).isRegularFile();
        assertThat(run.dir().resolve(".part-index.html")).doesNotExist();
    }

    private static String card(List<Element> cards, String label) {
        return cards.stream().filter(c -> c.selectFirst(".label").text().equals(label)).findFirst().orElseThrow().text();
    }
}
