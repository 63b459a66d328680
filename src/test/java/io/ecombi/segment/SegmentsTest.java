package io.ecombi.segment;

import io.ecombi.kpi.KpiTable;
import io.ecombi.testing.KpiHarness;
import io.ecombi.testing.Sql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFM segments, movement, cohorts, geography, payments and the daily cards (issue 12): the SQL,
 * through the harness (no runtime), on src/test/resources/fixtures/segments_fixture.sql: a run as
 * of 2026-05-20, then one as of 2026-06-30. What the run adds (the retention curve table, the
 * page's sections, the bi store) is checked on the same runs by SegmentsPageTest. Every expected
 * value is worked out by hand in the comments.
 *
 * Scoring by hand: with n customers, score = min(5, 1 + 5 (rank - 1) / (n - 1)) in integers, rank
 * with ties (rank()). With n = 7: ranks 1..7 score 1, 1, 2, 3, 4, 5, 5.
 */
class SegmentsTest {
    /** The geography settings of both runs: top 2 countries and top 2 regions or states. */
    static final Map<String, String> SETTINGS = Map.of("ecombi.geography.top-countries", "2", "ecombi.geography.top-regions", "2");
    static KpiHarness h;
    static KpiHarness.Run may;
    static KpiHarness.Run june;

    @BeforeAll
    static void twoRunsOnFixture() {
        h = KpiHarness.start(SETTINGS).load("segments_fixture.sql");
        // the tables of the May run the tests read: the June run rebuilds the fact layer
        may = h.run(LocalDate.of(2026, 5, 20), "rfm_customers", "rfm_movement", "cohort_monthly", "geography_regions");
        june = h.run(LocalDate.of(2026, 6, 30));
        june.succeed();   // as the pipeline ends a run: bi.rfm_customers_latest shows succeeded runs only
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    @Test
    void rfmScoresByRankPercentileWithTiesEqual() {
        KpiTable t = june.kpi("rfm_customers");
        // active in (2025-06-30, 2026-06-30]: customers 1, 2, 3, 4, 5, 6, 9 (7 has its last order in 2025-03,
        // 8 in 2025-06-15); n = 7. Values over all history:
        //   recency days: 5 333, 6 211, 4 166, 3 29, 9 10, 1 0, 2 0 -> ranks (most days first) 1 2 3 4 5 6 6
        //     -> R 1 1 2 3 4 5 5 (1 and 2 tie: both 5)
        //   frequency: 4, 5, 9 one order (rank 1); 2, 3, 6 two (rank 4); 1 three (rank 7) -> F 1 / 3 / 5
        //   monetary: 5 20, 4 40, 9 60, 2 150, 3 150, 1 300, 6 700 (200 + 500) -> ranks 1 2 3 4 4 6 7
        //     -> M 1 1 2 3 3 5 5 (2 and 3 tie: both 3)
        assertThat(byCustomer(t, "r_score")).containsExactly("1=5", "2=5", "3=3", "4=2", "5=1", "6=1", "9=4");
        assertThat(byCustomer(t, "f_score")).containsExactly("1=5", "2=3", "3=3", "4=1", "5=1", "6=3", "9=1");
        assertThat(byCustomer(t, "m_score")).containsExactly("1=5", "2=3", "3=3", "4=1", "5=1", "6=5", "9=2");
        assertThat(byCustomer(t, "monetary_net_revenue")).containsExactly("1=300.00", "2=150.00", "3=150.00", "4=40.00",
                "5=20.00", "6=700.00", "9=60.00");
        // the rules: 1 R5 F5 M5 Champions; 2 R5 F3, 3 R3 F3 Loyal; 9 R4 F1 Potential Loyalist; 6 R1 F3 At Risk;
        // 5 R1 F1 Lost; 4 R2 F1 Needs Attention
        assertThat(byCustomer(t, "segment")).containsExactly("1=Champions", "2=Loyal", "3=Loyal", "4=Needs Attention",
                "5=Lost", "6=At Risk", "9=Potential Loyalist");
        // and in the table a CRM reads, for both runs: equal values never got different scores
        DataSource ds = h.dataSource();
        for (String[] vs : new String[][]{{"recency_days", "r_score"}, {"frequency", "f_score"}, {"monetary", "m_score"}}) {
            assertThat(Sql.one(ds, "SELECT count(*) FROM (SELECT run_id, " + vs[0] + " FROM bi.rfm_customers GROUP BY 1, 2"
                    + " HAVING count(DISTINCT " + vs[1] + ") > 1) x")).as(vs[0]).isEqualTo(0L);
        }
        assertThat(Sql.one(ds, "SELECT count(*) FROM bi.rfm_customers_latest WHERE run_id = ?", june.id())).isEqualTo(7L);
    }

    @Test
    void segmentTableWithSharesAveragesAndNoChurnModel() {
        KpiTable t = june.kpi("rfm_segments");
        assertThat(column(t, "segment")).containsExactly("Champions", "Loyal", "Potential Loyalist", "At Risk", "Lost", "Needs Attention");
        assertThat(column(t, "customers")).containsExactly("1", "2", "1", "1", "1", "1");
        // 1 of 7 = 14.29 %, 2 of 7 = 28.57 %
        assertThat(column(t, "customers_pct")).containsExactly("14.29", "28.57", "14.29", "14.29", "14.29", "14.29");
        // of 300 + 150 + 150 + 40 + 20 + 700 + 60 = 1420: 300 21.13 %, 150 + 150 21.13 %, 60 4.23 %, 700 49.30 %,
        // 20 1.41 %, 40 2.82 %
        assertThat(column(t, "net_revenue")).containsExactly("300.00", "300.00", "60.00", "700.00", "20.00", "40.00");
        assertThat(column(t, "revenue_share_pct")).containsExactly("21.13", "21.13", "4.23", "49.30", "1.41", "2.82");
        // Loyal = customers 2 and 3: R (5 + 3) / 2, F 3, M 3, recency (0 + 29) / 2, 2 orders each, 150 each
        int loyal = 1;
        assertThat(t.value(loyal, "avg_r").toString()).isEqualTo("4.00");
        assertThat(t.value(loyal, "avg_f").toString()).isEqualTo("3.00");
        assertThat(t.value(loyal, "avg_m").toString()).isEqualTo("3.00");
        assertThat(t.value(loyal, "avg_recency_days").toString()).isEqualTo("14.5");
        assertThat(t.value(loyal, "avg_revenue").toString()).isEqualTo("150.00");
        // seven customers are too few to train the churn model: it publishes no scores, the column is empty
        assertThat(column(t, "avg_churn_probability")).containsOnly("");
        assertThat(t.value(3, "action").toString()).contains("Win-back offer within 14 days");
    }

    @Test
    void movementSinceThePreviousRun() {
        // as of 2026-05-20, n = 7 (1, 2, 3, 4, 5, 6, 8): recency 8 339, 5 292, 6 170, 4 125, 3 108, 2 49, 1 10 -> R 1 1 2 3 4 5 5;
        // frequency: 1 and 6 two orders (rank 6 -> 5), the rest one (1); so 1 Champions (M 5), 2 and 3 Potential
        // Loyalist (R 5 / 4, F 1), 4 Needs Attention (R 3, F 1), 5 and 8 Lost (R 1, F 1), 6 At Risk (R 2, F 5)
        assertThat(byCustomer(may.kpi("rfm_customers"), "segment")).containsExactly("1=Champions", "2=Potential Loyalist",
                "3=Potential Loyalist", "4=Needs Attention", "5=Lost", "6=At Risk", "8=Lost");
        // the first scored run has nothing to compare with: every customer comes from '(no previous run)'
        KpiTable first = may.kpi("rfm_movement");
        assertThat(column(first, "previous_segment")).containsOnly("(no previous run)");
        assertThat(column(first, "previous_run_id")).containsOnly("");
        assertThat(column(first, "customers").stream().mapToLong(Long::parseLong).sum()).isEqualTo(7);
        KpiTable m = june.kpi("rfm_movement");
        List<String> pairs = new ArrayList<>();
        for (int r = 0; r < m.rows().size(); r++) {
            pairs.add(m.value(r, "previous_segment") + " -> " + m.value(r, "current_segment") + ": " + m.value(r, "customers"));
            assertThat(m.value(r, "previous_run_id")).isEqualTo(may.id());
        }
        assertThat(pairs).containsExactlyInAnyOrder("Champions -> Champions: 1", "Potential Loyalist -> Loyal: 2",
                "Needs Attention -> Needs Attention: 1", "Lost -> Lost: 1", "At Risk -> At Risk: 1",
                "Lost -> left the window: 1", "new in the window -> Potential Loyalist: 1");
        Movement grid = Movement.of(column(june.kpi("rfm_segments"), "segment"), m.rows(), m.column("previous_segment"),
                m.column("current_segment"), m.column("customers"));
        assertThat(grid.count("Potential Loyalist", "Loyal")).isEqualTo(2);
        assertThat(grid.count(Movement.NEW, "Potential Loyalist")).isEqualTo(1);
        assertThat(grid.rows()).endsWith(Movement.NEW);
        assertThat(grid.columns()).endsWith(Movement.LEFT);
    }

    @Test
    void monthlyCohortsWithAGapMonthUnlivedCellsAndThePartialMonth() {
        KpiTable june = SegmentsTest.june.kpi("cohort_monthly");
        // cohorts 2025-07 .. 2026-06 by first order: 5 (2025-08), 4 (2026-01), 3 (2026-02), 1 (2026-03), 2 (2026-04),
        // 9 (2026-06); 6, 7 and 8 started earlier
        // (every month of the window is a cohort; the other six have 0 customers and empty cells)
        assertThat(june.rows().stream().filter(r -> ((Number) r[june.column("cohort_customers")]).longValue() > 0)
                .map(r -> r[june.column("cohort_month")].toString()).distinct().toList())
                .containsExactly("2025-08-01", "2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01", "2026-06-01");
        assertThat(cells(june, "2025-07-01", "customer_retention_pct")).hasSize(12).containsOnly("null");
        // customer 1 (cohort 2026-03): orders in March, May and June, none in April -> 100, 0, 100, 100 %;
        // revenue 100, 0, 100, 100 -> 100, 0, 100, 100 %; the cohort has lived 4 months, so 4 cells
        assertThat(cells(june, "2026-03-01", "customer_retention_pct")).containsExactly("100.00", "0.00", "100.00", "100.00");
        assertThat(cells(june, "2026-03-01", "revenue_retention_pct")).containsExactly("100.00", "0.00", "100.00", "100.00");
        // customer 2 (2026-04): 50 in April, 100 in June -> revenue retention 100, 0, 200 %
        assertThat(cells(june, "2026-04-01", "revenue_retention_pct")).containsExactly("100.00", "0.00", "200.00");
        assertThat(cells(june, "2026-06-01", "customer_retention_pct")).containsExactly("100.00");
        assertThat(column(june, "is_partial")).containsOnly("false");   // 2026-06-30 ends its month
        // the average curve over the cohorts that lived month k: k = 2 -> 2025-08, 2026-01, 02, 03, 04 (5 customers),
        // of whom 1 (May) and 2 (June) bought: 40 %; revenue 100 + 100 over month-0 20 + 40 + 100 + 100 + 50 = 310:
        // 64.52 %; k = 3 -> four cohorts, customer 1 bought: 25 %; k = 4 -> three, customer 3 (June): 33.33 %
        assertThat(atK(june, 1, "avg_customer_retention_pct_at_k")).isEqualTo("0.00");
        assertThat(atK(june, 2, "avg_customer_retention_pct_at_k")).isEqualTo("40.00");
        assertThat(atK(june, 2, "avg_revenue_retention_pct_at_k")).isEqualTo("64.52");
        assertThat(atK(june, 3, "avg_customer_retention_pct_at_k")).isEqualTo("25.00");
        assertThat(atK(june, 4, "avg_customer_retention_pct_at_k")).isEqualTo("33.33");

        // as of 2026-05-20, May is in progress: cohort 2026-03 has March, April and a partial May (customer 1 bought on
        // the 10th); cohort 2026-04 has April and a partial May, no June cell
        KpiTable may = SegmentsTest.may.kpi("cohort_monthly");
        assertThat(cells(may, "2026-03-01", "customer_retention_pct")).containsExactly("100.00", "0.00", "100.00");
        assertThat(cells(may, "2026-03-01", "is_partial")).containsExactly("false", "false", "true");
        assertThat(cells(may, "2026-04-01", "is_partial")).containsExactly("false", "true");
        // the partial month does not count in the average: k = 1 over cohorts whose April... is complete -> 2025-06
        // (customer 8), 2025-08, 2026-01, 02, 03: nobody bought in their month 1 -> 0 %; 2026-04's partial May left out
        assertThat(atK(may, 1, "cohorts_at_k")).isEqualTo("5");
    }

    @Test
    void weeklyCohortsMarkThePartialWeek() {
        KpiTable t = june.kpi("cohort_weekly");
        // the 12 weeks from Monday 2026-04-13 to the as-of week (Monday 2026-06-29): only customer 9 started in them
        // (Saturday 2026-06-20, week of 2026-06-15); weeks 0, 1 and 2, the last in progress (2026-06-30 is a Tuesday)
        // (the other eleven weeks are cohorts of 0: cells without a retention)
        assertThat(t.rows().stream().map(r -> r[t.column("cohort_week")].toString()).distinct().count()).isEqualTo(12);
        KpiTable c9 = KpiTable.of("c9", t.columns(), t.rows().stream().filter(r -> r[t.column("cohort_week")].toString().equals("2026-06-15")).toList());
        assertThat(column(c9, "cohort_customers")).containsOnly("1");
        assertThat(column(c9, "customer_retention_pct")).containsExactly("100.00", "0.00", "0.00");
        assertThat(column(c9, "is_partial")).containsExactly("false", "false", "true");
        assertThat(t.rows().stream().filter(r -> ((Number) r[t.column("cohort_customers")]).longValue() == 0)
                .allMatch(r -> r[t.column("customer_retention_pct")] == null)).isTrue();
    }

    @Test
    void countriesBeyondTheTopFoldIntoOther() {
        KpiTable t = june.kpi("geography_countries");
        // (2025-06-30, 2026-06-30] with top-countries = 2: US 500 (1 order), UK 300 + 150 = 450 (5 orders, 2 customers);
        // France 150, Germany 40 + 60, Italy 60 (no known customer), Spain 20 fold into Other: 330, 6 orders,
        // customers 3, 4, 9, 5 = 4; shares of 1280: 39.06, 35.16, 25.78 %; orders of 12: 8.33, 41.67, 50 %
        assertThat(column(t, "country")).containsExactly("United States", "United Kingdom", "Other (4 countries)");
        assertThat(column(t, "countries_folded")).containsExactly("0", "0", "4");
        assertThat(column(t, "net_revenue")).containsExactly("500.00", "450.00", "330.00");
        assertThat(column(t, "orders")).containsExactly("1", "5", "6");
        assertThat(column(t, "customers")).containsExactly("1", "2", "4");
        assertThat(column(t, "avg_order_value")).containsExactly("500.00", "90.00", "55.00");
        assertThat(column(t, "revenue_share_pct")).containsExactly("39.06", "35.16", "25.78");
        assertThat(column(t, "order_share_pct")).containsExactly("8.33", "41.67", "50.00");
    }

    @Test
    void regionsAndStatesTheOrdersOwnPlaceFirstTheTailFoldedIntoOther() {
        KpiTable t = june.kpi("geography_regions");
        // (2025-06-30, 2026-06-30], 12 sale orders, 1280 in all. Place of each: the order's own if it names a region
        // or state (105 South/ENG, 107 West/no state), else the customer's (1 South/ENG, 2 North/SCT, 3 -/IDF,
        // 4 South/BY, 6 West/CA, 9 South/BE; 5 and the anonymous 115 none):
        //   regions: South 101-103 300 + 105 100 + 108 40 + 114 60 = 500 (6 orders; customers 1, 2, 4, 9);
        //            West 107 50 + 111 500 = 550 (2; 3, 6); North 104 50 (1; 2); Unknown 106 100 + 109 20 + 115 60 = 180
        //            (3; 3, 5). Three places and top 2: folding one would hide it for nothing, so none is folded.
        //   states:  CA 500 (1; 6); ENG 101-103 + 105 = 400 (4; 1, 2); IDF 106 100; BE 114 60; SCT 104 50; BY 108 40;
        //            Unknown 107 50 + 109 20 + 115 60 = 130 (3; 3, 5). Six places, top 2: IDF, BE, SCT, BY fold into
        //            Other (4 states): 250, 4 orders, customers 3, 9, 2, 4. Unknown is not a place: never folded, last.
        //   shares of 1280 per level: 550 42.97, 500 39.06, 50 3.91, 180 14.06; 500 39.06, 400 31.25, 250 19.53,
        //   130 10.16; orders of 12: 2 16.67, 6 50, 1 8.33, 3 25; 1 8.33, 4 33.33, 4 33.33, 3 25
        assertThat(column(t, "level")).containsExactly("region", "region", "region", "region", "state", "state", "state", "state");
        assertThat(column(t, "area")).containsExactly("West", "South", "North", "Unknown", "CA", "ENG", "Other (4 states)", "Unknown");
        assertThat(column(t, "areas_folded")).containsExactly("0", "0", "0", "0", "0", "0", "4", "0");
        assertThat(column(t, "net_revenue")).containsExactly("550.00", "500.00", "50.00", "180.00", "500.00", "400.00", "250.00", "130.00");
        assertThat(column(t, "orders")).containsExactly("2", "6", "1", "3", "1", "4", "4", "3");
        assertThat(column(t, "customers")).containsExactly("2", "4", "1", "2", "1", "2", "4", "2");
        assertThat(column(t, "avg_order_value")).containsExactly("275.00", "83.33", "50.00", "60.00", "500.00", "100.00", "62.50", "43.33");
        assertThat(column(t, "revenue_share_pct")).containsExactly("42.97", "39.06", "3.91", "14.06", "39.06", "31.25", "19.53", "10.16");
        assertThat(column(t, "order_share_pct")).containsExactly("16.67", "50.00", "8.33", "25.00", "8.33", "33.33", "33.33", "25.00");
        // as of 2026-05-20, order 113 (customer 8, 30) shipped to Portugal, not to 8's country: it is not in 8's state AN
        // but Unknown, with 109 (20): 50 from 2 orders
        KpiTable m = may.kpi("geography_regions");
        List<String> states = new ArrayList<>();
        for (Object[] r : m.rows()) if ("state".equals(r[m.column("level")])) states.add(r[m.column("area")] + " " + r[m.column("net_revenue")] + " " + r[m.column("orders")]);
        assertThat(states).doesNotContain("AN 30.00 1").contains("Unknown 50.00 2");
    }

    @Test
    void paymentMixAndOrdersWithoutAMethod() {
        KpiTable t = june.kpi("payment_methods");
        // card: 1's three orders + 3's two = 5 orders, 450; paypal: 2's two, 150; not recorded: 4, 5, 6, 9 and the
        // anonymous sale = 5 orders, 40 + 20 + 500 + 60 + 60 = 680
        assertThat(column(t, "payment_method")).containsExactly("card", "paypal", "not recorded");
        assertThat(column(t, "orders")).containsExactly("5", "2", "5");
        assertThat(column(t, "order_share_pct")).containsExactly("41.67", "16.67", "41.67");
        assertThat(column(t, "revenue_share_pct")).containsExactly("35.16", "11.72", "53.13");
        assertThat(column(t, "avg_order_value")).containsExactly("90.00", "75.00", "136.00");
    }

    @Test
    void dailyMovingAverageAndPeriodCards() {
        KpiTable d = june.kpi("daily_trend");
        assertThat(d.rowCount()).isEqualTo(365);   // 2025-07-01 .. 2026-06-30
        int last = d.rows().size() - 1;
        assertThat(d.value(last, "day").toString()).isEqualTo("2026-06-30");
        assertThat(d.value(last, "net_revenue").toString()).isEqualTo("200.00");
        assertThat(d.value(last, "net_revenue_ma7").toString()).isEqualTo("28.57");   // 200 / 7 over 06-24 .. 06-30
        KpiTable p = june.kpi("period_comparisons");
        assertThat(column(p, "comparison")).containsExactly("wow", "yoy", "mtd");
        // WoW: 06-24..06-30 200 (2 orders) vs 06-17..06-23 60 (customer 9): +233.33 %, orders +100 %
        // YoY: 06-01..06-30 50 + 60 + 60 + 200 = 370 (5 orders: 3, the anonymous one, 9, 1, 2) vs 2025-06-01..2025-06-30
        // 30 (customer 8, 1 order): +1133.33 %, orders +400 %
        // MTD: 06-01..06-30 370 vs 05-01..05-30 (same 30 days) 100 (1 order): +270 %, orders +400 %
        assertThat(column(p, "compare_start")).containsExactly("2026-06-17", "2025-06-01", "2026-05-01");
        assertThat(column(p, "compare_end")).containsExactly("2026-06-23", "2025-06-30", "2026-05-30");
        assertThat(column(p, "net_revenue")).containsExactly("200.00", "370.00", "370.00");
        assertThat(column(p, "compare_net_revenue")).containsExactly("60.00", "30.00", "100.00");
        assertThat(column(p, "net_revenue_change_pct")).containsExactly("233.33", "1133.33", "270.00");
        assertThat(column(p, "orders_change_pct")).containsExactly("100.00", "400.00", "400.00");
    }

    private static List<String> column(KpiTable t, String column) {
        return t.rows().stream().map(r -> r[t.column(column)] == null ? "" : r[t.column(column)].toString()).toList();
    }

    private static List<String> byCustomer(KpiTable t, String column) {
        List<String> out = new ArrayList<>();
        for (Object[] r : t.rows()) out.add(r[t.column("customer_id")] + "=" + r[t.column(column)]);
        out.sort((a, b) -> Long.compare(Long.parseLong(a.split("=")[0]), Long.parseLong(b.split("=")[0])));
        return out;
    }

    private static List<String> cells(KpiTable t, String cohort, String column) {
        List<String> out = new ArrayList<>();
        for (Object[] r : t.rows()) if (r[t.column("cohort_month")].toString().equals(cohort)) out.add(String.valueOf(r[t.column(column)]));
        return out;
    }

    private static String atK(KpiTable t, int k, String column) {
        for (Object[] r : t.rows()) if (((Number) r[t.column("months_since")]).intValue() == k) return String.valueOf(r[t.column(column)]);
        return null;
    }
}
