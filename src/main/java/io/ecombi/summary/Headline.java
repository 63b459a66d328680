package io.ecombi.summary;

import io.ecombi.kpi.KpiTable;
import io.ecombi.run.PipelineRun;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's main figures, taken from its small KPI tables: what the summary talks about, what the
 * next run compares itself with (kept in bi.run_summaries.headline). Every figure comes from one
 * KPI table, and with it the window it covers: a figure whose table is missing is left out, so no
 * sentence can be written about it.
 */
public final class Headline {
    private Headline() {}

    public static Map<String, Object> of(PipelineRun run) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("as_of", run.asOf().toString());
        KpiTable scope = run.kpi("data_scope");
        if (scope != null && !scope.rows().isEmpty()) {
            h.put("currency", String.valueOf(scope.value(0, "currency")));
            put(h, "first_sale_day", scope.value(0, "first_sale_day"));
        }
        KpiTable cards = run.kpi("kpi_cards");
        int current = row(cards, "period", "current"), previous = row(cards, "period", "previous");
        if (current >= 0 && cards.number(current, "orders") > 0) {
            h.put("window_start", String.valueOf(cards.value(current, "window_start")));
            h.put("window_end", String.valueOf(cards.value(current, "window_end")));
            h.put("net_revenue_12m", cards.number(current, "net_revenue"));
            h.put("gross_revenue_12m", cards.number(current, "gross_revenue"));
            h.put("discounts_12m", cards.number(current, "discounts"));
            h.put("credit_notes_12m", cards.number(current, "credit_notes"));
            h.put("orders_12m", (long) cards.number(current, "orders"));
            h.put("avg_order_value_12m", cards.number(current, "avg_order_value"));
            h.put("customers_12m", (long) cards.number(current, "customers"));
            double anonymous = cards.number(current, "anonymous_net_revenue");
            if (anonymous != 0) {
                h.put("anonymous_net_revenue_12m", anonymous);
                // unrounded, like the changes: the sentence rounds it once
                change(h, "anonymous_share_pct", Change.share(cards.value(current, "anonymous_net_revenue"), cards.value(current, "net_revenue")));
            }
            if (cards.number(current, "cost_coverage_pct") > 0) {
                h.put("gross_margin_pct_12m", cards.number(current, "gross_margin_pct"));
                h.put("cost_coverage_pct", cards.number(current, "cost_coverage_pct"));
            }
            // a year-over-year change only when kpi_cards says the previous window is comparable (the
            // data covers it in full: sql/kpi/kpi_cards.sql), and it had sales to compare with
            if (previous >= 0 && comparable(cards, previous) && cards.number(previous, "orders") > 0) {
                h.put("previous_window_start", String.valueOf(cards.value(previous, "window_start")));
                h.put("previous_window_end", String.valueOf(cards.value(previous, "window_end")));
                h.put("net_revenue_prev_12m", cards.number(previous, "net_revenue"));
                h.put("orders_prev_12m", (long) cards.number(previous, "orders"));
                h.put("avg_order_value_prev_12m", cards.number(previous, "avg_order_value"));
                h.put("customers_prev_12m", (long) cards.number(previous, "customers"));
                // each change as the cards take it (Formats.change, from the table's own values), kept unrounded: it is rounded once where it is written
                for (String metric : List.of("net_revenue", "orders", "avg_order_value", "customers")) {
                    change(h, metric + "_change_pct", Change.exact(Change.of(cards.value(current, metric), cards.value(previous, metric), false)));
                }
                if (cards.number(current, "cost_coverage_pct") > 0 && cards.number(previous, "cost_coverage_pct") > 0) {
                    h.put("gross_margin_pct_prev_12m", cards.number(previous, "gross_margin_pct"));
                    change(h, "gross_margin_change_pts", Change.exact(Change.of(cards.value(current, "gross_margin_pct"), cards.value(previous, "gross_margin_pct"), true)));
                }
                mainDriver(h, run.kpi("drivers_12m"));
            }
        }
        KpiTable cats = run.kpi("category_margins");
        if (cats != null && cats.rows().size() >= 2) {
            boolean known = true;
            for (int r = 0; r < cats.rows().size(); r++) known &= !Double.isNaN(cats.number(r, "margin_pct"));
            if (known) {
                int best = 0, worst = 0;
                for (int r = 0; r < cats.rows().size(); r++) {
                    if (cats.number(r, "margin_pct") > cats.number(best, "margin_pct")) best = r;
                    if (cats.number(r, "margin_pct") < cats.number(worst, "margin_pct")) worst = r;
                }
                h.put("best_margin_category", String.valueOf(cats.value(best, "category")));
                h.put("best_margin_pct", cats.number(best, "margin_pct"));
                h.put("worst_margin_category", String.valueOf(cats.value(worst, "category")));
                h.put("worst_margin_pct", cats.number(worst, "margin_pct"));
                h.put("top_profit_category", String.valueOf(cats.value(0, "category")));
            }
        }
        KpiTable countries = run.kpi("revenue_by_country");
        if (countries != null && !countries.rows().isEmpty()) {
            h.put("top_country", String.valueOf(countries.value(0, "country")));
            h.put("top_country_share_pct", countries.number(0, "revenue_share_pct"));
            h.put("countries", countries.rowCount());
        }
        KpiTable pareto = run.kpi("product_pareto");
        if (pareto != null && !pareto.rows().isEmpty()) {
            int top = 0;
            double share = 0;
            for (int r = 0; r < pareto.rows().size(); r++) {
                if ("Top 20%".equals(pareto.value(r, "segment"))) { top++; share = pareto.number(r, "cumulative_share_pct"); }
            }
            h.put("products", pareto.rowCount());
            h.put("top20_products", top);
            h.put("top20_revenue_share_pct", round(share));
        }
        // the one churn rate (sql/kpi/churn_rate.sql), with its population and window
        KpiTable churn = run.kpi("churn_rate");
        if (churn != null && !churn.rows().isEmpty() && churn.value(0, "churn_rate_pct") != null) {
            h.put("churn_rate_pct", churn.number(0, "churn_rate_pct"));
            h.put("churned_customers", (long) churn.number(0, "churned"));
            h.put("churn_population", (long) churn.number(0, "population"));
            h.put("churn_window_start", String.valueOf(churn.value(0, "window_start")));
            h.put("churn_window_end", String.valueOf(churn.value(0, "window_end")));
            h.put("churn_definition", String.valueOf(churn.value(0, "definition")));
        } else if (churn != null && !churn.rows().isEmpty() && churn.value(0, "withheld") != null) {
            h.put("churn_rate_withheld", "The churn rate is " + churn.value(0, "withheld"));
        }
        // RFM segments: who was scored (known customers with a sale in the scoring window), and the two
        // segments an executive acts on first; a segment's figures only when it has customers
        KpiTable seg = run.kpi("rfm_segments");
        if (seg != null && !seg.rows().isEmpty()) {
            long scored = 0;
            for (int r = 0; r < seg.rows().size(); r++) scored += (long) seg.number(r, "customers");
            if (scored > 0 && seg.columns().contains("window_start")) {
                h.put("rfm_customers_scored", scored);
                h.put("rfm_window_start", String.valueOf(seg.value(0, "window_start")));
                h.put("rfm_window_end", String.valueOf(seg.value(0, "window_end")));
                segment(h, seg, "Champions", "champions");
                segment(h, seg, "At Risk", "at_risk");
            }
        }
        // present only when a model was published (it beat its baselines): the scored window's money
        KpiTable risk = run.kpi("revenue_at_risk");
        if (risk != null && !risk.rows().isEmpty()) {
            double sum = 0, expected = 0;
            long scored = 0;
            for (int r = 0; r < risk.rows().size(); r++) {
                sum += risk.number(r, "revenue_at_risk");
                expected += risk.number(r, "expected_net_revenue");
                scored += (long) risk.number(r, "customers");
            }
            h.put("revenue_at_risk", round(sum));
            h.put("expected_net_revenue_at_risk_window", round(expected));
            h.put("risk_window_start", String.valueOf(risk.value(0, "window_start")));
            h.put("risk_window_end", String.valueOf(risk.value(0, "window_end")));
            h.put("customers_scored", scored);
        }
        Object verdict = run.get("churnModelVerdict");
        if (verdict != null) h.put("churn_model_verdict", verdict.toString());
        Object model = run.get("churnModel");
        if (model instanceof io.ecombi.churn.ChurnModel m) {
            h.put("model_cv_auc", Math.round(m.cvAucMean() * 1000) / 1000.0);
            h.put("model_cv_auc_sd", Math.round(m.cvAucStdDev() * 1000) / 1000.0);
            if (m.hasRecencyBaseline()) h.put("recency_cv_auc", Math.round(m.cvRecencyAucMean() * 1000) / 1000.0);
        }
        // next week's net revenue, from the forecast step (published model, or seasonal naive when none beat it)
        if (run.get("forecastOutcomes") instanceof java.util.List<?> outcomes) {
            for (Object o : outcomes) {
                if (!(o instanceof io.ecombi.forecast.Backtest.Outcome f) || !"net_revenue".equals(f.series()) || f.forecast().isEmpty()) continue;
                double total = 0;
                for (io.ecombi.forecast.Backtest.Band b : f.forecast()) total += b.forecast();
                h.put("forecast_net_revenue", round(total));
                h.put("forecast_start", f.forecast().get(0).day().toString());
                h.put("forecast_end", f.forecast().get(f.forecast().size() - 1).day().toString());
                h.put("forecast_model", f.published());
                h.put("forecast_beat_naive", f.beatNaive());
                io.ecombi.forecast.Backtest.Score best = f.score(f.bestCandidate());
                if (best != null && best.ok()) h.put("forecast_best_mase", Math.round(best.mase() * 100) / 100.0);
                h.put("forecast_coverage80_pct", Math.round(f.coverage80Pct() * 10) / 10.0);
            }
        }
        // customer lifetime value (io.ecombi.clv): predicted, or historical and why
        if (run.get("clvHeadline") instanceof Map<?, ?> clv) clv.forEach((k, v) -> h.put(String.valueOf(k), v));
        Object anomaly = run.get("anomalyHeadline");
        if (anomaly != null) {
            h.put("anomaly_headline", anomaly.toString());
            anomalyDriver(h, anomaly.toString(), run.kpi("drivers_anomalies"));
        }
        if (run.get(io.ecombi.anomaly.AnomalyStep.ANOMALIES_KEY) != null) h.put("anomalies_checked", true);
        return h;
    }

    private static void segment(Map<String, Object> h, KpiTable seg, String name, String key) {
        int r = row(seg, "segment", name);
        if (r < 0 || seg.number(r, "customers") <= 0) return;
        h.put(key + "_customers", (long) seg.number(r, "customers"));
        h.put(key + "_customers_pct", seg.number(r, "customers_pct"));
        h.put(key + "_net_revenue", seg.number(r, "net_revenue"));
        h.put(key + "_revenue_share_pct", seg.number(r, "revenue_share_pct"));
    }

    /** The previous window's "comparable" of kpi_cards; a kpi_cards without the column compares nothing. */
    private static boolean comparable(KpiTable cards, int previous) {
        return cards.columns().contains("comparable") && Boolean.TRUE.equals(cards.value(previous, "comparable"));
    }

    private static void change(Map<String, Object> h, String key, java.math.BigDecimal value) {
        if (value != null) h.put(key, value);
    }

    private static int row(KpiTable t, String column, String value) {
        if (t == null) return -1;
        for (int r = 0; r < t.rows().size(); r++) if (value.equals(String.valueOf(t.value(r, column)))) return r;
        return -1;
    }

    private static void put(Map<String, Object> h, String key, Object v) {
        if (v != null) h.put(key, v.toString());
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /**
     * The main driver of the 12-month net revenue move (sql/drivers/contributions.sql's main row):
     * the member, its dimension, its contribution and share of the change; or, when the change is
     * spread evenly (no row is main), that no dimension explains it.
     */
    private static void mainDriver(Map<String, Object> h, KpiTable t) {
        if (t == null) return;
        boolean moved = false;
        for (int r = 0; r < t.rows().size(); r++) {
            if (!"net_revenue".equals(t.value(r, "metric"))) continue;
            moved |= ((Number) t.value(r, "change")).doubleValue() != 0;
            if (Boolean.TRUE.equals(t.value(r, "main"))) {
                h.put("net_revenue_12m_main_driver", t.value(r, "member") + " (" + String.valueOf(t.value(r, "dimension")).replace('_', ' ') + ")");
                h.put("net_revenue_12m_main_driver_net_revenue", t.number(r, "contribution"));
                h.put("net_revenue_12m_main_driver_share_pct", t.number(r, "share_pct"));
                return;
            }
        }
        if (moved) h.put("net_revenue_12m_drivers", "spread evenly: no member of any dimension explains the change");
    }

    /**
     * The main driver of the net revenue change of the anomaly headline's day against the same weekday a
     * week earlier (sql/drivers/contributions.sql over that day: drivers_anomalies), or that none explains it.
     */
    private static void anomalyDriver(Map<String, Object> h, String headline, KpiTable t) {
        java.util.regex.Matcher day = java.util.regex.Pattern.compile(" on (\\d{4}-\\d{2}-\\d{2}) ").matcher(headline);
        if (t == null || !day.find()) return;
        boolean found = false;
        for (int r = 0; r < t.rows().size(); r++) {
            if (!day.group(1).equals(String.valueOf(t.value(r, "anomaly_day"))) || !"net_revenue".equals(t.value(r, "metric"))) continue;
            found = true;
            if (Boolean.TRUE.equals(t.value(r, "main"))) {
                h.put("anomaly_day", day.group(1));
                h.put("anomaly_main_driver", t.value(r, "member") + " (" + String.valueOf(t.value(r, "dimension")).replace('_', ' ') + ")");
                h.put("anomaly_main_driver_net_revenue", t.number(r, "contribution"));
                h.put("anomaly_main_driver_share_pct", t.number(r, "share_pct"));
                return;
            }
        }
        if (found) {
            h.put("anomaly_day", day.group(1));
            h.put("anomaly_drivers", "spread evenly: no member of any dimension explains that day's net revenue change against the same weekday a week earlier");
        }
    }
}
