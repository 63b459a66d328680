package io.ecombi.churn;

import io.ecombi.EcombiRuntime;
import io.ecombi.kpi.KpiTable;
import io.ecombi.run.PipelineRun;
import io.ecombi.testing.Sql;
import io.ecombi.testing.KpiHarness;
import io.ecombi.testing.TestRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one churn rate, its groups, the training population and the window revenue on the hand-made
 * shop of src/test/resources/fixtures/churn_fixture.sql (as-of 2026-06-30, window 90 days, so the
 * window starts 2026-04-01 and "active" then means an order in (2026-01-01, 2026-04-01]).
 */
class ChurnSqlTest {
    static final LocalDate AS_OF = LocalDate.of(2026, 6, 30);
    @TempDir
    static Path work;
    static EcombiRuntime rt;
    static PipelineRun run;

    @BeforeAll
    static void runOnFixture() throws Exception {
        // the fixture's five active customers: a rate stated from five (the default minimum is larger)
        rt = TestRuntime.startOnFixture(work, "churn_fixture.sql", Map.of("ecombi.churn.min-rate-customers", "5"));
        run = TestRuntime.succeededRun(rt, AS_OF);
    }

    @AfterAll
    static void stop() {
        if (rt != null) rt.close();
    }

    @Test
    void oneChurnRateWithItsDefinitionWindowAndPopulation() {
        KpiTable t = run.kpi("churn_rate");
        assertThat(t.rowCount()).isEqualTo(1);
        // active on 2026-04-01: Ann, Ben, Cal (his Returned order does not count, two completed do), Hal (order on 04-01 itself), Ivy.
        // Not: Dee (one order by then), Eve (last 2025-08-01), Gus (last exactly 2026-01-01, outside), Fay and Jon (none), the guest sale.
        // Churned: Ben (only a credit note since), Cal (only a cancelled order), Hal (his next order is after the as-of date) = 3 of 5.
        assertThat(t.value(0, "window_start").toString()).isEqualTo("2026-04-01");
        assertThat(t.value(0, "window_end").toString()).isEqualTo("2026-06-30");
        assertThat(t.number(0, "population")).isEqualTo(5);
        assertThat(t.number(0, "churned")).isEqualTo(3);
        assertThat(t.number(0, "retained")).isEqualTo(2);
        assertThat(t.value(0, "churn_rate_pct").toString()).isEqualTo("60.00");
        assertThat(t.value(0, "definition").toString()).isEqualTo("share of the customers active on 2026-04-01 (2+ completed orders, one in the "
                + "90 days up to that day) who made no completed purchase in the 90 days after it, to 2026-06-30");
    }

    @Test
    void belowItsMinimumPopulationTheRateIsNotStatedAndSaysWhy() {
        try (KpiHarness h = KpiHarness.start(Map.of("ecombi.churn.min-rate-customers", "6")).load("churn_fixture.sql")) {
            KpiTable t = h.run(AS_OF, "churn_rate").kpi("churn_rate");
            // the same five customers, three churned: counted, but five is under six, so no rate
            assertThat(t.number(0, "population")).isEqualTo(5);
            assertThat(t.number(0, "churned")).isEqualTo(3);
            assertThat(t.value(0, "churn_rate_pct")).isNull();
            assertThat(t.value(0, "withheld")).isEqualTo("not stated: 5 customers were active on 2026-04-01, under the 6 a rate needs (ecombi.churn.min-rate-customers)");
        }
        assertThat(run.kpi("churn_rate").value(0, "withheld")).isNull();
    }

    @Test
    void groupsAreNamedForWhatTheyAreAndGiveTheSameRate() {
        KpiTable t = run.kpi("churn_summary");
        assertThat(column(t, "status")).containsExactly("active", "churned", "new or reactivated", "lapsed before the window", "one order so far");
        assertThat(column(t, "customers")).containsExactly("2", "3", "3", "1", "1");
        // days since the last order on 2026-06-30: Ann 51, Ivy 0 | Ben 102, Cal 97, Hal 90 | Dee 56, Gus 15, Jon 20 | Eve 333 | Fay 10
        assertThat(column(t, "avg_days_since_last_order")).containsExactly("25.5", "96.3", "30.3", "333.0", "10.0");
        // completed sale orders: Ann 3, Ivy 3 | 2, 2, 2 | Dee 2, Gus 3, Jon 2 | 2 | 1
        assertThat(column(t, "avg_orders")).containsExactly("3.00", "2.00", "2.33", "2.00", "1.00");
        // the summary's rate churned / (active + churned) is the KPI's
        assertThat(3.0 / (2 + 3)).isEqualTo(run.kpi("churn_rate").number(0, "churned") / run.kpi("churn_rate").number(0, "population"));
        assertThat(column(run.kpi("churn_features"), "churn_group")).containsExactly("active", "churned", "churned", "new or reactivated",
                "lapsed before the window", "one order so far", "new or reactivated", "churned", "active", "new or reactivated");
    }

