package io.ecombi.summary;

import io.ecombi.kpi.KpiTable;
import io.ecombi.run.PipelineRun;
import io.ecombi.run.Runs;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The offline narrative writes a sentence only when its figures exist; the claim check catches periods and rates. */
class OfflineSummaryTest {

    static Map<String, Object> sales() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("as_of", "2011-12-09");
        h.put("window_start", "2010-12-10");
        h.put("window_end", "2011-12-09");
        h.put("net_revenue_12m", 8_000_000.0);
        h.put("gross_revenue_12m", 8_600_000.0);
        h.put("discounts_12m", 0.0);
        h.put("credit_notes_12m", 600_000.0);
        h.put("orders_12m", 18_000L);
        h.put("avg_order_value_12m", 444.44);
        h.put("top20_products", 700);
        h.put("products", 3_500);
        h.put("top20_revenue_share_pct", 78.1);
        return h;
    }

    @Test
    void withoutCostOrModelNoSentenceNeedsTheirFigures() {
        String text = OfflineSummary.write(sales(), "£");
        assertThat(text).contains("Margins are not known for this data: it has no cost of goods.")
                .doesNotContain("lowest-margin category, the lowest-margin category")
                .doesNotContain("retention_targets.csv")
                .contains("No churn model is published for this data")
                .contains("less £600,000 of credit notes (cancellations)")
                .contains("no like-for-like comparison");
        // one action only: the margin and retention ones have no figures behind them
        assertThat(text).contains("1. Protect stock").doesNotContain("2. ");
    }

    @Test
    void withEveryFigureEachSentenceNamesItsWindow() {
        Map<String, Object> h = sales();
        h.put("gross_margin_pct_12m", 30.0);
        h.put("cost_coverage_pct", 100.0);
        h.put("best_margin_category", "Apparel");
        h.put("best_margin_pct", 56.3);
        h.put("worst_margin_category", "Electronics");
        h.put("worst_margin_pct", 15.5);
        h.put("top_profit_category", "Apparel");
        h.put("previous_window_start", "2009-12-10");
        h.put("previous_window_end", "2010-12-09");
        h.put("net_revenue_prev_12m", 4_000_000.0);
        h.put("net_revenue_change_pct", 100.0);
        String text = OfflineSummary.write(h, "$");
        assertThat(text).contains("Over the 12 months from 2010-12-10 to 2011-12-09 the shop made $8,000,000 in net revenue from 18,000 orders")
                .contains("+100.0% against the 12 months from 2009-12-10 to 2010-12-09 ($4,000,000)")
                .contains("Gross margin on net sales over the same 12 months was 30.0%.")
                .contains("Review pricing and costs in Electronics, the lowest-margin category, and grow Apparel, the highest.");
    }

    @Test
    void nextWeekNamesTheModelAndWhetherItBeatTheNaiveForecast() {
        Map<String, Object> h = sales();
        h.put("forecast_net_revenue", 520_000.0);
        h.put("forecast_start", "2026-11-01");
        h.put("forecast_end", "2026-11-07");
        h.put("forecast_model", "seasonal naive");
        h.put("forecast_beat_naive", false);
        h.put("forecast_coverage80_pct", 76.5);
        h.put("anomalies_checked", true);
        assertThat(OfflineSummary.write(h, "$")).contains("## Next week, and did something break?")
                .contains("From 2026-11-01 to 2026-11-07 net revenue is forecast at $520,000 in all (seasonal naive: no model beat the same-weekday-last-week forecast")
                .contains("its 80% bands held 76.5% of past actuals").contains("No new critical or high anomaly");
        h.put("forecast_model", "Holt-Winters");
        h.put("forecast_beat_naive", true);
        h.put("forecast_best_mase", 0.81);
        h.put("anomaly_headline", "Critical anomaly: net revenue on 2026-10-30 was $9,000 against an expected $60,000 (-85%, robust z -9.1).");
        assertThat(OfflineSummary.write(h, "$")).contains("(Holt-Winters, which beat the same-weekday-last-week forecast: MASE 0.81;")
                .contains("Critical anomaly: net revenue on 2026-10-30").doesNotContain("No new critical");
    }

    @Test
    void periodsTheDataDoesNotHaveAndOtherChurnRatesAreFlagged() {
        String prompt = "- net_revenue_12m: $8,000,000 (window 2010-12-10 to 2011-12-09, the last 12 months)\n- churn_rate_pct: 21.7%\n## Churn risk (next 90 days)";
        String answer = "Over the last 12 months revenue grew. Last week was strong, and the next quarter looks good. "
                + "The churn rate is 31.0% of repeat customers. About 22% of customers churn in the next 90 days.";
        assertThat(FigureCheck.claims(answer, prompt, 21.7)).containsExactly(
                "period \"Last week\" is not a period of the data",
                "period \"next quarter\" is not a period of the data",
                "churn rate 31.0% is not the report's churn rate (21.7%)");
    }

    /**
     * 4,000 customers scored (a sale from 2010-12-10 to 2011-12-09), 5,000,000 of net revenue over all history:
     * Champions 600 = 15.0 % of them with 3,000,000 = 60.0 %; At Risk 500 = 12.5 % with 400,000 = 8.0 %; Lost 2,900 =
     * 72.5 % with 1,600,000 = 32.0 % (600 + 500 + 2,900 = 4,000; 3.0M + 0.4M + 1.6M = 5.0M); Potential Loyalist none.
     */
    static PipelineRun segmentsRun(long atRisk) {
        List<String> cols = List.of("segment", "customers", "customers_pct", "net_revenue", "revenue_share_pct", "avg_churn_probability", "action",
                "window_start", "window_end");
        long lost = 3_400 - atRisk;
        BigDecimal atRiskRevenue = atRisk == 0 ? BigDecimal.ZERO : new BigDecimal("400000.00");
        PipelineRun run = Runs.of(LocalDate.of(2011, 12, 9), Path.of("target"));
        run.addKpi(KpiTable.of("rfm_segments", cols, List.of(
                new Object[]{"Champions", 600L, new BigDecimal("15.00"), new BigDecimal("3000000.00"), new BigDecimal("60.00"), null, "Reward them", "2010-12-10", "2011-12-09"},
                new Object[]{"Potential Loyalist", 0L, new BigDecimal("0.00"), new BigDecimal("0.00"), new BigDecimal("0.00"), null, "Offer a membership", "2010-12-10", "2011-12-09"},
                new Object[]{"At Risk", atRisk, new BigDecimal(atRisk == 0 ? "0.00" : "12.50"), atRiskRevenue, new BigDecimal(atRisk == 0 ? "0.00" : "8.00"), null,
                        "Win-back offer within 14 days", "2010-12-10", "2011-12-09"},
                new Object[]{"Lost", lost, new BigDecimal(atRisk == 0 ? "85.00" : "72.50"), new BigDecimal("5000000.00").subtract(new BigDecimal("3000000.00")).subtract(atRiskRevenue),
                        new BigDecimal(atRisk == 0 ? "40.00" : "32.00"), null, "Do not spend on them", "2010-12-10", "2011-12-09"})));
        return run;
    }

    @Test
    void theMoveNamesItsMainDriverOrSaysNoneExplainsIt() {
        Map<String, Object> h = sales();
        h.put("previous_window_start", "2009-12-10");
        h.put("previous_window_end", "2010-12-09");
        h.put("net_revenue_prev_12m", 8_020_400.0);
        h.put("net_revenue_change_pct", new BigDecimal("-0.254351"));
        h.put("net_revenue_12m_main_driver", "Germany (country)");
        h.put("net_revenue_12m_main_driver_net_revenue", new BigDecimal("-12400.00"));
        h.put("net_revenue_12m_main_driver_share_pct", new BigDecimal("60.8"));
        String text = OfflineSummary.write(h, "£");
        assertThat(text).contains("-0.3% against the 12 months from 2009-12-10 to 2010-12-09 (£8,020,400). "
                + "The main driver of the change: Germany (country), -£12,400 (60.8% of the change).");
        // Claude is given the same figures (and the name as quoted data), so the offline text passes the figure check
        String prompt = Prompt.user(Runs.of(LocalDate.of(2011, 12, 9), Path.of("target")), h, "£", 10);
        assertThat(prompt).contains("- net_revenue_12m_main_driver: \"Germany (country)\"", "- net_revenue_12m_main_driver_net_revenue: -£12,400",
                "- net_revenue_12m_main_driver_share_pct: 60.8%");
        String sentence = text.substring(text.indexOf("That is -0.3%"), text.indexOf("of the change).") + 15);
        FigureCheck.Result check = FigureCheck.check(sentence, prompt);
        assertThat(check.unmatched()).isEmpty();
        assertThat(check.checked()).isEqualTo(4);   // -0.3%, £8,020,400, -£12,400, 60.8%
        assertThat(FigureCheck.check("Germany took -£15,100 of it.", prompt).unmatched()).containsExactly("-£15,100");

        h.remove("net_revenue_12m_main_driver");
        h.remove("net_revenue_12m_main_driver_net_revenue");
        h.remove("net_revenue_12m_main_driver_share_pct");
        h.put("net_revenue_12m_drivers", "spread evenly: no member of any dimension explains the change");
        assertThat(OfflineSummary.write(h, "£")).contains("(£8,020,400). No single country, category, product, customer group or payment method"
                + " explains the change: it is spread evenly.");
    }

    @Test
    void theAnomalyOfTheHeadlineNamesItsDaysMainDriver() {
        Map<String, Object> h = sales();
        h.put("anomalies_checked", true);
        h.put("anomaly_headline", "Critical anomaly: net revenue on 2011-12-06 was £9,000.00 against an expected £30,000.00 (-70.0%, robust z -8.0).");
        h.put("anomaly_day", "2011-12-06");
        h.put("anomaly_main_driver", "EIRE (country)");
        h.put("anomaly_main_driver_net_revenue", new BigDecimal("-15800.00"));
        h.put("anomaly_main_driver_share_pct", new BigDecimal("72.5"));
        String text = OfflineSummary.write(h, "£");
        assertThat(text).contains("(-70.0%, robust z -8.0). The main driver of 2011-12-06's net revenue change against the same weekday a week earlier:"
                + " EIRE (country), -£15,800 (72.5% of the change).");
        String prompt = Prompt.user(Runs.of(LocalDate.of(2011, 12, 9), Path.of("target")), h, "£", 10);
        String sentence = text.substring(text.indexOf("The main driver of 2011-12-06"), text.indexOf("of the change).") + 15);
        assertThat(FigureCheck.check(sentence, prompt).unmatched()).isEmpty();
    }

    @Test
    void segmentFiguresAreWrittenWithTheirWindowAndPassTheFigureCheck() {
        PipelineRun run = segmentsRun(500);
        Map<String, Object> h = Headline.of(run);
        assertThat(h).containsEntry("rfm_customers_scored", 4_000L).containsEntry("rfm_window_start", "2010-12-10")
                .containsEntry("rfm_window_end", "2011-12-09").containsEntry("champions_customers", 600L)
                .containsEntry("champions_customers_pct", 15.0).containsEntry("champions_revenue_share_pct", 60.0)
                .containsEntry("at_risk_customers", 500L).containsEntry("at_risk_net_revenue", 400_000.0);
        String text = OfflineSummary.write(h, "£");
        assertThat(text).contains("RFM segments score the 4,000 known customers with a sale from 2010-12-10 to 2011-12-09 (their net revenue below is over all history).")
                .contains("600 of them (15.0%) are Champions, who bought recently, often and for the most: £3,000,000, 60.0% of these customers' net revenue.")
                .contains("500 (12.5%) are At Risk, good customers who have not bought lately: £400,000, 8.0% of it.")
                .contains("1. Win back the 500 At Risk customers before they lapse");
        // what Claude is given holds every figure of those sentences, so restating them is not flagged
        String prompt = Prompt.user(run, h, "£", 10);
        assertThat(prompt).contains("## RFM segments", "\"Win-back offer within 14 days\"");
        FigureCheck.Result check = FigureCheck.check(text, prompt);
        assertThat(check.unmatched()).isEmpty();
        assertThat(check.checked()).isGreaterThanOrEqualTo(9);
        assertThat(FigureCheck.claims(text, prompt, null)).isEmpty();
        // an invented segment figure still is
        assertThat(FigureCheck.check("Champions are 17.5% of customers.", prompt).unmatched()).containsExactly("17.5%");
    }

    @Test
    void aSegmentWithoutCustomersGetsNoSentenceAndNoSegmentsNoParagraph() {
        Map<String, Object> h = Headline.of(segmentsRun(0));
        assertThat(h).containsKey("champions_customers").doesNotContainKey("at_risk_customers").doesNotContainKey("at_risk_net_revenue");
        String text = OfflineSummary.write(h, "£");
        assertThat(text).contains("600 of them (15.0%) are Champions").doesNotContain("At Risk");
        assertThat(OfflineSummary.write(sales(), "£")).doesNotContain("RFM").doesNotContain("Champions");
    }
}
