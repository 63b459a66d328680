package io.ecombi.summary;

import io.ecombi.report.Formats;
import io.ecombi.result.Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The summary written without Claude: a fixed narrative from the run's headline figures, the same
 * every time for the same data. Used with no API key, with the circuit open, or when Claude fails.
 * A sentence is written only when every figure it needs is in the headline; each names the window
 * or population its figure covers.
 */
public final class OfflineSummary {
    private OfflineSummary() {}

    public static String write(Map<String, Object> h, String currency) {
        StringBuilder s = new StringBuilder();
        s.append("## Revenue\n\n");
        if (has(h, "net_revenue_12m", "orders_12m", "window_start", "window_end")) {
            s.append(String.format(Locale.US, "Over the 12 months from %s to %s the shop made %s in net revenue from %s orders",
                    h.get("window_start"), h.get("window_end"), money(currency, h.get("net_revenue_12m")), count(h.get("orders_12m"))));
            List<String> parts = new ArrayList<>();
            if (num(h.get("discounts_12m")) != 0) parts.add(money(currency, h.get("discounts_12m")) + " of discounts");
            if (num(h.get("credit_notes_12m")) != 0) parts.add(money(currency, h.get("credit_notes_12m")) + " of credit notes (cancellations)");
            if (!parts.isEmpty()) {
                s.append(String.format(Locale.US, " (%s gross, less %s)", money(currency, h.get("gross_revenue_12m")), String.join(" and ", parts)));
            }
            s.append('.');
            if (has(h, "avg_order_value_12m")) s.append(String.format(Locale.US, " The average order was worth %s.", money(currency, h.get("avg_order_value_12m"))));
            if (has(h, "net_revenue_change_pct", "net_revenue_prev_12m")) {
                // the change as the cards write it: from kpi_cards' values, rounded once (Change)
                s.append(String.format(Locale.US, " That is %s against the 12 months from %s to %s (%s).",
                        Change.of(Change.decimal(h.get("net_revenue_change_pct")), false).text(),
                        h.get("previous_window_start"), h.get("previous_window_end"), money(currency, h.get("net_revenue_prev_12m"))));
                // why it moved: the main driver (sql/drivers/contributions.sql), or that none explains it
                if (has(h, "net_revenue_12m_main_driver", "net_revenue_12m_main_driver_net_revenue", "net_revenue_12m_main_driver_share_pct")) {
                    s.append(String.format(Locale.US, " The main driver of the change: %s, %s%s (%s%% of the change).", h.get("net_revenue_12m_main_driver"),
                            num(h.get("net_revenue_12m_main_driver_net_revenue")) > 0 ? "+" : "", money(currency, h.get("net_revenue_12m_main_driver_net_revenue")),
                            fmt(h.get("net_revenue_12m_main_driver_share_pct"))));
                } else if (has(h, "net_revenue_12m_drivers")) {
                    s.append(" No single country, category, product, customer group or payment method explains the change: it is spread evenly.");
                }
            } else if (has(h, "previous_window_start", "previous_window_end")) {
                s.append(String.format(Locale.US, " The 12 months from %s to %s had no net revenue to compare with.", h.get("previous_window_start"), h.get("previous_window_end")));
            } else {
                s.append(" The data does not cover the 12 months before this window in full, so there is no like-for-like comparison.");
            }
            if (has(h, "anonymous_net_revenue_12m", "anonymous_share_pct")) {
                s.append(String.format(Locale.US, " %s of it (%s%%) came from sales without a known customer: the customer figures below leave it out.",
                        money(currency, h.get("anonymous_net_revenue_12m")), fmt(h.get("anonymous_share_pct"))));
            }
            if (has(h, "top_country", "top_country_share_pct")) {
                s.append(String.format(Locale.US, " %s brought %s%% of the window's net revenue.", h.get("top_country"), fmt(h.get("top_country_share_pct"))));
            }
            s.append('\n');
        } else {
            s.append("There were no sales in the 12 months to ").append(h.get("as_of")).append(".\n");
        }
        s.append("\n## Margins\n\n");
        if (has(h, "gross_margin_pct_12m", "cost_coverage_pct")) {
            s.append(String.format(Locale.US, "Gross margin on net sales over the same 12 months was %s%%", fmt(h.get("gross_margin_pct_12m"))));
            if (num(h.get("cost_coverage_pct")) < 99.995) s.append(String.format(Locale.US, " (cost is known for %s%% of net revenue)", fmt(h.get("cost_coverage_pct"))));
            s.append('.');
            if (has(h, "best_margin_category", "worst_margin_category", "best_margin_pct", "worst_margin_pct")
                    && !h.get("best_margin_category").equals(h.get("worst_margin_category"))) {
                s.append(String.format(Locale.US, " %s earns the highest margin (%s%%) and %s the lowest (%s%%); %s brings the most gross profit.",
                        h.get("best_margin_category"), fmt(h.get("best_margin_pct")), h.get("worst_margin_category"), fmt(h.get("worst_margin_pct")),
                        h.get("top_profit_category")));
            }
            s.append('\n');
        } else {
            s.append("Margins are not known for this data: it has no cost of goods.\n");
        }
        s.append("\n## Customers and churn\n\n");
        boolean customers = false;
        if (has(h, "churn_rate_pct", "churned_customers", "churn_population", "churn_window_start", "churn_window_end")) {
            s.append(String.format(Locale.US, "Of the %s customers active on %s, %s (%s%%, the churn rate) made no purchase from then to %s.",
                    count(h.get("churn_population")), h.get("churn_window_start"), count(h.get("churned_customers")), fmt(h.get("churn_rate_pct")),
                    h.get("churn_window_end")));
            customers = true;
        } else if (has(h, "churn_rate_withheld")) {
            s.append(h.get("churn_rate_withheld")).append('.');
            customers = true;
        }
        if (has(h, "revenue_at_risk", "customers_scored", "expected_net_revenue_at_risk_window", "risk_window_start", "risk_window_end")) {
            s.append(String.format(Locale.US, " Of the %s active customers scored, the churn model puts %s of the %s they would spend from %s to %s at their past pace at risk",
                    count(h.get("customers_scored")), money(currency, h.get("revenue_at_risk")), money(currency, h.get("expected_net_revenue_at_risk_window")),
                    h.get("risk_window_start"), h.get("risk_window_end")));
            if (has(h, "model_cv_auc", "model_cv_auc_sd")) {
                s.append(String.format(Locale.US, " (it ranks churners with a cross-validated ROC AUC of %s ± %s", h.get("model_cv_auc"), h.get("model_cv_auc_sd")));
                if (has(h, "recency_cv_auc")) s.append(String.format(Locale.US, ", against %s for recency alone", h.get("recency_cv_auc")));
                s.append(')');
            }
            s.append('.');
            customers = true;
        } else {
            s.append(customers ? " " : "").append("No churn model is published for this data")
                    .append(has(h, "churn_model_verdict") ? ": " + h.get("churn_model_verdict") : "").append(" (model_results.txt says why).");
        }
        if (has(h, "rfm_customers_scored", "rfm_window_start", "rfm_window_end")) {
            s.append(String.format(Locale.US, "\n\nRFM segments score the %s known customers with a sale from %s to %s (their net revenue below is over all history).",
                    count(h.get("rfm_customers_scored")), h.get("rfm_window_start"), h.get("rfm_window_end")));
            if (has(h, "champions_customers", "champions_customers_pct", "champions_net_revenue", "champions_revenue_share_pct")) {
                s.append(String.format(Locale.US, " %s of them (%s%%) are Champions, who bought recently, often and for the most: %s, %s%% of these customers' net revenue.",
                        count(h.get("champions_customers")), fmt(h.get("champions_customers_pct")), money(currency, h.get("champions_net_revenue")),
                        fmt(h.get("champions_revenue_share_pct"))));
            }
            if (has(h, "at_risk_customers", "at_risk_customers_pct", "at_risk_net_revenue", "at_risk_revenue_share_pct")) {
                s.append(String.format(Locale.US, " %s (%s%%) are At Risk, good customers who have not bought lately: %s, %s%% of it.",
                        count(h.get("at_risk_customers")), fmt(h.get("at_risk_customers_pct")), money(currency, h.get("at_risk_net_revenue")),
                        fmt(h.get("at_risk_revenue_share_pct"))));
            }
        }
        if (has(h, "clv_customers", "clv_historical_net_revenue", "clv_method")) {
            if (has(h, "clv_predicted_net_revenue_12m", "clv_period", "clv_expected_purchases_12m", "clv_discount_rate_annual_pct",
                    "clv_holdout_error_model", "clv_holdout_error_baseline")) {
                s.append(String.format(Locale.US, "\n\nPredicted customer value: the %s known customers are expected to bring %s of net revenue in %s"
                                + " from %s repeat purchases (BG/NBD and Gamma-Gamma fitted on their purchase history, discounted at %s%% a year). In a hold-out"
                                + " check the model predicted each customer's repeat purchases with a mean error of %s, against %s for repeating their past rate.",
                        count(h.get("clv_customers")), money(currency, h.get("clv_predicted_net_revenue_12m")), h.get("clv_period"),
                        count(h.get("clv_expected_purchases_12m")), fmt(h.get("clv_discount_rate_annual_pct")), h.get("clv_holdout_error_model"),
                        h.get("clv_holdout_error_baseline")));
            } else {
                s.append(String.format(Locale.US, "\n\nCustomer value is historical: the %s known customers have brought %s of net revenue to date."
                                + " No predicted value is given%s.", count(h.get("clv_customers")), money(currency, h.get("clv_historical_net_revenue")),
                        has(h, "clv_not_predicted_because") ? ": " + h.get("clv_not_predicted_because") : ""));
            }
        }
        s.append("\n\n## Products\n\n");
        if (has(h, "top20_revenue_share_pct", "top20_products", "products")) {
            s.append(String.format(Locale.US, "The top %s of %s products (20%%) made %s%% of the window's net revenue.\n",
                    count(h.get("top20_products")), count(h.get("products")), fmt(h.get("top20_revenue_share_pct"))));
        } else {
            s.append("No product had net sales in the window.\n");
        }
        if (has(h, "forecast_net_revenue", "forecast_start", "forecast_end", "forecast_model", "forecast_coverage80_pct") || has(h, "anomalies_checked")) {
            s.append("\n## Next week, and did something break?\n\n");
            if (has(h, "forecast_net_revenue", "forecast_start", "forecast_end", "forecast_model", "forecast_coverage80_pct")) {
                boolean beat = Boolean.TRUE.equals(h.get("forecast_beat_naive"));
                s.append(String.format(Locale.US, "From %s to %s net revenue is forecast at %s in all (%s%s; its 80%% bands held %s%% of past actuals in the backtest).",
                        h.get("forecast_start"), h.get("forecast_end"), money(currency, h.get("forecast_net_revenue")), h.get("forecast_model"),
                        beat && has(h, "forecast_best_mase") ? String.format(Locale.US, ", which beat the same-weekday-last-week forecast: MASE %s", h.get("forecast_best_mase"))
                                : beat ? "" : ": no model beat the same-weekday-last-week forecast, so that is what is shown",
                        fmt(h.get("forecast_coverage80_pct"))));
            }
            if (has(h, "anomaly_headline")) {
                s.append(has(h, "forecast_net_revenue") ? " " : "").append(h.get("anomaly_headline"));
                // why that day moved: its main driver against the same weekday a week earlier, or that none explains it
                if (has(h, "anomaly_day", "anomaly_main_driver", "anomaly_main_driver_net_revenue", "anomaly_main_driver_share_pct")) {
                    s.append(String.format(Locale.US, " The main driver of %s's net revenue change against the same weekday a week earlier: %s, %s%s (%s%% of the change).",
                            h.get("anomaly_day"), h.get("anomaly_main_driver"), num(h.get("anomaly_main_driver_net_revenue")) > 0 ? "+" : "",
                            money(currency, h.get("anomaly_main_driver_net_revenue")), fmt(h.get("anomaly_main_driver_share_pct"))));
                } else if (has(h, "anomaly_day", "anomaly_drivers")) {
                    s.append(String.format(Locale.US, " No single country, category, product, customer group or payment method explains %s's net revenue change"
                            + " against the same weekday a week earlier.", h.get("anomaly_day")));
                }
            }
            else if (has(h, "anomalies_checked")) s.append(has(h, "forecast_net_revenue") ? " " : "").append("No new critical or high anomaly in the recent days.");
            s.append('\n');
        }
        List<String> actions = new ArrayList<>();
        if (has(h, "revenue_at_risk")) {
            actions.add("Contact the customers at the top of data/retention_targets.csv first: they carry the most revenue at risk for the cost of a contact.");
        }
        if (has(h, "at_risk_customers")) {
            actions.add(String.format(Locale.US, "Win back the %s At Risk customers before they lapse: they are listed in data/rfm_customers.csv, with the action for them in sql/kpi/rfm_segment_rules.sql.",
                    count(h.get("at_risk_customers"))));
        }
        if (has(h, "top20_revenue_share_pct")) {
            actions.add("Protect stock and availability of the top-20% products, which carry most of the revenue, and review the long tail.");
        }
        if (has(h, "best_margin_category", "worst_margin_category") && !h.get("best_margin_category").equals(h.get("worst_margin_category"))) {
            actions.add(String.format(Locale.US, "Review pricing and costs in %s, the lowest-margin category, and grow %s, the highest.",
                    h.get("worst_margin_category"), h.get("best_margin_category")));
        }
        if (has(h, "anonymous_share_pct") && num(h.get("anonymous_share_pct")) >= 5) {
            actions.add("Capture a customer id on more orders: customer analyses cannot see the anonymous share of sales.");
        }
        if (!actions.isEmpty()) {
            s.append("\n## Recommended actions\n\n");
            for (int i = 0; i < actions.size(); i++) s.append(i + 1).append(". ").append(actions.get(i)).append('\n');
        }
        return s.toString();
    }

    private static boolean has(Map<String, Object> h, String... keys) {
        for (String k : keys) if (h.get(k) == null) return false;
        return true;
    }

    private static String money(String currency, Object v) {
        return Formats.money(currency, num(v));
    }

    private static String count(Object v) {
        return String.format(Locale.US, "%,d", ((Number) v).longValue());
    }

    /** A percentage's digits, one decimal half up by Formats, as the tables write it (a double from SQL by its decimal form). */
    private static String fmt(Object v) {
        java.math.BigDecimal d = Change.decimal(v);
        if (d == null) return "–";
        String pct = Formats.value(Kind.PERCENT, d, "", true);
        return pct.substring(0, pct.length() - 1);
    }

    private static double num(Object v) {
        return v instanceof Number n ? n.doubleValue() : 0;
    }
}
