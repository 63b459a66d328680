package io.ecombi.trend;

import io.ecombi.Settings;
import io.ecombi.kpi.KpiTable;
import io.ecombi.report.Formats;
import io.ecombi.report.Html;
import io.ecombi.run.PipelineRun;
import org.apache.camel.Exchange;

import java.util.Locale;

/**
 * Is this week better than last? The period-over-period cards (sql/kpi/period_comparisons.sql) for
 * the dashboard (trendHtml): each card says which two date ranges it compares.
 */
public final class TrendStep {
    private final String defaultCurrency;

    public TrendStep(Settings settings) {
        this.defaultCurrency = settings.get("ecombi.report.currency", "USD");
    }

    public void report(Exchange exchange) {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        KpiTable t = run.kpi("period_comparisons");
        if (t == null) return;
        String currency = Formats.symbol(Formats.currencyCode(run, defaultCurrency));
        StringBuilder h = new StringBuilder("<div class=\"cards\">\n");
        for (int r = 0; r < t.rows().size(); r++) {
            String label = switch (String.valueOf(t.value(r, "comparison"))) {
                case "wow" -> "Last 7 days (WoW)";
                case "yoy" -> "Last 30 days (YoY)";
                case "mtd" -> "Month to date (MoM)";
                default -> String.valueOf(t.value(r, "comparison"));
            };
            h.append("<div class=\"card\"><div class=\"label\">").append(Html.esc(label)).append("</div><div class=\"value\">")
                    .append(Html.esc(Formats.cell("net_revenue", t.value(r, "net_revenue"), currency))).append("</div>");
            String against = "vs " + t.value(r, "compare_start") + " to " + t.value(r, "compare_end") + " ("
                    + Formats.cell("net_revenue", t.value(r, "compare_net_revenue"), currency) + ")";
            Object change = t.value(r, "net_revenue_change_pct");
            if (!Boolean.TRUE.equals(t.value(r, "covered"))) {
                h.append("<div class=\"delta\"><span class=\"muted\">no like-for-like comparison: the data starts after ")
                        .append(Html.esc(t.value(r, "compare_start"))).append("</span></div>");
            } else if (change == null) {
                h.append("<div class=\"delta\"><span class=\"muted\">no sales ").append(Html.esc(against)).append("</span></div>");
            } else {
                double d = ((Number) change).doubleValue();
                String cls = d > 0.05 ? "up" : d < -0.05 ? "down" : "flat";
                String arrow = d > 0.05 ? "▲" : d < -0.05 ? "▼" : "■";
                h.append(String.format(Locale.US, "<div class=\"delta %s\">%s %+.1f%% <span class=\"muted\">%s</span></div>", cls, arrow, d, Html.esc(against)));
            }
            h.append("<div class=\"muted\">").append(Html.esc(t.value(r, "period_start") + " to " + t.value(r, "period_end") + "; "
                    + Formats.cell("orders", t.value(r, "orders"), currency) + " orders vs " + Formats.cell("orders", t.value(r, "compare_orders"), currency)))
                    .append("</div></div>\n");
        }
        h.append("</div>\n<p class=\"muted\">Net revenue of every sale, credit notes subtracted; date ranges include both ends. "
                + "The daily chart shows each day with its 7-day moving average.</p>\n");
        run.put("trendHtml", h.toString());
    }
}
