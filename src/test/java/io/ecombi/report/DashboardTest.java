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
        // in March 2026: outside every month the cards compare
        Sql.exec(rt.database().dataSource(), """
                INSERT INTO products VALUES (66, '<script>alert("x")</script> Mug', 'Home & Garden', 'Kitchen', 5, 10, 1);
                INSERT INTO orders VALUES (900, 4, '2026-03-10', 'Completed', 0, 0, 'Card');
                INSERT INTO order_items VALUES (900, 900, 66, 1, 10, 5);
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
    void kpiCardsShowJuneAgainstMayAndJuneAYearEarlier() {
        Document doc = Jsoup.parse(html);
        assertThat(doc.select("section h2").first().text()).startsWith("June 2026");
        List<Element> cards = doc.select(".card");
        assertThat(cards).hasSize(5);
        // June 2026: order 101 only (Book, 20; cost 15). May: order 100 (180, discount 10; cost 80). June 2025: order 109 (100; cost 60).
        assertThat(card(cards, "Revenue")).contains("$20.00").contains("▼ -88.9% vs previous month").contains("▼ -80.0% vs a year earlier");
        assertThat(card(cards, "Orders")).contains("1").contains("■ +0.0% vs previous month");
        // AOV = net revenue / orders: 20 vs 170 (May) vs 100
        assertThat(card(cards, "Average order value")).contains("$20.00").contains("-88.2% vs previous month").contains("-80.0% vs a year earlier");
        assertThat(card(cards, "Active customers")).contains("1");
        // margin 25.0 % vs 55.6 % (100 / 180) -> -30.6 points; vs 40 % -> -15.0 points
        assertThat(card(cards, "Gross margin")).contains("25.0%").contains("-30.6 pts vs previous month").contains("-15.0 pts vs a year earlier");
    }

    @Test
    void everyChartIsEmbeddedWithAltTextAndItsTable() {
        Document doc = Jsoup.parse(html);
        assertThat(doc.select("figure img")).hasSize(6).allSatisfy(img -> {
            assertThat(img.attr("src")).startsWith("data:image/png;base64,");
            assertThat(img.attr("alt")).isNotBlank();
        });
        assertThat(doc.select("section:has(figure) table")).hasSize(6);
        assertThat(html).contains("run " + run.id()).contains("kpi monthly_revenue");
    }

    @Test
    void withoutAnApiKeyTheOfflineSummaryIsWrittenAndShown() throws Exception {
        String md = Files.readString(work.resolve("reports/executive_summary.md"));
        assertThat(md).startsWith("# Executive summary").contains("*Written offline: no API key configured")
                .contains("## Revenue").contains("## Recommended actions");
        // 12-month revenue of the fixture plus the March mug: 460 + 10
        assertThat(md).contains("$470.00 in revenue");
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
