package io.ecombi.summary;

import io.ecombi.kpi.KpiTable;
import io.ecombi.run.PipelineRun;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The run's main figures, taken from its small KPI tables: what the summary talks about, what the
 * next run compares itself with (kept in bi.run_summaries.headline).
 */
public final class Headline {
    private Headline() {}

    public static Map<String, Object> of(PipelineRun run) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("as_of", run.asOf().toString());
        KpiTable months = run.kpi("monthly_revenue");
        if (months != null && !months.rows().isEmpty()) {
            double revenue = 0, net = 0, orders = 0;
            for (int r = 0; r < months.rows().size(); r++) {
                revenue += months.number(r, "revenue");
                net += months.number(r, "net_revenue");
                orders += months.number(r, "orders");
            }
            h.put("revenue_12m", round(revenue));
            h.put("net_revenue_12m", round(net));
            h.put("orders_12m", (long) orders);
        }
        KpiTable cards = run.kpi("kpi_cards");
        if (cards != null) {
            for (int r = 0; r < cards.rows().size(); r++) {
                String period = String.valueOf(cards.value(r, "period"));
                h.put(period + "_month", String.valueOf(cards.value(r, "month")));
                h.put(period + "_revenue", cards.number(r, "revenue"));
                h.put(period + "_orders", (long) cards.number(r, "orders"));
                h.put(period + "_gross_margin_pct", cards.number(r, "gross_margin_pct"));
            }
        }
        KpiTable cats = run.kpi("category_margins");
        boolean marginsKnown = cats != null && !cats.rows().isEmpty();
        if (marginsKnown) for (int r = 0; r < cats.rows().size(); r++) marginsKnown &= !Double.isNaN(cats.number(r, "margin_pct"));
        if (marginsKnown) {
            int best = 0, worst = 0;
            double revenue = 0, profit = 0;
            for (int r = 0; r < cats.rows().size(); r++) {
                if (cats.number(r, "margin_pct") > cats.number(best, "margin_pct")) best = r;
                if (cats.number(r, "margin_pct") < cats.number(worst, "margin_pct")) worst = r;
                revenue += cats.number(r, "revenue");
                profit += nz(cats.number(r, "gross_profit"));
            }
            h.put("best_margin_category", String.valueOf(cats.value(best, "category")));
            h.put("best_margin_pct", cats.number(best, "margin_pct"));
            h.put("worst_margin_category", String.valueOf(cats.value(worst, "category")));
            h.put("worst_margin_pct", cats.number(worst, "margin_pct"));
            h.put("top_profit_category", String.valueOf(cats.value(0, "category")));
            h.put("gross_margin_pct_12m", revenue == 0 ? null : round(100 * profit / revenue));
        }
        KpiTable pareto = run.kpi("product_pareto");
        if (pareto != null) {
            int top = 0;
            double share = 0;
            for (int r = 0; r < pareto.rows().size(); r++) {
                if ("Top 20%".equals(pareto.value(r, "segment"))) { top++; share = pareto.number(r, "cumulative_share_pct"); }
            }
            h.put("products", pareto.rowCount());
            h.put("top20_products", top);
            h.put("top20_revenue_share_pct", round(share));
        }
        KpiTable churn = run.kpi("churn_summary");
        if (churn != null) {
            double active = 0, churned = 0;
            for (int r = 0; r < churn.rows().size(); r++) {
                if ("active".equals(churn.value(r, "status"))) active = churn.number(r, "customers");
                if ("churned".equals(churn.value(r, "status"))) churned = churn.number(r, "customers");
            }
            h.put("churned_customers", (long) churned);
            h.put("churn_rate_pct", active + churned == 0 ? null : round(100 * churned / (active + churned)));
        }
        KpiTable risk = run.kpi("revenue_at_risk");
        if (risk != null) {
            double sum = 0;
            long scored = 0;
            for (int r = 0; r < risk.rows().size(); r++) { sum += risk.number(r, "revenue_at_risk"); scored += (long) risk.number(r, "customers"); }
            h.put("revenue_at_risk", round(sum));
            h.put("customers_scored", scored);
        }
        Object model = run.get("churnModel");
        if (model instanceof io.ecombi.churn.ChurnModel m) {
            h.put("model_auc", Math.round(m.metrics("logistic").rocAuc() * 1000) / 1000.0);
            h.put("forest_auc", Math.round(m.metrics("random forest").rocAuc() * 1000) / 1000.0);
        }
        return h;
    }

    private static double nz(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
