package io.ecombi.segment;

import io.ecombi.EcombiRuntime;
import io.ecombi.kpi.KpiTable;
import io.ecombi.run.PipelineRun;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runs of SegmentsTest (src/test/resources/fixtures/segments_fixture.sql, as of 2026-05-20 then
 * 2026-06-30, top 2 countries and regions) through the whole pipeline, for what the run adds to the
 * SQL: the retention curve table, the geography and segment sections of the page, and the bi store
 * of every KPI table. The figures are SegmentsTest's, worked out there.
 */
class SegmentsPageTest {
    @TempDir
    static Path work;
    static EcombiRuntime rt;
    static PipelineRun may;
    static PipelineRun june;

    @BeforeAll
    static void runTwiceOnFixture() throws Exception {
        rt = TestRuntime.startOnFixture(work, "segments_fixture.sql", SegmentsTest.SETTINGS);
        may = TestRuntime.succeededRun(rt, LocalDate.of(2026, 5, 20));
        june = TestRuntime.succeededRun(rt, LocalDate.of(2026, 6, 30));
    }

    @AfterAll
    static void stop() {
        if (rt != null) rt.close();
    }

    @Test
    void theRetentionCurveIsATableOfItsOwn() {
        // the curve as its own table, one row per month since: k = 0 over all six cohorts, 100 %
        KpiTable curve = june.kpi("cohort_retention_curve");
        assertThat(column(curve, "months_since").subList(0, 5)).containsExactly("0", "1", "2", "3", "4");
        assertThat(column(curve, "cohorts").subList(0, 5)).containsExactly("6", "5", "5", "4", "3");
        assertThat(column(curve, "avg_customer_retention_pct").subList(0, 5)).containsExactly("100.00", "0.00", "40.00", "25.00", "33.33");
        assertThat(column(curve, "avg_revenue_retention_pct").get(2)).isEqualTo("64.52");
    }

    @Test
    void theGeographySectionLeadsWithTheTopRegionAndNamesWhatItFolded() throws Exception {
        // 550 of 1,280 in the West; IDF, BE, SCT and BY folded (SegmentsTest.regionsAndStatesTheOrdersOwnPlaceFirst...)
        SegmentStep.Geography geo = (SegmentStep.Geography) june.get("geography");
        assertThat(geo.levels()).extracting(SegmentStep.AreaLevel::level).containsExactly("region", "state");
        assertThat(geo.levels().get(0).leader()).isEqualTo(new SegmentStep.Share("West", "43.0%"));   // 550 / 1,280 = 42.97 %
        assertThat(geo.levels().get(1).folded()).containsExactly(new SegmentStep.Folded("Other (4 states)", 4, "19.5%"));
        String text = org.jsoup.Jsoup.parse(Files.readString(june.dir().resolve("index.html"))).select("#geography").text();
        assertThat(text).contains("By region", "West makes 43.0% of net revenue (2025-07-01 to 2026-06-30)",
                "By state", "Other (4 states) folds the 4 states after the top 2 (19.5% of net revenue)");
    }

    @Test
    void everyKpiTableIsInTheBiStoreAndTheDashboardShowsTheSections() throws Exception {
        DataSource ds = rt.database().dataSource();
        assertThat(Sql.one(ds, "SELECT count(*) FROM bi.kpi_tables WHERE run_id = ?", june.id())).isEqualTo((long) june.kpis().size());
        // the README's example: Champions' share of revenue per run
        List<Map<String, Object>> rows = Sql.rows(ds, "SELECT t.as_of, CAST(r.row->>'revenue_share_pct' AS numeric) AS share"
                + " FROM bi.kpi_rows r JOIN bi.kpi_tables t USING (run_id, kpi) JOIN bi.pipeline_runs p USING (run_id)"
                + " WHERE r.kpi = 'rfm_segments' AND r.row->>'segment' = 'Champions' AND p.status = 'succeeded' ORDER BY t.as_of");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).get("share").toString()).isEqualTo("21.13");
        // a per-customer table goes in whole
        assertThat(Sql.one(ds, "SELECT count(*) FROM bi.kpi_rows WHERE run_id = ? AND kpi = 'rfm_customers'", june.id())).isEqualTo(7L);
        // the revenue-retention heatmap sits in the cohort section, under its grid
        org.jsoup.nodes.Document page = org.jsoup.Jsoup.parse(Files.readString(june.dir().resolve("index.html")));
        assertThat(page.select("#cohorts details figure img").attr("src")).isEqualTo("visualizations/cohort_revenue_retention.png");
        assertThat(page.text()).contains("Who are our best customers? RFM segments", "Movement since run " + may.id(),
                "Do the customers we win come back? Cohorts", "United States makes 39.1%", "Other (4 countries) folds the 4 countries",
                "Last 7 days (WoW)", "vs 2026-06-17 to 2026-06-23");
        for (String png : new String[]{"rfm_segments.png", "cohort_monthly.png", "cohort_weekly.png", "retention_curve.png",
                "daily_trend.png", "geography_countries.png", "cohort_revenue_retention.png"}) {
            assertThat(june.dir().resolve("visualizations").resolve(png)).isRegularFile();
        }
    }

    private static List<String> column(KpiTable t, String column) {
        return t.rows().stream().map(r -> r[t.column(column)] == null ? "" : r[t.column(column)].toString()).toList();
    }
}
