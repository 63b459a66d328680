package io.ecombi.churn;

import java.util.List;

/**
 * The sample of a churn training set the model is fitted on (sql/churn/training_sample.sql; the
 * whole set when it is small): one row per customer, raw feature values (NaN = missing), the label
 * (true = churned in the window after the cutoff) and, not a feature, the net revenue the customer
 * was expected to bring in that window at their past pace (to size a retention list).
 */
public record TrainingData(List<String> features, long[] customerIds, double[][] x, boolean[] churned, double[] windowRevenue) {
    public TrainingData(List<String> features, long[] customerIds, double[][] x, boolean[] churned) {
        this(features, customerIds, x, churned, new double[churned.length]);
    }

    public int size() { return churned.length; }

    public int positives() {
        int n = 0;
        for (boolean b : churned) if (b) n++;
        return n;
    }
}
