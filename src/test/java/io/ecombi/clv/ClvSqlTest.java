package io.ecombi.clv;

import io.ecombi.kpi.KpiTable;
import io.ecombi.testing.KpiHarness;
import io.ecombi.testing.Sql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The CLV customer summary (sql/clv/customer_summary.sql) and the by-segment table on
 * src/test/resources/fixtures/clv_fixture.sql, as of 2026-06-30 with the default hold-out of 182
 * days: the calibration part ends on 2025-12-30. Every figure is worked out by hand in the comments.
 */
class ClvSqlTest {
    static final LocalDate AS_OF = LocalDate.of(2026, 6, 30);
    static KpiHarness h;
    static KpiHarness.Run run;
    static List<Map<String, Object>> rows;

    @BeforeAll
    static void runOnFixture() {
        h = KpiHarness.start().load("clv_fixture.sql");
        run = h.run(AS_OF, "rfm_customers");
        rows = run.rows("clv/customer_summary");
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    private static Map<String, Object> customer(long id) {
        return rows.stream().filter(r -> ((Number) r.get("customer_id")).longValue() == id).findFirst().orElseThrow();
    }

    private static double d(Map<String, Object> r, String column) {
        return ((Number) r.get(column)).doubleValue();
    }

    @Test
    void onlyKnownCustomersWithAPurchaseAreSummarised() {
        // the guest sale (no customer), customer 5 (a cancelled order only) and 6 (a credit note only) are not customers with a purchase
        assertThat(rows).extracting(r -> ((Number) r.get("customer_id")).longValue()).containsExactly(1L, 2L, 3L);
        assertThat(rows).allSatisfy(r -> assertThat(r.get("calibration_end")).hasToString("2025-12-30"));
    }

    @Test
    void aPurchaseIsADayAndTimesAreWeeksFromTheFirst() {
        Map<String, Object> c = customer(1);
        // purchase days 2025-07-01 (orders 101 and 102: one purchase), 2025-09-09, 2026-03-01 (the cancelled 105 is not one)
        assertThat(d(c, "frequency")).isEqualTo(2);
        assertThat(d(c, "recency_weeks")).isCloseTo(243 / 7.0, within(1e-9));   // 2025-07-01 to 2026-03-01: 243 days
        assertThat(d(c, "age_weeks")).isCloseTo(52, within(1e-9));              // to 2026-06-30: 364 days
        assertThat(d(c, "monetary")).isCloseTo(150, within(1e-9));              // repeats 200 and 100 -> 150; the first day's 150 is not a repeat
        assertThat(d(c, "net_revenue")).isCloseTo(450, within(1e-9));
        assertThat(d(c, "net_revenue_12m")).isCloseTo(450, within(1e-9));       // all in (2025-06-30, 2026-06-30]
        // before the hold-out (to 2025-12-30): one repeat, 70 days after the first; 182 days old; its value 200
        assertThat(c.get("in_calibration")).isEqualTo(true);
        assertThat(d(c, "cal_frequency")).isEqualTo(1);
        assertThat(d(c, "cal_recency_weeks")).isCloseTo(10, within(1e-9));
        assertThat(d(c, "cal_age_weeks")).isCloseTo(26, within(1e-9));
        assertThat(d(c, "cal_monetary")).isCloseTo(200, within(1e-9));
        assertThat(d(c, "holdout_purchases")).isEqualTo(1);                     // 2026-03-01
        assertThat(d(c, "holdout_net_revenue")).isCloseTo(100, within(1e-9));
    }

    @Test
    void aCustomerWhoFirstBoughtInTheHoldOutIsNotInTheCheck() {
        Map<String, Object> c = customer(2);
        assertThat(d(c, "frequency")).isEqualTo(0);
        assertThat(d(c, "recency_weeks")).isEqualTo(0);
        assertThat(d(c, "age_weeks")).isCloseTo(149 / 7.0, within(1e-9));      // 2026-02-01 to 2026-06-30
        assertThat(c.get("monetary")).isNull();
        assertThat(c.get("in_calibration")).isEqualTo(false);
        assertThat(c.get("cal_frequency")).isNull();
        assertThat(c.get("holdout_purchases")).isNull();
    }

    @Test
    void aCreditNoteAfterTheFirstPurchaseReducesTheRepeatValue() {
        Map<String, Object> c = customer(3);
        // 60 on 2025-01-10, credit note -20 on 2025-02-01 (not a purchase), 40 on 2025-03-01: one repeat worth 40 - 20 = 20
        assertThat(d(c, "frequency")).isEqualTo(1);
        assertThat(d(c, "recency_weeks")).isCloseTo(50 / 7.0, within(1e-9));
        assertThat(d(c, "age_weeks")).isCloseTo(536 / 7.0, within(1e-9));
        assertThat(d(c, "monetary")).isCloseTo(20, within(1e-9));
        assertThat(d(c, "net_revenue")).isCloseTo(80, within(1e-9));
        assertThat(d(c, "net_revenue_12m")).isCloseTo(0, within(1e-9));        // nothing after 2025-06-30
        assertThat(d(c, "cal_age_weeks")).isCloseTo(354 / 7.0, within(1e-9));   // to 2025-12-30
        assertThat(d(c, "holdout_purchases")).isEqualTo(0);
    }

    /**
     * Three customers are far below ecombi.clv.min-customers (200): the step stores historical value
     * with the reason, and the by-segment table sums it per RFM segment of the run.
     */
    @Test
    void tooFewCustomersGiveHistoricalValueWithTheReasonBySegment() throws Exception {
        Path sql = h.settings().path("ecombi.sql.dir").resolve("clv/customer_summary.sql");
        CustomerSummary s = CustomerSummary.read(h.dataSource(), sql);
        ClvAnalysis.Outcome o = ClvAnalysis.run(s, AS_OF, new ClvAnalysis.Policy(182, 10, 200, 50));
        assertThat(o.predicted()).isFalse();
        assertThat(o.reason()).isEqualTo("only 3 known customers have a purchase; a fit needs at least 200 (ecombi.clv.min-customers)");
        new ClvStore(h.dataSource()).save(run.id(), s, o);
        assertThat(Sql.one(h.dataSource(), "SELECT method FROM bi.clv_runs WHERE run_id = ?", run.id())).isEqualTo("historical");
        assertThat(Sql.one(h.dataSource(), "SELECT count(*) FROM bi.clv_customers WHERE run_id = ? AND clv_12m IS NULL", run.id())).isEqualTo(3L);
        KpiTable seg = run.kpi("clv/clv_segments");
        // RFM scores customers 1 and 2 (a sale in the last 12 months); customer 3's last sale is 2025-03-01: not scored
        long customers = 0;
        double revenue = 0;
        for (int r = 0; r < seg.rows().size(); r++) {
            customers += (long) seg.number(r, "customers");
            revenue += seg.number(r, "historical_net_revenue");
            assertThat(seg.value(r, "predicted_customer_value_12m")).isNull();
        }
        assertThat(customers).isEqualTo(3);
        assertThat(revenue).isCloseTo(450 + 80 + 80, within(1e-9));
        int last = seg.rows().size() - 1;
        assertThat(seg.value(last, "segment")).isEqualTo("(not scored: no sale in the RFM window)");
        assertThat(seg.value(last, "historical_net_revenue")).isEqualTo(new BigDecimal("80.00"));
    }
}
