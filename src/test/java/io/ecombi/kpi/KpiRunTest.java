package io.ecombi.kpi;

import io.ecombi.EcombiRuntime;
import io.ecombi.run.PipelineRun;
import io.ecombi.testing.TestRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-made fixture of KpiQueriesTest (src/test/resources/fixtures/kpi_fixture.sql) through the
 * whole pipeline, for what the run adds to the KPI queries: the churn model's training set, the
 * geography section of the page, and every KPI's CSV file in the run folder and reports/data.
 */
class KpiRunTest {
    @TempDir
    static Path work;
    static EcombiRuntime rt;
    static PipelineRun run;

    @BeforeAll
    static void runOnFixture() throws Exception {
        rt = TestRuntime.startOnFixture(work, "kpi_fixture.sql", Map.of());
        run = TestRuntime.succeededRun(rt, LocalDate.of(2026, 6, 30));
    }

    @AfterAll
    static void stop() {
        if (rt != null) rt.close();
    }

    @Test
    void churnTrainingFeaturesUseNothingAfterTheCutoff() throws Exception {
        // cutoff = 2026-06-30 - 90 days = 2026-04-01. Active at the cutoff (2+ completed orders, one after 2026-01-01):
        // only Bob (106 on 01-10, 104 on 04-01). Cara's second order is on 04-02 and Alice had one order by then.
        // Bob at the cutoff: spent 20 + (100 - 5) net; registered 2025-06-01 -> 304 days; last order on the cutoff day;
        // the 03-01 ticket is recent (after 01-01), the 05-01 ticket is later and must not count;
        // gap 81 days; 1 ticket / 2 orders; 2 orders in the last 90 days, none in the 90 before; no completed order after
        // the cutoff -> churned. Window revenue at his pace: 115 over 2026-01-10..04-01 (82 days, floored at 90) -> 115.00.
        // Ticket resolution and order status are current values with no date: not features.
        List<String> lines = Files.readAllLines(run.dir().resolve("data/churn_training_set.csv"));
        assertThat(lines).containsExactly(
                "customer_id,total_orders,total_spent,avg_order_value,customer_tenure_days,days_since_last_order,recent_support_tickets,"
                        + "avg_days_per_order,ticket_to_order_ratio,orders_last_window,orders_prior_window,expected_window_revenue,churned_next_window",
                "2,2,115.00,57.50,304,0,1,81.00,0.5000,2,0,115.00,true");
        // one customer is too few to train on: the run says so, publishes nothing of the model and goes on
        assertThat(Files.readString(run.dir().resolve("model_results.txt"))).contains("NO USABLE MODEL: 1 customers were active at the cutoff");
    }

    @Test
    void aShopWithoutRegionsOrStatesGetsNoRegionRowsAndTheSectionSaysSo() throws Exception {
        // the fixture's customers and orders give a country only, like UCI and the demo shop
        KpiTable t = run.kpi("geography_regions");
        assertThat(t.rowCount()).isZero();
        io.ecombi.segment.SegmentStep.Geography geo = (io.ecombi.segment.SegmentStep.Geography) run.get("geography");
        assertThat(geo.regionsComputed()).isTrue();
        assertThat(geo.levels()).isEmpty();
        org.jsoup.select.Elements section = org.jsoup.Jsoup.parse(java.nio.file.Files.readString(run.dir().resolve("index.html"))).select("#geography");
        assertThat(section.text()).contains("By region or state: this data has none");
        assertThat(section.select("h4")).isEmpty();   // no "By region" or "By state" table
    }

    @Test
    void everyKpiIsWrittenToItsCsvFileInTheRunFolder() throws Exception {
        for (KpiTable t : run.kpis().values()) {
            assertThat(t.csv()).exists();
            List<String> lines = Files.readAllLines(t.csv());
            // a table without rows (geography_regions here: no regions in the fixture) has no header either:
            // camel-sql's stream gives no column names without a row
            if (t.rowCount() == 0) { assertThat(lines).as(t.name()).isEmpty(); continue; }
            assertThat(lines).hasSize((int) t.rowCount() + 1);
            assertThat(lines.get(0)).isEqualTo(String.join(",", t.columns()));
        }
        assertThat(work.resolve("reports/default/data/product_pareto.csv")).hasContent(
                Files.readString(run.dir().resolve("data/product_pareto.csv")));
    }
}
