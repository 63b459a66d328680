package io.ecombi.anomaly;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The anomalies in the read series, without a database: the probable data gaps, each metric's and
 * (with more than one category) each category's days against the same-weekday robust baseline
 * ({@link AnomalyDetector}, gaps left out of the baselines), and the Isolation Forest's second
 * opinion on each tested day. The last historyDays days are tested.
 *
 * @param gapSeverity     the severity a data gap is listed with
 * @param forestThreshold a forest score of this or more calls a day unusual
 */
record AnomalyScan(AnomalyDetector detector, IsolationForestOpinion forest, int historyDays, String gapSeverity, double forestThreshold) {

    /**
     * @param found        the anomalies by day, then metric
     * @param forestScores the forest's score per tested day (days with no baseline for any metric are not scored)
     * @param forestOnly   the days the forest calls unusual that have no anomaly
     */
    record Result(List<AnomalyDetector.Anomaly> found, Map<LocalDate, Double> forestScores, List<LocalDate> forestOnly) {}

    Result scan(AnomalySeries series) {
        List<LocalDate> days = series.days();
        List<AnomalyDetector.Anomaly> found = new ArrayList<>();
        Map<LocalDate, Double> forestScores = new LinkedHashMap<>();
        if (!days.isEmpty()) {
            LocalDate first = days.get(0);
            int from = Math.max(0, days.size() - historyDays);
            // probable data gaps over the whole history (the baselines leave them out), listed over the tested days
            boolean[] gaps = new boolean[days.size()];
            for (AnomalySeries.Gap g : series.gaps()) {
                int i = (int) ChronoUnit.DAYS.between(first, g.day());
                gaps[i] = true;
                if (i >= from) {
                    found.add(new AnomalyDetector.Anomaly("all", first.plusDays(i), "data_gap", 0, g.expectedOrders(), 0, 0, -100, Double.NaN, gapSeverity));
                }
            }
            List<String> metrics = AnomalySeries.METRICS;
            for (String m : metrics) {
                double[] y = array(series.daily().get(m));
                found.addAll(detector.detect(m, first, y, missing(y, gaps), m.equals("orders"), from));
            }
            // the second opinion: each tested day's robust z of the three metrics, through an Isolation Forest
            List<double[]> rows = new ArrayList<>();
            List<LocalDate> rowDays = new ArrayList<>();
            for (int i = from; i < days.size(); i++) {
                if (gaps[i]) continue;
                double[] v = new double[metrics.size()];
                boolean any = false;
                for (int k = 0; k < metrics.size(); k++) {
                    double[] y = array(series.daily().get(metrics.get(k)));
                    boolean[] miss = missing(y, gaps);
                    AnomalyDetector.Baseline b = miss[i] ? null : detector.baseline(y, miss, i, metrics.get(k).equals("orders"));
                    if (b != null && b.sigma() > 0 && b.median() > 0) { v[k] = (y[i] - b.median()) / b.sigma(); any = true; }
                }
                if (any) { rows.add(v); rowDays.add(first.plusDays(i)); }
            }
            double[] sc = forest.scores(rows.toArray(new double[0][]), metrics);
            for (int i = 0; i < sc.length; i++) forestScores.put(rowDays.get(i), sc[i]);
            if (series.categories().size() > 1) {   // one category is the shop's total again
                for (Map.Entry<String, List<Double>> e : series.categories().entrySet()) {
                    double[] y = array(e.getValue());
                    found.addAll(detector.detect("category:" + e.getKey(), first, y, missing(y, gaps), false, from));
                }
            }
        }
        found.sort(Comparator.comparing(AnomalyDetector.Anomaly::day).thenComparing(AnomalyDetector.Anomaly::metric));
        List<LocalDate> forestOnly = forestScores.entrySet().stream().filter(e -> e.getValue() >= forestThreshold)
                .map(Map.Entry::getKey).filter(d -> found.stream().noneMatch(a -> a.day().equals(d))).toList();
        return new Result(found, forestScores, forestOnly);
    }

    private static double[] array(List<Double> v) {
        return v == null ? new double[0] : v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static boolean[] missing(double[] y, boolean[] gaps) {
        boolean[] m = new boolean[y.length];
        for (int i = 0; i < y.length; i++) m[i] = Double.isNaN(y[i]) || (i < gaps.length && gaps[i]);
        return m;
    }
}
