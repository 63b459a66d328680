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
 * {@link #report} lays the monthly cohorts out as grids for the dashboard (cohortsHtml), with the
 * revenue-retention heatmap the route draws (renderer revenueRetentionHeatmap) under its grid.
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

    /**
     * The average retention curve as a table of its own (cohort_retention_curve, data/ and bi like
     * every KPI table): one row per month since acquisition, taken from cohort_monthly's avg_*_at_k
     * columns, which the SQL computes. Drawn by the retentionCurve renderer.
     */
    public void curve(Exchange exchange) throws java.io.IOException {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        KpiTable monthly = run.kpi("cohort_monthly");
        if (monthly == null) {
            throw new IllegalStateException("the retention curve needs the KPI table 'cohort_monthly': put its kpi-query step before cohorts.curve in routes/run-pipeline.camel.yaml");
        }
        java.util.Map<Integer, java.util.Map<String, Object>> byK = new java.util.TreeMap<>();
        for (int r = 0; r < monthly.rows().size(); r++) {
            int k = (int) monthly.number(r, "months_since");
            if (byK.containsKey(k)) continue;
            java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
            row.put("months_since", k);
            row.put("cohorts", monthly.value(r, "cohorts_at_k"));
            row.put("avg_customer_retention_pct", monthly.value(r, "avg_customer_retention_pct_at_k"));
            row.put("avg_revenue_retention_pct", monthly.value(r, "avg_revenue_retention_pct_at_k"));
            byK.put(k, row);
        }
        run.addKpi(KpiTable.write("cohort_retention_curve", byK.values().iterator(),
                run.dir().resolve("data").resolve("cohort_retention_curve.csv"), Integer.MAX_VALUE));
    }

    public void report(Exchange exchange) throws java.io.IOException {
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
            figure(h, run.get(io.ecombi.chart.Charts.resultName("revenueRetentionHeatmap", "cohort_monthly")));
        }
        run.put("cohortsHtml", h.toString());
    }

    /** A chart the route drew (the revenue-retention heatmap), shown under its table; nothing when the route draws none. */
    private static void figure(StringBuilder h, Object drawn) throws java.io.IOException {
        if (!(drawn instanceof io.ecombi.chart.ChartFile c) || !java.nio.file.Files.isRegularFile(c.file())) return;
        h.append("<figure><img src=\"data:image/png;base64,")
                .append(java.util.Base64.getEncoder().encodeToString(java.nio.file.Files.readAllBytes(c.file())))
                .append("\" alt=\"").append(Html.esc(c.altText())).append("\" width=\"1200\" height=\"700\"><figcaption>")
                .append(Html.esc(c.title())).append(" (<code>visualizations/").append(Html.esc(c.file().getFileName())).append("</code>)</figcaption></figure>\n");
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
                        .append(v != null && g.partial()[c][k] ? "*" : "").append("</td>");   // the partial mark only on a value
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table>\n");
    }
}
