package io.ecombi.trend;

import io.ecombi.Settings;
import io.ecombi.kpi.KpiTable;
import io.ecombi.report.Formats;
import io.ecombi.run.PipelineRun;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.List;

/**
 * Is this week better than last? The period-over-period cards (sql/kpi/period_comparisons.sql) as
 * the result "trend": each card says which two date ranges it compares, and whether the data
 * covers the earlier one (the SQL's covered column).
 */
public final class TrendStep {
    private final String defaultCurrency;

    public TrendStep(Settings settings) {
        this.defaultCurrency = settings.get("ecombi.report.currency");
    }

    /**
     * One comparison: its label, the period and its net revenue and orders, what it is compared
     * with; change and direction (up, down, flat) only when the data covers the earlier period and
     * it had sales.
     */
    public record Card(String comparison, String label, String periodStart, String periodEnd, String netRevenue, String orders,
                       String compareStart, String compareEnd, String compareNetRevenue, String compareOrders,
                       boolean covered, String change, String direction) {}

    public void report(Exchange exchange) {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        KpiTable t = run.kpi("period_comparisons");
        if (t == null) return;
        String currency = Formats.symbol(Formats.currencyCode(run, defaultCurrency));
        List<Card> cards = new ArrayList<>();
        for (int r = 0; r < t.rows().size(); r++) {
            String comparison = String.valueOf(t.value(r, "comparison"));
            String label = switch (comparison) {
                case "wow" -> "Last 7 days (WoW)";
                case "yoy" -> "Last 30 days (YoY)";
                case "mtd" -> "Month to date (MoM)";
                default -> comparison;
            };
            boolean covered = Boolean.TRUE.equals(t.value(r, "covered"));
            // from the two amounts, rounded once (the SQL's change column is already rounded to 2 places)
            Formats.Change change = covered ? Formats.change((Number) t.value(r, "net_revenue"), (Number) t.value(r, "compare_net_revenue"), false) : null;
            String text = change == null ? null : change.text(), direction = change == null ? null : change.direction();
            cards.add(new Card(comparison, label, str(t.value(r, "period_start")), str(t.value(r, "period_end")),
                    Formats.cell("net_revenue", t.value(r, "net_revenue"), currency), Formats.cell("orders", t.value(r, "orders"), currency),
                    str(t.value(r, "compare_start")), str(t.value(r, "compare_end")),
                    Formats.cell("net_revenue", t.value(r, "compare_net_revenue"), currency), Formats.cell("orders", t.value(r, "compare_orders"), currency),
                    covered, text, direction));
        }
        run.put("trend", List.copyOf(cards));
    }

    private static String str(Object v) {
        return v == null ? "" : v.toString();
    }
}
