package io.ecombi.churn;

import io.ecombi.testing.KpiHarness;
import io.ecombi.testing.Sql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The reasons' arithmetic on the hand-made shop of churn_fixture.sql, scored as of 2026-06-30 by a
 * hand-made model (no Weka: the terms are written as the churn step writes them), so every
 * contribution is worked out on paper:
 * <pre>
 *   term                    mean  sd   coefficient (per sd)
 *   days_since_last_order   30    10    0.5
 *   orders_last_window       1    0.5  -0.4
 *   total_orders             2.5  0.5  -0.2
 *   avg_days_per_order      60    20    0.1
 *   customer_tenure_days   200   100    2.0   not stable: in the score, never a reason
 *   (intercept)                         -1
 * </pre>
 * The customers scored (active on the as-of date) and their features (worked out in ChurnSqlTest's
 * comments and the fixture's order dates; window 90 days, so "last window" is after 2026-04-01):
 * <pre>
 *            last order   days since  orders  in window  gap (first..last)/(orders-1)
 *   Ann  1   2026-05-10   51          3       1          2025-12-01..05-10 = 160 / 2 = 80
 *   Dee  4   2026-05-05   56          2       1          2026-03-10..05-05 = 56
 *   Gus  7   2026-06-15   15          3       1          2025-11-01..06-15 = 226 / 2 = 113
 *   Ivy  9   2026-06-30    0          3       1          2026-02-10..06-30 = 140 / 2 = 70
 *   Jon 10   2026-06-10   20          2       2          2026-05-01..06-10 = 40
 * </pre>
 */
class ChurnReasonsTest {
    static final LocalDate AS_OF = LocalDate.of(2026, 6, 30);
    static KpiHarness h;
    static long runId;

    @BeforeAll
    static void score() throws Exception {
        h = KpiHarness.start().load("churn_fixture.sql");
        runId = h.run(AS_OF).id();
        Sql.exec(h.dataSource(), "INSERT INTO bi.churn_models (run_id, cutoff_date, as_of, train_rows, metadata, published, verdict) "
                + "VALUES (" + runId + ", '2026-04-01', '2026-06-30', 200, '{}', true, 'published: hand-made')");
        Sql.exec(h.dataSource(), "INSERT INTO bi.churn_model_terms (run_id, feature, mean, std_dev, coefficient) VALUES "
                + "(" + runId + ", 'days_since_last_order', 30, 10, 0.5), (" + runId + ", 'orders_last_window', 1, 0.5, -0.4), "
                + "(" + runId + ", 'total_orders', 2.5, 0.5, -0.2), (" + runId + ", 'avg_days_per_order', 60, 20, 0.1), "
                + "(" + runId + ", '(intercept)', 0, 1, -1)");
        Sql.exec(h.dataSource(), "INSERT INTO bi.churn_model_terms (run_id, feature, mean, std_dev, coefficient, stable) VALUES "
                + "(" + runId + ", 'customer_tenure_days', 200, 100, 2.0, false)");
        new ChurnStore(h.dataSource(), h.settings().path("ecombi.sql.dir"), List.of()).score(runId, AS_OF);
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    static List<Map<String, Object>> reasons(long customer) {
        return h.query("SELECT rank, feature, contribution, reason FROM bi.churn_reasons WHERE run_id = ? AND customer_id = ? AND rank <= 3 ORDER BY rank",
                runId, customer);
    }

    static void assertReason(Map<String, Object> row, String feature, double contribution, String words) {
        assertThat(row.get("feature")).isEqualTo(feature);
        assertThat(((Number) row.get("contribution")).doubleValue()).isCloseTo(contribution, within(1e-9));
        assertThat(row.get("reason")).isEqualTo(words);
    }

    @Test
    void annIsPushedTowardsChurnMostByHerSilenceAgainstHerUsualGap() {
        // days since: 0.5 x (51 - 30) / 10 = +1.05; total orders: -0.2 x (3 - 2.5) / 0.5 = -0.2;
        // gap: 0.1 x (80 - 60) / 20 = +0.1; orders in the window: -0.4 x (1 - 1) / 0.5 = 0, no reason
        List<Map<String, Object>> r = reasons(1);
        assertThat(r).hasSize(3);
        assertReason(r.get(0), "days_since_last_order", 1.05, "no order for 51 days, usual gap 80: raises the risk");
        assertReason(r.get(1), "total_orders", -0.2, "3 orders in all (average customer 2.5): lowers the risk");
        assertReason(r.get(2), "avg_days_per_order", 0.1, "usually 80 days between orders (average customer 60): raises the risk");
    }

    @Test
    void jonsReasonsAreWhatKeepsHisScoreLow() {
        // orders in the window: -0.4 x (2 - 1) / 0.5 = -0.8; days since: 0.5 x (20 - 30) / 10 = -0.5;
        // total orders: -0.2 x (2 - 2.5) / 0.5 = +0.2; gap: 0.1 x (40 - 60) / 20 = -0.1 (fourth: left out)
        List<Map<String, Object>> r = reasons(10);
        assertThat(r).hasSize(3);
        assertReason(r.get(0), "orders_last_window", -0.8, "2 orders in the last 90 days (average customer 1.0): lowers the risk");
        assertReason(r.get(1), "days_since_last_order", -0.5, "no order for 20 days, usual gap 40: lowers the risk");
        assertReason(r.get(2), "total_orders", 0.2, "2 orders in all (average customer 2.5): raises the risk");
    }

    @Test
    void rankedBySizeEitherWay() {
        // Gus: days since 0.5 x (15 - 30) / 10 = -0.75; gap 0.1 x (113 - 60) / 20 = +0.265; total orders -0.2
        assertThat(reasons(7)).extracting(m -> m.get("feature")).containsExactly("days_since_last_order", "avg_days_per_order", "total_orders");
        assertThat(((Number) reasons(7).get(1).get("contribution")).doubleValue()).isCloseTo(0.265, within(1e-9));
        // Dee: days since +1.3, total orders +0.2, gap 0.1 x (56 - 60) / 20 = -0.02
        assertThat(reasons(4)).extracting(m -> ((Number) m.get("contribution")).doubleValue())
                .satisfiesExactly(c -> assertThat(c).isCloseTo(1.3, within(1e-9)), c -> assertThat(c).isCloseTo(0.2, within(1e-9)),
                        c -> assertThat(c).isCloseTo(-0.02, within(1e-9)));
    }

    @Test
    void theReasonsAreTheTermsOfTheScoreItself() {
        // Ann's tenure: 2025-11-01 to 2026-06-30 = 241 days: 2.0 x (241 - 200) / 100 = +0.82, her second largest push, not a
        // reason (unstable). Her log-odds: -1 + 1.05 + 0 - 0.2 + 0.1 + 0.82 = 0.77, so the stored probability is 1 / (1 + e^-0.77)
        double p = ((Number) Sql.one(h.dataSource(), "SELECT churn_probability FROM bi.churn_scores WHERE run_id = ? AND customer_id = 1", runId)).doubleValue();
        assertThat(p).isCloseTo(1 / (1 + Math.exp(-0.77)), within(1e-12));
        // Jon's tenure (2026-04-15, 76 days: -2.48) and Gus's (272 days: +1.44) would lead their lists: never a reason
        assertThat(h.query("SELECT count(*) AS n FROM bi.churn_reasons WHERE run_id = ? AND feature = 'customer_tenure_days'", runId).get(0).get("n")).isEqualTo(0L);
        // every scored customer has reasons, and only scored customers
        assertThat(h.query("SELECT DISTINCT customer_id FROM bi.churn_reasons WHERE run_id = ? ORDER BY 1", runId))
                .extracting(m -> ((Number) m.get("customer_id")).longValue()).containsExactly(1L, 4L, 7L, 9L, 10L);
    }

    @Test
    void whatTheUnstableTermsPushIsSaidApart() {
        // after the reasons, one row: the unstable terms' push together (here tenure alone): Ann +0.82, Jon 2.0 x (76 - 200) / 100 = -2.48
        List<Map<String, Object>> ann = h.query("SELECT rank, feature, value, contribution, reason FROM bi.churn_reasons "
                + "WHERE run_id = ? AND customer_id = 1 AND rank = 4", runId);
        assertThat(ann).hasSize(1);
        assertThat(ann.get(0).get("feature")).isEqualTo("(unstable terms)");
        assertThat(((Number) ann.get(0).get("contribution")).doubleValue()).isCloseTo(0.82, within(1e-9));
        assertThat(ann.get(0).get("reason")).isEqualTo("not stated: customer_tenure_days, whose effect the data does not pin down, push +0.82 together");
        assertThat(h.query("SELECT reason FROM bi.churn_reasons WHERE run_id = ? AND customer_id = 10 AND rank = 4", runId).get(0).get("reason"))
                .isEqualTo("not stated: customer_tenure_days, whose effect the data does not pin down, push -2.48 together");
    }

    @Test
    void theWordsOfAReason() {
        // the issue's own example; one day is a day; no usual gap with one order: the average customer's instead
        assertThat(h.query("SELECT bi.churn_reason('days_since_last_order', 94, 30, 21, 90, 1.2) AS r").get(0).get("r"))
                .isEqualTo("no order for 94 days, usual gap 21: raises the risk");
        assertThat(h.query("SELECT bi.churn_reason('days_since_last_order', 1, 30.4, NULL, 90, -0.9) AS r").get(0).get("r"))
                .isEqualTo("no order for 1 day (average customer 30): lowers the risk");
        assertThat(h.query("SELECT bi.churn_reason('avg_order_value', 3126.354, 385.66, NULL, 90, -0.4) AS r").get(0).get("r"))
                .isEqualTo("orders worth 3126.35 on average (average customer 385.66): lowers the risk");
        assertThat(h.query("SELECT bi.churn_reason('some_new_feature', 2.5, 1, NULL, 90, 0.3) AS r").get(0).get("r"))
                .isEqualTo("some new feature 2.50 (average customer 1.00): raises the risk");
    }
}
