package io.ecombi.cohort;

import io.ecombi.kpi.KpiTable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cohort table (cohort_monthly or cohort_weekly: one row per lived cell) as a grid: one row per
 * cohort, one column per period since acquisition. A cell the cohort has not lived is null (empty,
 * not 0 %); partial marks the period still in progress. Pure: no database, no Camel.
 */
public record CohortGrid(List<String> cohorts, List<Long> sizes, int periods, Double[][] values, boolean[][] partial) {

    public static CohortGrid of(KpiTable t, String valueColumn) {
        String cohortCol = t.columns().contains("cohort_week") ? "cohort_week" : "cohort_month";
        String sinceCol = t.columns().contains("weeks_since") ? "weeks_since" : "months_since";
        Map<String, Long> size = new LinkedHashMap<>();
        int periods = 0;
        for (int r = 0; r < t.rows().size(); r++) {
            size.putIfAbsent(String.valueOf(t.value(r, cohortCol)), (long) t.number(r, "cohort_customers"));
            periods = Math.max(periods, (int) t.number(r, sinceCol) + 1);
        }
        List<String> cohorts = new ArrayList<>(size.keySet());
        Double[][] v = new Double[cohorts.size()][periods];
        boolean[][] p = new boolean[cohorts.size()][periods];
        for (int r = 0; r < t.rows().size(); r++) {
            int c = cohorts.indexOf(String.valueOf(t.value(r, cohortCol))), k = (int) t.number(r, sinceCol);
            double x = t.number(r, valueColumn);
            v[c][k] = Double.isNaN(x) ? null : x;
            p[c][k] = Boolean.TRUE.equals(t.value(r, "is_partial"));
        }
        return new CohortGrid(cohorts, new ArrayList<>(size.values()), periods, v, p);
    }
}
