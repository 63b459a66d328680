package io.ecombi.kpi;

import io.ecombi.EcombiRuntime;
import io.ecombi.run.PipelineRun;
import io.ecombi.summary.Headline;
import io.ecombi.testing.KpiHarness;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static io.ecombi.kpi.Cells.column;
import static io.ecombi.kpi.Cells.row;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fact layer's rules (sql/fact) on src/test/resources/fixtures/sales_rules_fixture.sql, through
 * the harness (no runtime): a run as of 2026-04-10, then the one the tests read, as of 2026-06-30.
 * The headline and the executive summary need the whole pipeline: that one test starts it. Every
 * expected value is worked out by hand in the comments.
 */
class SalesRulesTest {
    static KpiHarness h;
    static KpiHarness.Run april;
    static KpiHarness.Run run;

    @BeforeAll
    static void factLayerOnFixture() {
        h = KpiHarness.start().load("sales_rules_fixture.sql");
        april = h.run(LocalDate.of(2026, 4, 10), "kpi_cards");
        run = h.run(LocalDate.of(2026, 6, 30));   // the fact layer the tests read
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    @Test
    void creditNotesAnonymousSalesAndDiscountsInTheHeadline() {
        KpiTable t = run.kpi("kpi_cards");
        // window (2025-06-30, 2026-06-30]: sales 200, 202 (no customer), 203; credit notes 201 and 206 (a discount
        // given back, no lines); 204 is older, 205 cancelled.
        // gross of the sales: 240 + 120 + 100.25 = 460.25; their discounts 24 + 12 + 0.125 = 36.125 -> 36.13;
        // credit notes 100 + 5 = 105; net 460.25 - 36.125 - 105 = 319.125 -> 319.13; orders 3 (a credit note is not
        // an order); AOV 319.125 / 3 = 106.375 -> 106.38; customers 1 and 2; anonymous 108;
        // margin over the lines with a cost (206's discount line has none): net 324.125, cost
        // 130 - 60 + 30 + 60.0625 = 160.0625 -> (324.125 - 160.0625) / 324.125 = 50.6170 %, all product lines costed
        assertThat(row(t, 0)).containsExactly("current", "2025-07-01", "2026-06-30", "319.13", "460.25", "36.13", "105.00",
                "3", "106.38", "2", "108.00", "50.6170", "100.00", "");
        // the 12 months before: 204 (40) on 2025-04-20
        assertThat(row(t, 1).subList(3, 8)).containsExactly("40.00", "40.00", "0.00", "0.00", "1");
    }

    @Test
    void marginsPerCategoryAreOnNetSalesWithCreditNotesSubtracted() {
        KpiTable t = run.kpi("category_margins");
        // Electronics: 200 -> 2 x 100 less 24 x 200/240 = 20 -> 180, cost 120; 201 -> -100, cost -60;
        // 203 -> 100.25 - 0.125 = 100.125, cost 60.0625: net 180.125, cost 120.0625, GP 60.0625, 33.34 %
        // Apparel: 200 -> 40 - 4 = 36, cost 10; 202 -> 120 - 12 = 108, cost 30: net 144, cost 40, GP 104, 72.22 %
        // 206's discount given back has no product: its own row, no cost, so no margin
        assertThat(column(t, "category")).containsExactly("Apparel", "Electronics", "Unallocated order discounts");
        assertThat(column(t, "net_revenue")).containsExactly("144.00", "180.13", "-5.00");
        assertThat(column(t, "gross_profit")).containsExactly("104.00", "60.06", "");
        assertThat(column(t, "margin_pct")).containsExactly("72.22", "33.34", "");
        assertThat(column(t, "units")).containsExactly("4", "2", "0");   // Widgets 2 - 1 + 1
    }

    @Test
    void everySaleCountsByCountryAndCustomerFiguresNeedACustomer() {
        KpiTable c = run.kpi("revenue_by_country");
        // UK (customer 1): 216 - 100 = 116; France (no customer, the order's country): 108; US: 100.125 - 5 = 95.125
        assertThat(column(c, "country")).containsExactly("United Kingdom", "France", "United States");
        assertThat(column(c, "net_revenue")).containsExactly("116.00", "108.00", "95.13");
        assertThat(column(c, "anonymous_net_revenue")).containsExactly("0.00", "108.00", "0.00");
        // shares of 319.125: 36.35 %, 33.84 %, 29.81 %
        assertThat(column(c, "revenue_share_pct")).containsExactly("36.35", "33.84", "29.81");
        assertThat(column(c, "customers")).containsExactly("1", "0", "1");

        KpiTable clv = run.kpi("customer_lifetime_value");
        // customer 2: 204 (40) + 203 (100.125) - 206 (5) = 135.125, 2 orders; customer 1: 216 - 100 = 116, 1 order (a
        // credit note is not an order); the anonymous sale belongs to no customer
        assertThat(column(clv, "customer_id")).containsExactly("2", "1");
        assertThat(column(clv, "net_revenue")).containsExactly("135.13", "116.00");
        assertThat(column(clv, "orders")).containsExactly("2", "1");
    }

    @Test
    void paretoNetsCreditNotesOutOfTheProductTheyBelongTo() {
        KpiTable t = run.kpi("product_pareto");
        // Widget 180 - 100 + 100.125 = 180.125; Shirt 144; 206's discount belongs to no product
        assertThat(column(t, "product_name")).containsExactly("Widget", "Shirt");
        assertThat(column(t, "net_revenue")).containsExactly("180.13", "144.00");
    }

    @Test
    void dailyFactKeepsEveryDayAndTheCreditNoteOnItsOwnDate() {
        List<Map<String, Object>> days = h.query(
                "SELECT day, orders, net_revenue, credit_note_revenue, anonymous_net_revenue FROM fact.daily_sales"
                        + " WHERE day IN ('2026-03-01', '2026-03-02', '2026-03-05', '2026-04-10') ORDER BY day");
        assertThat(days).hasSize(4);
        assertThat((BigDecimal) days.get(0).get("net_revenue")).isEqualByComparingTo("216");
        assertThat(((BigDecimal) days.get(1).get("net_revenue")).signum()).isZero();          // a day without sales is a 0
        assertThat((BigDecimal) days.get(2).get("credit_note_revenue")).isEqualByComparingTo("-100");
        assertThat(days.get(2).get("orders")).isEqualTo(0L);
        assertThat((BigDecimal) days.get(3).get("anonymous_net_revenue")).isEqualByComparingTo("108");
        // 2025-04-20 .. 2026-06-30: 437 days, one row each
        assertThat(h.query("SELECT count(*) AS n FROM fact.daily_sales").get(0).get("n")).isEqualTo(437L);
    }

    @Test
    void theTwelveMonthsAreTheTrailingWindowOnAnyAsOfDateAndComparisonsNeedAFullPreviousWindow() {
        // (2025-04-10, 2026-04-10] holds 204 (2025-04-20: before the first calendar month 2025-05 a month-sum would
        // start at), 200, 201, 202: 40 + 216 - 100 + 108 = 264
        assertThat(row(april.kpi("kpi_cards"), 0).subList(0, 4)).containsExactly("current", "2025-04-11", "2026-04-10", "264.00");
        // the data starts on 2025-04-20, after the previous window's start 2024-04-11: kpi_cards says not comparable
        assertThat(column(april.kpi("kpi_cards"), "comparable")).containsExactly("", "false");
    }

    @Test
    void theHeadlineAndSummaryOfARunGiveNoYearOverYearFigureWithoutAFullPreviousWindow(@TempDir Path work) throws Exception {
        try (EcombiRuntime rt = TestRuntime.start(TestRuntime.overrides(TestDatabase.newDatabase(), work))) {
            Sql.loadFixture(rt.database().dataSource(), "sales_rules_fixture.sql");
            Exchange mid = rt.runOnce("test", LocalDate.of(2026, 4, 10));
            assertThat(mid.getException()).isNull();
            PipelineRun r = EcombiRuntime.runOf(mid);
            // the 264 of kpi_cards as of 2026-04-10 (above); not comparable, so no year-over-year figure
            Map<String, Object> headline = Headline.of(r);
            assertThat(((Number) headline.get("net_revenue_12m")).doubleValue()).isEqualTo(264.0);
            assertThat(headline).doesNotContainKey("net_revenue_change_pct").doesNotContainKey("previous_window_start");
            String summary = Files.readString(r.dir().resolve("executive_summary.md"));
            assertThat(summary).contains("from 2025-04-11 to 2026-04-10").contains("$264.00 in net revenue")
                    .contains("no like-for-like comparison").contains("$108.00 of it (40.9%) came from sales without a known customer");
        }
    }
}