    @Test
    void theModelTrainsOnExactlyTheChurnRatePopulation() throws Exception {
        List<String> lines = Files.readAllLines(run.dir().resolve("data/churn_training_set.csv"));
        List<String> idsAndLabels = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] c = l.split(",");
            idsAndLabels.add(c[0] + "=" + c[c.length - 1]);
        }
        assertThat(idsAndLabels).containsExactly("1=false", "2=true", "3=true", "8=true", "9=false");
        assertThat(lines.get(0)).doesNotContain("unresolved_tickets").doesNotContain("return_rate");
        // five customers are too few: nothing is published, and the report says why
        assertThat(Files.readString(run.dir().resolve("model_results.txt")))
                .contains("NO USABLE MODEL: 5 customers were active at the cutoff 2026-04-01 (200 needed")
                .contains("Churn rate: 60.00% = 3 of the 5 customers active on 2026-04-01");
        assertThat(run.dir().resolve("data/churn_scores.csv")).doesNotExist();
        assertThat(run.dir().resolve("data/retention_targets.csv")).doesNotExist();
        assertThat(run.get(ChurnModelStep.PUBLISHED_KEY)).isEqualTo(false);
        // the dashboard shows the same rate with its definition
        String page = Files.readString(run.dir().resolve("index.html"));
        org.jsoup.nodes.Element rate = org.jsoup.Jsoup.parse(page).selectFirst("#churn table:has(> caption:matchesOwn(^Churn rate$))");
        assertThat(rate).isNotNull();
        assertThat(rate.text()).contains("share of the customers active on 2026-04-01");
        // the model section: no model, why, and the rate (60.0% = 3 of 5) under "What churn means here"
        ModelSection s = (ModelSection) run.get(ModelReport.SECTION_KEY);
        assertThat(s.verdict()).isEqualTo("No usable model: 5 customers were active at the cutoff 2026-04-01 (200 needed: "
                + "ecombi.churn.min-training-rows). No scores, risk bands, retention list or revenue at risk are published for this run.");
        assertThat(s.evaluation()).isNull();
        assertThat(s.warnings()).isEmpty();
        org.jsoup.nodes.Element model = org.jsoup.Jsoup.parse(page).getElementById("model");
        assertThat(model.select("p.note").text()).isEqualTo(s.verdict());
        assertThat(model.select("table, img")).isEmpty();
        assertThat(model.selectFirst("details").text()).contains("Churn rate: 60.0% = 3 of the 5 customers active on 2026-04-01 did not buy by 2026-06-30");
    }

    @Test
    void windowRevenueIsTheNetRevenueOfNinetyDaysAtThePastPace() {
        Map<Long, Map<String, Object>> f = features(AS_OF, AS_OF);
        // active on the as-of date: Ann, Dee, Gus, Ivy, Jon (Ben's credit note is not a purchase; Hal's 04-01 is not after 04-01)
        assertThat(f.keySet()).containsExactly(1L, 4L, 7L, 9L, 10L);
        // Ann: 100 + (60 + 40 - 10) + (200 - 20) - credit note 30 = 340 net, 3 orders; history 2025-12-01..2026-06-30 = 212 days:
        // 340 / 212 x 90 = 144.34
        Map<String, Object> ann = f.get(1L);
        assertThat(ann.get("total_orders").toString()).isEqualTo("3");
        assertThat(ann.get("total_spent").toString()).isEqualTo("340.00");
        assertThat(ann.get("avg_order_value").toString()).isEqualTo("113.33");
        assertThat(ann.get("customer_value").toString()).isEqualTo("340.00");
        assertThat(ann.get("expected_window_revenue").toString()).isEqualTo("144.34");
        // Dee: 50 + 70 over 2026-03-10..06-30 = 113 days: 120 / 113 x 90 = 95.58
        assertThat(f.get(4L).get("expected_window_revenue").toString()).isEqualTo("95.58");
        // Gus: 300 over 242 days: 111.57; Ivy: 300 over 141 days: 191.49
        assertThat(f.get(7L).get("expected_window_revenue").toString()).isEqualTo("111.57");
        assertThat(f.get(9L).get("expected_window_revenue").toString()).isEqualTo("191.49");
        // Jon: 90 over 61 days is too short to measure a pace: floored at 90 days -> 90 / 90 x 90 = 90.00
        assertThat(f.get(10L).get("expected_window_revenue").toString()).isEqualTo("90.00");
    }

    static Map<Long, Map<String, Object>> features(LocalDate featureDate, LocalDate labelEnd) {
        Map<Long, Map<String, Object>> out = new java.util.LinkedHashMap<>();
        for (Map<String, Object> r : featureRows(rt, featureDate, labelEnd)) out.put(((Number) r.get("customer_id")).longValue(), r);
        return out;
    }

    /** The rows of sql/churn/features_as_of.sql (its temp table churn_features) in customer order, as the churn step reads them. */
    static List<Map<String, Object>> featureRows(EcombiRuntime rt, LocalDate featureDate, LocalDate labelEnd) {
        List<Map<String, Object>> rows = new ArrayList<>();
        try {
            ChurnStore.withFeatures(rt.database().dataSource(), Path.of("sql"), featureDate, labelEnd, c -> {
                try (var s = c.createStatement(); var rs = s.executeQuery("SELECT * FROM churn_features ORDER BY customer_id")) {
                    while (rs.next()) {
                        Map<String, Object> row = new java.util.LinkedHashMap<>();
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                        rows.add(row);
                    }
                }
            });
        } catch (java.io.IOException | java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    static List<String> column(KpiTable t, String name) {
        List<String> out = new ArrayList<>();
        for (int r = 0; r < t.rows().size(); r++) out.add(String.valueOf(t.value(r, name)));
        return out;
    }
}
