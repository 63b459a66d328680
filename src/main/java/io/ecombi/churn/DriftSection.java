package io.ecombi.churn;

import io.ecombi.result.Table;

/**
 * The churn model's drift and history, as the page gets them (run result "churnDriftSection", laid
 * out by templates/sections/drift.ftlh): this run's PSI per feature and of the scores, and the
 * models so far with their AUC, base rate and the drift when they scored. The warnings are in the
 * model section's.
 */
public record DriftSection(Table drift, Table history) {
    static final String KEY = "churnDriftSection";
}
