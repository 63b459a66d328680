package io.ecombi.summary;

import io.ecombi.report.Formats;

import java.util.Locale;
import java.util.Map;

/**
 * The summary written without Claude: a fixed narrative from the run's headline figures, the same
 * every time for the same data. Used with no API key, with the circuit open, or when Claude fails.
 */
public final class OfflineSummary {
    private OfflineSummary() {}

    public static String write(Map<String, Object> h, Map<String, Object> previous, String currency) {
        StringBuilder s = new StringBuilder();
        s.append("## Revenue\n\n");
        if (h.containsKey("revenue_12m")) {
            s.append(String.format(Locale.US, "Over the 12 months to %s the shop made %s in revenue, %s after discounts, from %s completed orders.",
                    h.get("as_of"), money(currency, h.get("revenue_12m")), money(currency, h.get("net_revenue_12m")), count(h.get("orders_12m"))));
            if (previous != null && previous.get("revenue_12m") instanceof Number p && p.doubleValue() != 0) {
                double change = 100 * (num(h.get("revenue_12m")) - p.doubleValue()) / p.doubleValue();
                s.append(String.format(Locale.US, " That is %s%.1f%% against the previous report (as of %s).", change >= 0 ? "+" : "", change, previous.get("as_of")));
            }
            s.append('\n');
        }
        if (h.get("latest_revenue") != null) {
            s.append(String.format(Locale.US, "\nIn %s revenue was %s: %s against the month before and %s against the same month a year earlier.\n",
                    monthName(h.get("latest_month")), money(currency, h.get("latest_revenue")),
                    change(h.get("latest_revenue"), h.get("previous_revenue")), change(h.get("latest_revenue"), h.get("year_before_revenue"))));
        }
        s.append("\n## Margins\n\n");
        if (h.containsKey("best_margin_category")) {
            s.append(String.format(Locale.US, "Gross margin over the trailing year was %s%%. %s earns the highest margin (%s%%) and %s the lowest (%s%%); "
                            + "%s brings the most gross profit.\n", fmt(h.get("gross_margin_pct_12m")), h.get("best_margin_category"), fmt(h.get("best_margin_pct")),
                    h.get("worst_margin_category"), fmt(h.get("worst_margin_pct")), h.get("top_profit_category")));
        } else {
            s.append("Margins are not available for this data.\n");
        }
        s.append("\n## Customers and churn\n\n");
        if (h.get("churn_rate_pct") != null) {
            s.append(String.format(Locale.US, "%s repeat customers (%s%% of them) have not ordered within the churn window.", count(h.get("churned_customers")), fmt(h.get("churn_rate_pct"))));
        }
        if (h.get("revenue_at_risk") != null) {
            s.append(String.format(Locale.US, " Of the %s active customers scored, the churn model puts %s of last year's revenue at risk in the next window",
                    count(h.get("customers_scored")), money(currency, h.get("revenue_at_risk"))));
            if (h.get("model_auc") != null) {
                s.append(String.format(Locale.US, " (the model ranks churners with ROC AUC %s; random forest baseline %s)", h.get("model_auc"), h.get("forest_auc")));
            }
            s.append('.');
        } else {
            s.append(" The churn model did not run for this data (see model_results.txt).");
        }
        s.append("\n\n## Products\n\n");
        if (h.get("top20_revenue_share_pct") != null) {
            s.append(String.format(Locale.US, "The top %s of %s products (20%%) made %s%% of the trailing year's revenue.\n",
                    count(h.get("top20_products")), count(h.get("products")), fmt(h.get("top20_revenue_share_pct"))));
        }
        s.append("\n## Recommended actions\n\n");
        s.append("1. Contact the customers at the top of data/retention_targets.csv first: they carry the most revenue at risk for the cost of a contact.\n");
        s.append(String.format(Locale.US, "2. Protect stock and availability of the top-20%% products, which carry most of the revenue, and review the long tail.%n"));
        s.append(String.format(Locale.US, "3. Review pricing and costs in %s, the lowest-margin category, and grow %s, the highest.%n",
                h.getOrDefault("worst_margin_category", "the lowest-margin category"), h.getOrDefault("best_margin_category", "the highest-margin one")));
        return s.toString();
    }

    private static String monthName(Object isoDate) {
        try {
            return java.time.LocalDate.parse(String.valueOf(isoDate)).format(java.time.format.DateTimeFormatter.ofPattern("MMMM yyyy", Locale.US));
        } catch (RuntimeException e) {
            return String.valueOf(isoDate);
        }
    }

    private static String change(Object now, Object then) {
        if (!(now instanceof Number a) || !(then instanceof Number b) || b.doubleValue() == 0) return "no comparison";
        double c = 100 * (a.doubleValue() - b.doubleValue()) / b.doubleValue();
        return String.format(Locale.US, "%s%.1f%%", c >= 0 ? "+" : "", c);
    }

    private static String money(String currency, Object v) {
        return v instanceof Number n ? Formats.money(currency, n.doubleValue()) : "n/a";
    }

    private static String count(Object v) {
        return v instanceof Number n ? String.format(Locale.US, "%,d", n.longValue()) : "n/a";
    }

    private static String fmt(Object v) {
        return v instanceof Number n ? String.format(Locale.US, "%.1f", n.doubleValue()) : "n/a";
    }

    private static double num(Object v) {
        return v instanceof Number n ? n.doubleValue() : 0;
    }
}
