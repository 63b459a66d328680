package io.ecombi.churn;

import java.util.List;

/**
 * The churn training set: one row per customer, raw feature values (NaN = missing), the label
 * (true = churned in the window after the cutoff) and, not a feature, the net revenue the customer
 * was expected to bring in that window at their past pace (to size a retention list).
 */
public record TrainingData(List<String> features, long[] customerIds, double[][] x, boolean[] churned, double[] windowRevenue) {
    public TrainingData(List<String> features, long[] customerIds, double[][] x, boolean[] churned) {
        this(features, customerIds, x, churned, new double[churned.length]);
    }

    public int size() { return churned.length; }

    /**
     * At most {@code max} rows, drawn at random (seeded) from each class in proportion to its size,
     * so the churn share stays that of the whole set; this set itself when it is no larger.
     */
    public TrainingData stratifiedSample(int max, long seed) {
        int n = size();
        if (max <= 0 || n <= max) return this;
        java.util.Random random = new java.util.Random(seed);
        int positives = positives();
        int takePositives = (int) Math.round((double) positives * max / n);
        boolean[] keep = new boolean[n];
        for (boolean cls : new boolean[]{true, false}) {
            List<Integer> idx = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) if (churned[i] == cls) idx.add(i);
            java.util.Collections.shuffle(idx, random);
            int take = cls ? takePositives : max - takePositives;
            for (int i = 0; i < take; i++) keep[idx.get(i)] = true;
        }
        long[] ids = new long[max];
        double[][] xs = new double[max][];
        boolean[] ys = new boolean[max];
        double[] revenue = new double[max];
        int k = 0;
        for (int i = 0; i < n; i++) {   // in the set's own order (by customer id), so the sample reads like the set
            if (!keep[i]) continue;
            ids[k] = customerIds[i]; xs[k] = x[i]; ys[k] = churned[i]; revenue[k] = windowRevenue[i];
            k++;
        }
        return new TrainingData(features, ids, xs, ys, revenue);
    }

    public int positives() {
        int n = 0;
        for (boolean b : churned) if (b) n++;
        return n;
    }
}
