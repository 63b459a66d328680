package io.ecombi.kpi;

import io.ecombi.testing.KpiHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.time.LocalDate;

import static io.ecombi.kpi.Cells.column;
import static io.ecombi.kpi.Cells.row;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every KPI query on the hand-made fixture (src/test/resources/fixtures/kpi_fixture.sql), as of
 * 2026-06-30, run on the fact layer by the harness (no runtime). Expected values are worked out by
 * hand in the comments. What the run adds to the SQL (the churn model, the page, the CSV files of
 * the run folder) is checked on the same fixture by KpiRunTest.
 */
class KpiQueriesTest {
    static KpiHarness h;
    static KpiHarness.Run run;

    @BeforeAll
    static void factLayerOnFixture() {
        h = KpiHarness.start().load("kpi_fixture.sql");
        run = h.run(LocalDate.of(2026, 6, 30));
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    @Test
    void monthlyRevenueCoversTwelveMonthsWithBoundariesStatusesAndDiscounts() {
        KpiTable t = run.kpi("monthly_revenue");
        assertThat(t.rowCount()).isEqualTo(12);
        assertThat(t.value(0, "month").toString()).isEqualTo("2025-07-01");
        assertThat(t.value(11, "month").toString()).isEqualTo("2026-06-01");
        // 2025-07: no orders; growth of net revenue against 2025-06 (order 109, net 100): (0 - 100) / 100 = -100 %
        assertRow(t, 0, "gross_revenue", "0.00");
        assertRow(t, 0, "mom_growth_pct", "-100.00");
        // 2026-01: orders 106 (Shirt 1 x 20) and 107 (Book 1 x 20): 2 orders, 2 customers, revenue 40, AOV 20
        assertRow(t, 6, "orders", "2");
        assertRow(t, 6, "customers", "2");
        assertRow(t, 6, "gross_revenue", "40.00");
        assertRow(t, 6, "avg_order_value", "20.00");
        assertThat(t.value(6, "mom_growth_pct")).isNull();          // December had no revenue
        // 2026-02: revenue 0, growth (0 - 40) / 40 = -100 %
        assertRow(t, 7, "mom_growth_pct", "-100.00");
        // 2026-04: 104 (2 x 50 = 100, discount 5) + 108 (100 + 20 = 120): gross 220, discounts 5, net 215, AOV 215 / 2
        assertRow(t, 9, "gross_revenue", "220.00");
        assertRow(t, 9, "discounts", "5.00");
        assertRow(t, 9, "net_revenue", "215.00");
        assertRow(t, 9, "avg_order_value", "107.50");
        // 2026-05: order 100 on May 31 (100 + 2 x 40 = 180, discount 10, net 170): growth (170 - 215) / 215 = -20.93 %
        assertRow(t, 10, "orders", "1");
        assertRow(t, 10, "gross_revenue", "180.00");
        assertRow(t, 10, "net_revenue", "170.00");
        assertRow(t, 10, "mom_growth_pct", "-20.93");
        // 2026-06: order 101 on June 1 (20); cancelled 102 and returned 103 excluded: growth (20 - 170) / 170 = -88.24 %
        assertRow(t, 11, "orders", "1");
        assertRow(t, 11, "net_revenue", "20.00");
        assertRow(t, 11, "mom_growth_pct", "-88.24");
        assertThat(t.value(11, "is_complete_month")).isEqualTo(true);  // June ends on the as-of date
    }

    @Test
    void categoryMarginsAreOnNetSalesWithOrderDiscountsSpreadProRata() {
        KpiTable t = run.kpi("category_margins");
        // Order 100 (Widget 100 + Shirts 80 = 180, discount 10) spreads its discount pro rata:
        // 10 x 100/180 = 5.5556 to Electronics, 10 x 80/180 = 4.4444 to Apparel. Order 104's 5 is all Home & Garden.
        // Electronics: net 94.4444 (order 100) + 100 (108) = 194.4444, cost 60 + 60 -> GP 74.4444, 74.4444 / 194.4444 = 38.29 %
        // Apparel: net 75.5556 (100) + 20 (106) = 95.5556, cost 20 + 10 -> GP 65.5556, 68.60 %
        // Home & Garden: 2 x 50 - 5 = 95, cost 60 -> GP 35, 36.84 %  (returned 103 excluded)
        // Books: 3 x 20, cost 45 -> GP 15, 25 %; order 109 is older than 12 months
        assertThat(column(t, "category")).containsExactly("Electronics", "Apparel", "Home & Garden", "Books");
        assertThat(column(t, "gross_profit")).containsExactly("74.44", "65.56", "35.00", "15.00");
        assertThat(column(t, "margin_pct")).containsExactly("38.29", "68.60", "36.84", "25.00");
        assertThat(column(t, "net_revenue")).containsExactly("194.44", "95.56", "95.00", "60.00");
        assertThat(column(t, "gross_revenue")).containsExactly("200.00", "100.00", "100.00", "60.00");
        assertThat(column(t, "units")).containsExactly("2", "3", "2", "3");
    }

    @Test
    void headlineCardsCoverTheTrailingTwelveMonthsAndTheTwelveBefore() {
        KpiTable t = run.kpi("kpi_cards");
        assertThat(column(t, "period")).containsExactly("current", "previous");
        // (2025-06-30, 2026-06-30]: orders 106, 107, 104, 108, 100, 101 (not 109 of 2025-06-15, not the cancelled,
        // returned or later ones): net 20 + 20 + 95 + 120 + 170 + 20 = 445, gross 460, AOV 445 / 6 = 74.17;
        // cost 10 + 15 + 60 + 75 + 80 + 15 = 255 -> margin (445 - 255) / 445 = 42.6966 % (4 places: readers round it once)
        // comparable is the previous row's: empty on the current one
        assertThat(row(t, 0)).containsExactly("current", "2025-07-01", "2026-06-30", "445.00", "460.00", "15.00", "0.00",
                "6", "74.17", "3", "0.00", "42.6966", "100.00", "");
        // (2024-06-30, 2025-06-30]: order 109 only
        assertThat(row(t, 1).subList(0, 8)).containsExactly("previous", "2024-07-01", "2025-06-30", "100.00", "100.00", "0.00", "0.00", "1");
        // the first sale (109, 2025-06-15) is after the previous window's start 2024-07-01: not comparable
        assertThat(column(t, "comparable")).containsExactly("", "false");
    }

    @Test
    void customerLifetimeValuePerCustomerAndTiers() {
        KpiTable t = run.kpi("customer_lifetime_value");
        assertThat(column(t, "customer_id")).containsExactly("1", "3", "2");    // by net revenue; Dan never ordered
        // Alice: 109 (100) + 100 (180, discount 10) + 101 (20): gross 300, net 290, cost 60 + 80 + 15 -> profit 135;
        // first order 2025-06-15, tenure 380 days; clv 290 / 380 * 365 * 3 = 835.66
        assertRow(t, 0, "orders", "3");
        assertRow(t, 0, "gross_revenue", "300.00");
        assertRow(t, 0, "net_revenue", "290.00");
        assertRow(t, 0, "profit", "135.00");
        assertRow(t, 0, "tenure_days", "380");
        assertRow(t, 0, "clv_score", "835.66");
        // Cara: 20 + 120 = 140, cost 15 + 75 -> profit 50; tenure from 2026-01-20: 161 days, under 180: not projected
        assertRow(t, 1, "profit", "50.00");
        assertRow(t, 1, "tenure_days", "161");
        assertThat(t.value(1, "clv_score")).isNull();
        assertThat(t.value(1, "clv_basis")).isEqualTo("too new to project (under 180 days)");
        // Bob: 20 + 100 (discount 5) -> net 115, cost 10 + 60 -> profit 45; tenure 171 days: not projected either
        assertRow(t, 2, "net_revenue", "115.00");
        assertRow(t, 2, "profit", "45.00");
        assertThat(t.value(2, "clv_score")).isNull();
        assertThat(column(t, "value_tier")).containsExactly("Platinum", "Gold", "Silver");

        KpiTable tiers = run.kpi("clv_tier_summary");
        assertThat(column(tiers, "value_tier")).containsExactly("Platinum", "Gold", "Silver");
        // shares of the customers' net revenue 545: 290 -> 53.21 %, 140 -> 25.69 %, 115 -> 21.10 %
        assertThat(column(tiers, "revenue_share_pct")).containsExactly("53.21", "25.69", "21.10");
    }

    @Test
    void paretoRanksNetRevenueAndCutsTheTopTwentyPercent() {
        KpiTable t = run.kpi("product_pareto");
        // window net revenue: Widget 94.4444 + 100 = 194.4444, Shirt 75.5556 + 20 = 95.5556, Lamp 95, Book 60; total 445
        assertThat(column(t, "product_name")).containsExactly("Widget", "Shirt", "Lamp", "Book");
        // cumulative: 194.4444 / 445 = 43.6954 %, 290 / 445 = 65.1685 %, 385 / 445 = 86.5169 %, 100 %
        assertThat(column(t, "cumulative_share_pct")).containsExactly("43.6954", "65.1685", "86.5169", "100.0000");
        // 4 products: the top ceil(0.8) = 1 product is the top 20 %
        assertThat(column(t, "segment")).containsExactly("Top 20%", "Bottom 80%", "Bottom 80%", "Bottom 80%");
    }

    @Test
    void churnFeaturesWithTheCustomerExactlyAtTheWindowEdge() {
        KpiTable t = run.kpi("churn_features");
        assertThat(column(t, "customer_id")).containsExactly("1", "2", "3");
        // total_spent is net revenue (order discounts off). The churn window is (2026-04-01, 2026-06-30].
        // Alice: 3 orders, 100 + (180 - 10) + 20 = 290 net, registered 2025-01-01 -> tenure 545; last order 2026-06-01 -> 29 days;
        // ticket on the as-of date is recent; gaps (2026-06-01 - 2025-06-15) / 2 = 175.50; 1 ticket / 3 orders;
        // one order by 2026-04-01, so not active at the window start, ordered in it -> new or reactivated
        assertThat(row(t, 0)).containsExactly("1", "3", "290.00", "96.67", "545", "29", "1", "0", "175.50", "0.3333", "new or reactivated");
        // Bob: completed orders 2026-01-10 and 2026-04-01 (100 - 5 discount; cancelled and returned June orders do not count):
        // active on 2026-04-01 (his order that day counts), none after -> churned; ticket of 05-01 recent, of 03-01 not; 1 unresolved
        assertThat(row(t, 1)).containsExactly("2", "2", "115.00", "57.50", "394", "90", "1", "1", "81.00", "1.0000", "churned");
        // Cara: one order by 2026-04-01, her second on 04-02 -> new or reactivated; her July order and ticket are after as-of
        assertThat(row(t, 2)).containsExactly("3", "2", "140.00", "70.00", "166", "89", "0", "0", "72.00", "0.0000", "new or reactivated");
    }

    private static void assertRow(KpiTable t, int row, String column, String expected) {
        Object v = t.value(row, column);
        assertThat(v instanceof BigDecimal bd ? bd.toPlainString() : String.valueOf(v)).as(column + " of row " + row).isEqualTo(expected);
    }

    /**
     * Every KPI file gives the same table when its text is sent to PostgreSQL as it is (what psql
     * does with it against the last run) as when the pipeline runs it: the run's window and settings
     * are in fact.params, not bound by the runner. A file that writes (rfm_customers) runs in a
     * transaction that is rolled back.
     */
    @Test
    void eachKpiFileRunsAsItIsAndGivesThePipelinesTable() throws Exception {
        List<String> names;
        try (Stream<Path> files = Files.list(Path.of("sql", "kpi"))) {
            names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).map(n -> n.replaceFirst("\\.sql$", "")).sorted().toList();
        }
        assertThat(names).hasSizeGreaterThan(20);
        for (String name : names) {
            KpiTable piped = run.kpi(name);
            List<List<String>> plain = plain(Files.readString(Path.of("sql", "kpi", name + ".sql")));
            assertThat(plain).as(name + ": rows").hasSize((int) piped.rowCount());
            for (int r = 0; r < piped.rows().size(); r++) {
                List<String> expected = new ArrayList<>();
                for (Object v : piped.rows().get(r)) expected.add(String.valueOf(v));
                assertThat(plain.get(r)).as(name + ", row " + r).isEqualTo(expected);
            }
        }
    }

    /** The text as one statement over plain JDBC, nothing bound; rolled back. */
    private static List<List<String>> plain(String text) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        try (Connection c = h.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(text)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= n; i++) row.add(String.valueOf(rs.getObject(i)));
                    rows.add(row);
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
        return rows;
    }
}
