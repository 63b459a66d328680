package io.ecombi.churn;

import java.util.List;

/**
 * The churn training set: one row per customer, raw feature values (NaN = missing) and the label
 * (true = churned in the window after the cutoff).
 */
public record TrainingData(List<String> features, long[] customerIds, double[][] x, boolean[] churned) {
    public int size() { return churned.length; }

    public int positives() {
        int n = 0;
        for (boolean b : churned) if (b) n++;
        return n;
    }
}
