package io.ecombi.recommend;

import io.ecombi.testing.KpiHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Support, confidence, lift and the hit rate at k on the hand-made baskets of recommend_fixture.sql
 * (products 1 Bread, 2 Butter, 3 Jam, 4 Milk, 5 Tea), with k = 1, pairs in 2+ baskets, 1 customer
 * enough to judge. The baskets (the cancelled order and the credit note are none):
 * <pre>
 *   101 Ann  Bread Butter         201 Ben Bread          301 Cal Bread Jam       401 Dee Milk Tea
 *   102 Ann  Bread Butter Jam *   202 Ben Butter *       302 Cal Butter Tea *    501 guest Bread Butter Milk
 *                                                                                502, 503 guest Milk
 * </pre>
 * (* each customer's last order, held out by the check; Dee has one order, never held out.)
 */
class RecommendSqlTest {
    static KpiHarness h;
    static HitRates check;
    static long runId;

    @BeforeAll
    static void learn() throws Exception {
        h = KpiHarness.start(Map.of("ecombi.recommend.top-n", "1", "ecombi.recommend.min-pair-baskets", "2",
                "ecombi.recommend.min-judged-customers", "1")).load("recommend_fixture.sql");
        runId = h.run(LocalDate.of(2026, 6, 30)).id();
        check = new RecommendStep(h.dataSource(), h.settings()).check(runId);
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    @Test
    void supportConfidenceAndLiftOverEveryBasket() {
        // 10 baskets. Bread in 101 102 201 301 501 = 5, Butter in 101 102 202 302 501 = 5, Jam in 102 301 = 2.
        // Bread & Butter in 101 102 501 = 3: support 3/10 = 0.3; confidence 3/5 = 0.6 either way; lift 0.6 / (5/10) = 1.2.
        // Bread & Jam in 102 301 = 2: support 0.2; Bread -> Jam 2/5 = 0.4, lift 0.4 / (2/10) = 2.0; Jam -> Bread 2/2 = 1.0, lift 1.0 / (5/10) = 2.0.
        // Not rules: Butter & Jam (1 basket, and lift 0.2 / 0.2 = 1.0 is no lift), Milk & Tea, Bread & Milk, Butter & Milk, Butter & Tea (1 basket each).
        List<Map<String, Object>> rules = h.query("SELECT antecedent, consequent, both_baskets, support, confidence, lift FROM bi.recommend_rules "
                + "WHERE run_id = ? ORDER BY antecedent, consequent", runId);
        assertThat(rules).extracting(r -> r.get("antecedent") + "->" + r.get("consequent")).containsExactly("1->2", "1->3", "2->1", "3->1");
        double[][] expected = {{3, 0.3, 0.6, 1.2}, {2, 0.2, 0.4, 2.0}, {3, 0.3, 0.6, 1.2}, {2, 0.2, 1.0, 2.0}};
        for (int i = 0; i < 4; i++) {
            Map<String, Object> r = rules.get(i);
            assertThat(((Number) r.get("both_baskets")).doubleValue()).isEqualTo(expected[i][0]);
            assertThat(((Number) r.get("support")).doubleValue()).isCloseTo(expected[i][1], within(1e-12));
            assertThat(((Number) r.get("confidence")).doubleValue()).isCloseTo(expected[i][2], within(1e-12));
            assertThat(((Number) r.get("lift")).doubleValue()).isCloseTo(expected[i][3], within(1e-12));
        }
    }

    @Test
    void theCheckHoldsOutEachCustomersLastOrderAndBeatsThePopularBaseline() {
        // Without 102, 202, 302: 7 baskets; Bread & Butter in 101 and 501 = 2 (a rule), Bread & Jam only in 301 (none).
        // Bread -> Butter: 2/4 = 0.5, lift 0.5 / (2/7) = 1.75; Butter -> Bread 2/2 = 1.0, lift 1.0 / (4/7) = 1.75: 2 rules.
        // Histories: Ann {Bread, Butter}, Ben {Bread}, Cal {Bread, Jam}. New to them in the held-out order:
        // Ann Jam, Ben Butter, Cal Butter and Tea: 3 judged.
        // Rules, k = 1: Ann nothing (both rules lead to what she has); Ben Butter: hit; Cal Butter: hit -> 2 of 3.
        // Most popular without the held-out orders: Bread 4, Milk 4 (401 501 502 503), Butter 2 (101 501); the first one
        // not bought: Milk for all three: no hit -> 0 of 3.
        assertThat(check).isEqualTo(new HitRates(1, 3, 3, 2, 2, 0, 2));
        assertThat(check.ruleHitRate()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(check.beatsBaseline(1)).isTrue();
        Map<String, Object> row = h.query("SELECT * FROM bi.recommend_runs WHERE run_id = ?", runId).get(0);
        assertThat(row.get("published")).isEqualTo(true);
        assertThat(row.get("verdict").toString()).startsWith("published: ").contains("hit rate at 1 66.7 % (2 of 3 customers) against 0.0 % (0)");
    }

    @Test
    void publishedPerCustomerFromEveryBasketOnlyWhatTheyHaveNotBought() {
        // Whole history: Ann {Bread, Butter, Jam}, Ben {Bread, Butter}, Cal {Bread, Butter, Jam, Tea}, Dee {Milk, Tea}.
        // Ben: Bread -> Jam (confidence 0.4) reaches Jam, which he has not bought; everyone else: nothing new a rule reaches.
        List<Map<String, Object>> recs = h.query("SELECT customer_id, rank, product_id, score, because_of FROM bi.recommendations WHERE run_id = ?", runId);
        assertThat(recs).hasSize(1);
        assertThat(recs.get(0)).containsEntry("customer_id", 2L).containsEntry("product_id", 3L).containsEntry("because_of", 1L);
        assertThat(((Number) recs.get(0).get("score")).doubleValue()).isCloseTo(0.4, within(1e-12));
    }
}
