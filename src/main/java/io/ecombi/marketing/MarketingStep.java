package io.ecombi.marketing;

import io.ecombi.kpi.KpiTable;
import io.ecombi.report.Formats;
import io.ecombi.result.Kind;
import io.ecombi.result.Table;
import io.ecombi.run.PipelineRun;
import org.apache.camel.Exchange;

/**
 * "Is marketing working?": puts the section's results on the run as "marketing" from this run's funnel KPIs
 * (sql/kpi/funnel_steps.sql, funnel_weekly.sql); templates/sections/marketing.ftlh lays them out. A shop without
 * web events in the window gets hasEvents false (the section says so), never a funnel of zeros.
 */
public final class MarketingStep {

    /**
     * The funnel over the window: steps (sessions → view → cart → purchase, strict within a session), the weeks
     * (latest first), and the sessions with a purchase but no view before it, which the funnel does not count.
     */
    public record Marketing(String window, boolean hasEvents, String sessions, String purchaseSessions, String conversion,
                            String purchasesWithoutView, String purchasesWithoutViewShare, Table steps, Table weeks,
                            io.ecombi.chart.ChartFile chart) {
        Marketing withChart(io.ecombi.chart.ChartFile c) {
            return new Marketing(window, hasEvents, sessions, purchaseSessions, conversion, purchasesWithoutView, purchasesWithoutViewShare, steps, weeks, c);
        }
    }

    public void report(Exchange exchange) {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        Marketing m = marketing(run.kpi("funnel_steps"), run.kpi("funnel_weekly"), window(run));
        if (m == null) return;
        Object drawn = run.get(io.ecombi.chart.Charts.resultName("funnel", "funnel_steps"));
        if (m.hasEvents() && drawn instanceof io.ecombi.chart.ChartFile c) m = m.withChart(c);
        run.put("marketing", m);
    }

    static Marketing marketing(KpiTable steps, KpiTable weeks, String window) {
        if (steps == null) return null;
        if (steps.rows().isEmpty()) return new Marketing(window, false, null, null, null, null, null, null, null, null);
        int sessions = row(steps, "sessions"), purchase = row(steps, "purchase");
        int withoutView = row(steps, "purchase without a view (not in the funnel)");
        return new Marketing(window, true,
                Formats.value(Kind.COUNT, steps.value(sessions, "sessions"), "", true),
                Formats.value(Kind.COUNT, steps.value(purchase, "sessions"), "", true),
                Formats.value(Kind.PERCENT, steps.value(purchase, "overall_conversion_pct"), "", true),
                Formats.value(Kind.COUNT, steps.value(withoutView, "sessions"), "", true),
                Formats.value(Kind.PERCENT, steps.value(withoutView, "overall_conversion_pct"), "", true),
                Table.of(steps, null), weeks == null ? null : Table.of(weeks, null), null);
    }

    private static int row(KpiTable t, String step) {
        for (int r = 0; r < t.rows().size(); r++) if (step.equals(t.value(r, "step"))) return r;
        throw new IllegalStateException("funnel_steps has no row '" + step + "'");
    }

    private static String window(PipelineRun run) {
        KpiTable scope = run.kpi("data_scope");
        if (scope == null || scope.rows().isEmpty()) return "";
        return scope.value(0, "window_start") + " to " + scope.value(0, "window_end");
    }
}
