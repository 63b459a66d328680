package io.ecombi.cohort;

import io.ecombi.Settings;
import io.ecombi.kpi.KpiTable;
import io.ecombi.report.Html;
import io.ecombi.run.PipelineRun;
import org.apache.camel.Exchange;

import java.util.Locale;

/**
 * Do the customers we win come back? Acquisition cohorts (sql/kpi/cohort_monthly.sql,
 * cohort_weekly.sql). {@link #parameters} gives the queries their settings as typed headers;
 * {@link #report} lays the monthly cohorts out as grids for the dashboard (cohortsHtml).
 */
public final class CohortStep {
    private final int months;
    private final int weeks;

    public CohortStep(Settings settings) {
        this.months = settings.getInt("ecombi.cohort.months", 12);
        this.weeks = settings.getInt("ecombi.cohort.weeks", 12);
        if (months < 1 || weeks < 1) throw new IllegalArgumentException("ecombi.cohort.months and ecombi.cohort.weeks must be 1 or more");
    }

    /** Headers :#cohortMonths and :#cohortWeeks for the KPI queries that follow. */
    public void parameters(Exchange exchange) {
        exchange.getMessage().setHeader("cohortMonths", months);
        exchange.getMessage().setHeader("cohortWeeks", weeks);
    }

    public void report(Exchange exchange) {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        KpiTable monthly = run.kpi("cohort_monthly");
        if (monthly == null) return;
        StringBuilder h = new StringBuilder();
        if (monthly.rows().isEmpty()) {
            h.append("<p class=\"muted\">No customer made a first order in the last ").append(months).append(" months.</p>\n");
        } else {
            h.append("<p>Customers by the month of their first order (the last ").append(months)
                    .append(" months). Empty = a month the cohort has not lived yet; * = the month still in progress. All cells in <code>data/cohort_monthly.csv</code>, weekly cohorts in <code>data/cohort_weekly.csv</code>.</p>\n");
            grid(h, "Share of the cohort with a sale in the month", CohortGrid.of(monthly, "customer_retention_pct"));
            grid(h, "Revenue retention: the cohort's net revenue in the month ÷ month 0", CohortGrid.of(monthly, "revenue_retention_pct"));
        }
        run.put("cohortsHtml", h.toString());
    }

    private static void grid(StringBuilder h, String title, CohortGrid g) {
        h.append("<h3>").append(Html.esc(title)).append("</h3>\n<table><thead><tr><th>cohort</th><th>customers</th>");
        for (int k = 0; k < g.periods(); k++) h.append("<th>").append(k).append("</th>");
        h.append("</tr></thead><tbody>\n");
        for (int c = 0; c < g.cohorts().size(); c++) {
            h.append("<tr><td>").append(Html.esc(g.cohorts().get(c).substring(0, 7))).append("</td><td class=\"num\">")
                    .append(String.format(Locale.US, "%,d", g.sizes().get(c))).append("</td>");
            for (int k = 0; k < g.periods(); k++) {
                Double v = g.values()[c][k];
                h.append("<td class=\"num\">").append(v == null ? "" : String.format(Locale.US, "%.1f%%", v))
                        .append(g.partial()[c][k] ? "*" : "").append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table>\n");
    }
}
