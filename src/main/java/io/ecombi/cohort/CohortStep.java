package io.ecombi.cohort;

import io.ecombi.Settings;
import io.ecombi.kpi.KpiTable;
import io.ecombi.report.Formats;
import io.ecombi.result.Kind;
import io.ecombi.run.PipelineRun;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.List;

/**
 * Do the customers we win come back? Acquisition cohorts (sql/kpi/cohort_monthly.sql,
 * cohort_weekly.sql). {@link #parameters} gives the queries their settings as typed headers;
 * {@link #report} puts the monthly cohorts as grids on the run ("cohorts"), with the
 * revenue-retention heatmap the route draws (renderer revenueRetentionHeatmap) to show under its grid.
 */
public final class CohortStep {
    private final int months;
    private final int weeks;

    public CohortStep(Settings settings) {
        this.months = settings.getInt("ecombi.cohort.months");
        this.weeks = settings.getInt("ecombi.cohort.weeks");
        if (months < 1 || weeks < 1) throw new IllegalArgumentException("ecombi.cohort.months and ecombi.cohort.weeks must be 1 or more");
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

    /**
     * The monthly cohorts as grids (customer retention and revenue retention), with the
     * revenue-retention heatmap the route drew (null when it drew none); empty when no customer
     * made a first order in the window.
     */
    public record Cohorts(int months, boolean empty, List<Grid> grids, io.ecombi.chart.ChartFile revenueHeatmap) {}

    /** A cohort grid: one row per cohort, one column per period since its first order. */
    public record Grid(String title, List<String> periods, List<GridRow> rows) {}

    /** A cohort's row: its month, its size and a cell per period ("" = not lived yet; * = still in progress). */
    public record GridRow(String cohort, String customers, List<String> cells) {}

    public void report(Exchange exchange) {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        KpiTable monthly = run.kpi("cohort_monthly");
        if (monthly == null) return;
        if (monthly.rows().isEmpty()) {
            run.put("cohorts", new Cohorts(months, true, List.of(), null));
            return;
        }
        List<Grid> grids = List.of(grid("Share of the cohort with a sale in the month", CohortGrid.of(monthly, "customer_retention_pct")),
                grid("Revenue retention: the cohort's net revenue in the month ÷ month 0", CohortGrid.of(monthly, "revenue_retention_pct")));
        Object drawn = run.get(io.ecombi.chart.Charts.resultName("revenueRetentionHeatmap", "cohort_monthly"));
        run.put("cohorts", new Cohorts(months, false, grids, drawn instanceof io.ecombi.chart.ChartFile c ? c : null));
    }

    /** The grid as readers see it: latest cohort first, cells written by the report's percent rule. */
    static Grid grid(String title, CohortGrid g) {
        List<String> periods = new ArrayList<>();
        for (int k = 0; k < g.periods(); k++) periods.add(String.valueOf(k));
        List<GridRow> rows = new ArrayList<>();
        for (int c = g.cohorts().size() - 1; c >= 0; c--) {
            List<String> cells = new ArrayList<>();
            for (int k = 0; k < g.periods(); k++) {
                Double v = g.values()[c][k];
                // the partial mark only on a value
                cells.add(v == null ? "" : Formats.value(Kind.PERCENT, v, "", true) + (g.partial()[c][k] ? "*" : ""));
            }
            rows.add(new GridRow(g.cohorts().get(c).substring(0, 7), Formats.value(Kind.COUNT, g.sizes().get(c), "", true), cells));
        }
        return new Grid(title, periods, rows);
    }
}
