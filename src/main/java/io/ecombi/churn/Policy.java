package io.ecombi.churn;

import java.time.LocalDate;

/**
 * The settings the model is labelled, judged and published by (ecombi.churn.*): the publishing
 * rules, the churn window and the orders that make a customer active, the risk bands, and the
 * retention list's win-back rate, contact cost and length.
 */
record Policy(Evidence.Rules rules, int windowDays, int minOrders, double bandHigh, double bandMedium,
              double winBackRate, double contactCost, int topN) {
    /** The policy the settings give. */
    static Policy of(io.ecombi.Settings s) {
        return new Policy(new Evidence.Rules(s.getDouble("ecombi.churn.publish.min-cv-auc-lower-bound"),
                s.getDouble("ecombi.churn.publish.min-hold-out-auc"), s.getDouble("ecombi.churn.publish.min-gain-over-recency")),
                s.getInt("ecombi.churn.window-days"), s.getInt("ecombi.churn.min-orders"),
                s.getDouble("ecombi.churn.band-high"), s.getDouble("ecombi.churn.band-medium"),
                s.getDouble("ecombi.churn.win-back-rate"), s.getDouble("ecombi.churn.contact-cost"),
                s.getInt("ecombi.churn.retention-top-n"));
    }

    /** The day the training features are taken: one churn window before the as-of date. */
    LocalDate cutoff(LocalDate asOf) {
        return asOf.minusDays(windowDays);
    }
}
