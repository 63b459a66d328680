package io.ecombi.anomaly;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Anomalies of a daily metric against a robust baseline: for each day, the same weekday in the
 * previous {@code baselineWeeks} weeks (missing days left out, at least {@code minBaselineWeeks}
 * needed). Expected = their median. Spread = expected x 1.4826 x the median absolute relative
 * deviation of every day of those weeks from its own weekday's median (the normal scale; 56 days
 * give a steadier spread than 8), at least {@code minSigmaPct} % of the expected value (a too-steady
 * baseline would make every wobble huge) and, for counts, the Poisson spread sqrt(expected). Robust z = (actual - expected) /
 * spread; deviation = (actual - expected) / expected. A day is an anomaly when it reaches a
 * severity's z and deviation thresholds both; its severity is the highest it reaches. The
 * expected range is expected +- the Low z times the spread (not below 0). Pure: arrays in, anomalies out.
 */
public final class AnomalyDetector {
    public static final List<String> SEVERITIES = List.of("Critical", "High", "Medium", "Low");

    /** Thresholds per severity, in the order Critical, High, Medium, Low: |robust z| and |deviation %|. */
    public record Thresholds(double[] z, double[] pct) {
        public Thresholds {
            if (z.length != 4 || pct.length != 4) throw new IllegalArgumentException("four severities: Critical, High, Medium, Low");
        }
    }

    /** The severity of an anomaly the shop's calendar explains (ExpectedEvents): ranked after Low, never an alert. */
    public static final String EXPECTED = "Expected";

    /** An anomaly; event: the calendar event it fell on (null on an ordinary day). */
    public record Anomaly(String metric, LocalDate day, String kind, double actual, double expected, double lower, double upper,
                          double deviationPct, double robustZ, String severity, String event) {
        public Anomaly(String metric, LocalDate day, String kind, double actual, double expected, double lower, double upper,
                       double deviationPct, double robustZ, String severity) {
            this(metric, day, kind, actual, expected, lower, upper, deviationPct, robustZ, severity, null);
        }

        public int rank() { return EXPECTED.equals(severity) ? SEVERITIES.size() : SEVERITIES.indexOf(severity); }

        public Anomaly withEvent(String e) {
            return new Anomaly(metric, day, kind, actual, expected, lower, upper, deviationPct, robustZ, severity, e);
        }
    }

    /** The expected value and spread of one day, or null without enough baseline. */
    public record Baseline(double median, double sigma, int weeks) {}

    private final int baselineWeeks;
    private final int minBaselineWeeks;
    private final double minSigmaPct;
    private final Thresholds thresholds;

    public AnomalyDetector(int baselineWeeks, int minBaselineWeeks, double minSigmaPct, Thresholds thresholds) {
        this.baselineWeeks = baselineWeeks;
        this.minBaselineWeeks = minBaselineWeeks;
        this.minSigmaPct = minSigmaPct;
        this.thresholds = thresholds;
    }

    /**
     * @param y       the metric per day from firstDay
     * @param missing days without a value (no orders for AOV, data gaps): neither tested nor used as baseline
     * @param count   a count metric (orders): the spread is at least sqrt(expected)
     * @param from    the first day index tested
     */
    public List<Anomaly> detect(String metric, LocalDate firstDay, double[] y, boolean[] missing, boolean count, int from) {
        List<Anomaly> out = new ArrayList<>();
        for (int i = Math.max(from, 0); i < y.length; i++) {
            if (missing[i]) continue;
            Baseline b = baseline(y, missing, i, count);
            if (b == null || b.sigma() <= 0 || b.median() <= 0) continue;   // no trading on this weekday: nothing to compare with
            double a = y[i], z = (a - b.median()) / b.sigma(), dev = 100 * (a - b.median()) / b.median();
            String severity = null;
            for (int s = 0; s < 4 && severity == null; s++) {
                if (Math.abs(z) >= thresholds.z()[s] && Math.abs(dev) >= thresholds.pct()[s]) severity = SEVERITIES.get(s);
            }
            if (severity == null) continue;
            double half = thresholds.z()[3] * b.sigma();
            out.add(new Anomaly(metric, firstDay.plusDays(i), a > b.median() ? "spike" : "drop", a, b.median(),
                    Math.max(0, b.median() - half), b.median() + half, dev, z, severity));
        }
        return out;
    }

    public Baseline baseline(double[] y, boolean[] missing, int i, boolean count) {
        // the W most recent values of each weekday before day i: offset 7 is day i's own weekday
        double[][] byOffset = new double[8][];
        for (int o = 1; o <= 7; o++) {
            double[] v = new double[baselineWeeks];
            int n = 0;
            for (int k = 0; k < baselineWeeks; k++) {
                int j = i - o - 7 * k;
                if (j < 0) break;
                if (!missing[j]) v[n++] = y[j];
            }
            byOffset[o] = Arrays.copyOf(v, n);
        }
        double[] own = byOffset[7];
        if (own.length < minBaselineWeeks) return null;
        double med = median(own);
        // spread: the median absolute relative deviation of every day of the window from its own weekday's
        // median (56 days, not 8: steadier), times the expected value
        double[] rel = new double[7 * baselineWeeks];
        int r = 0;
        for (int o = 1; o <= 7; o++) {
            if (byOffset[o].length < minBaselineWeeks) continue;
            double m = median(byOffset[o]);
            if (m <= 0) continue;
            for (double v : byOffset[o]) rel[r++] = Math.abs(v - m) / m;
        }
        double spread = r == 0 ? 0 : 1.4826 * median(Arrays.copyOf(rel, r));
        double sigma = Math.max(spread, minSigmaPct / 100) * Math.abs(med);
        if (count) sigma = Math.max(sigma, Math.sqrt(Math.max(med, 0)));
        return new Baseline(med, sigma, own.length);
    }

    public static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
