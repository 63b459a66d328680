package io.ecombi.churn;

import java.util.Arrays;

/**
 * The population stability index (PSI) of a population against a reference one: bins cut at the
 * reference's quantiles (equal shares of it, ties merged, so a count with few values gets fewer
 * bins), a bin of its own for missing values, and PSI = sum over bins of (a - e) x ln(a / e), e and a
 * being the bin's share of the reference and of the population. A bin empty on one side counts as
 * a share of {@link #FLOOR} there (else the logarithm is infinite), as is usual. Conventionally
 * below 0.1 is stable, 0.1 to 0.25 a moderate shift, above 0.25 a major one (ecombi.drift.psi-*).
 * Pure math: no Camel, no database.
 */
public final class Drift {
    /** The share an empty bin counts as. */
    public static final double FLOOR = 1e-4;

    private Drift() {}

    /** Cut points at the reference's i/bins quantiles (i = 1 .. bins-1, lower value), duplicates merged; NaN ignored. */
    public static double[] edges(double[] reference, int bins) {
        double[] v = Arrays.stream(reference).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (v.length == 0) return new double[0];
        double[] cuts = new double[bins - 1];
        for (int i = 1; i < bins; i++) cuts[i - 1] = v[(int) Math.ceil((double) i * v.length / bins) - 1];
        return Arrays.stream(cuts).distinct().toArray();
    }

    /** A value's bin: 0 .. edges.length for (-inf, e1], (e1, e2], ..., (ek, +inf); edges.length + 1 when missing. */
    public static int bin(double value, double[] edges) {
        if (Double.isNaN(value)) return edges.length + 1;
        int b = Arrays.binarySearch(edges, value);
        return b >= 0 ? b : -b - 1;
    }

    /** Counts per bin (edges.length + 2 of them, the last for missing values). */
    public static long[] counts(double[] values, double[] edges) {
        long[] c = new long[edges.length + 2];
        for (double v : values) c[bin(v, edges)]++;
        return c;
    }

    /** PSI of actual against expected counts over the same bins. */
    public static double psi(long[] expected, long[] actual) {
        if (expected.length != actual.length) throw new IllegalArgumentException("different bins: " + expected.length + " and " + actual.length);
        long e = Arrays.stream(expected).sum(), a = Arrays.stream(actual).sum();
        double psi = 0;
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] == 0 && actual[i] == 0) continue;
            double pe = Math.max((double) expected[i] / e, FLOOR), pa = Math.max((double) actual[i] / a, FLOOR);
            psi += (pa - pe) * Math.log(pa / pe);
        }
        return psi;
    }

    /** 'stable' below moderate, 'moderate' below major, else 'major'. */
    public static String level(double psi, double moderate, double major) {
        return psi >= major ? "major" : psi >= moderate ? "moderate" : "stable";
    }

    /** A streaming counter: values added one at a time into a reference's bins. */
    public static final class Counter {
        private final double[] edges;
        private final long[] counts;

        public Counter(double[] edges) {
            this.edges = edges;
            this.counts = new long[edges.length + 2];
        }

        public void add(double value) { counts[bin(value, edges)]++; }

        public long[] counts() { return counts.clone(); }
    }
}
