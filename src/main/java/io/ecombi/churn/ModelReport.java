package io.ecombi.churn;

import io.ecombi.kpi.KpiTable;
import io.ecombi.run.PipelineRun;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * The churn model explained: what a run's model amounts to (published or not, the label, the
 * window, the revenue at risk, what the bands and the list catch), which every form of the report
 * reads; model_results.txt ({@link ModelText}), the importance and ROC charts ({@link ModelCharts})
 * and the section for the page and the other readers ({@link ModelSectionBuilder}).
 */
final class ModelReport {
    static final String IMPORTANCE_PNG = "churn_feature_importance.png";
    static final String ROC_PNG = "churn_roc_curve.png";
    /** The run result the page, the summary and later the e-mail and the API read this section from. */
    static final String SECTION_KEY = "model";

    private final PipelineRun run;
    private final Outcome outcome;
    private final Policy policy;
    private final String currency;
    private final ChurnModel m;
    private final TrainingData data;
    private final Evidence.OutOfTime oot;
    private final LocalDate cutoff;

    /** The report of a run's churn model; currency is the symbol money is shown with. */
    ModelReport(PipelineRun run, Outcome outcome, Policy policy, String currency) {
        this.run = run;
        this.outcome = outcome;
        this.policy = policy;
        this.currency = currency;
        this.m = outcome.model();
        this.data = outcome.data();
        this.oot = outcome.outOfTime();
        this.cutoff = policy.cutoff(run.asOf());
    }

    /** model_results.txt. */
    String text() {
        return new ModelText(this).text();
    }

    /** The charts, into dir. */
    void charts(Path dir) throws IOException {
        new ModelCharts(this).write(dir);
    }

    /** The section, as the run result {@link #SECTION_KEY} holds it. */
    ModelSection section() {
        return new ModelSectionBuilder(this).section();
    }

    PipelineRun run() {
        return run;
    }

    Outcome outcome() {
        return outcome;
    }

    Policy policy() {
        return policy;
    }

    String currency() {
        return currency;
    }

    /** True when a model was trained and passed every check. */
    boolean published() {
        return m != null && outcome.verdict() != null && outcome.verdict().published();
    }

    /** Who counts as churned, and what the features may know. */
    String labelDefinition() {
        return String.format(Locale.US, "churned = no completed purchase between %s (exclusive) and %s (inclusive), among customers who by %s had "
                + "%d+ completed orders and one in the %d days before. Features use only what was known on %s.", cutoff, run.asOf(), cutoff,
                policy.minOrders(), policy.windowDays(), cutoff);
    }

    /** The last day of the window the scores cover. */
    LocalDate windowEnd() {
        return run.asOf().plusDays(policy.windowDays());
    }

    /** The published scores' revenue at risk, all bands. */
    double revenueAtRisk() {
        return sum("revenue_at_risk");
    }

    /** The sum of a column of data/revenue_at_risk.csv (0 when that KPI did not run). */
    double sum(String column) {
        KpiTable t = run.kpi("revenue_at_risk");
        double sum = 0;
        if (t != null) for (int r = 0; r < t.rows().size(); r++) sum += t.number(r, column);
        return sum;
    }

    /** The share of today's scored customers the published list holds: the list's rule applied to the hold-out uses the same share. */
    double listShare() {
        KpiTable targets = run.kpi("retention_targets");
        double scored = sum("customers");
        return targets == null || scored == 0 ? 0 : targets.rowCount() / scored;
    }

    /** The published bands and the list's rule on the hold-out customers. */
    List<Evidence.Hit> holdOutHits() {
        List<Evidence.Hit> hits = new java.util.ArrayList<>(Evidence.bands(m.holdOutProbability(), m.holdOutChurned(), policy.bandHigh(), policy.bandMedium()));
        if (run.kpi("retention_targets") != null) {
            double[] revenue = new double[m.holdOutRows().length];
            for (int t = 0; t < revenue.length; t++) revenue[t] = data.windowRevenue()[m.holdOutRows()[t]];
            hits.add(Evidence.list(m.holdOutProbability(), revenue, m.holdOutChurned(), policy.winBackRate(), policy.contactCost(), listShare()));
        }
        return hits;
    }

    /** The bands and the list's rule on the customers of the out-of-time check. */
    List<Evidence.Hit> outOfTimeHits() {
        List<Evidence.Hit> hits = new java.util.ArrayList<>(Evidence.bands(oot.probability(), oot.churned(), policy.bandHigh(), policy.bandMedium()));
        if (run.kpi("retention_targets") != null) {
            hits.add(Evidence.list(oot.probability(), oot.windowRevenue(), oot.churned(), policy.winBackRate(), policy.contactCost(), listShare()));
        }
        return hits;
    }

    /** The features left out of the fit because every customer had the same value ("feature (0 for every customer)"). */
    @SuppressWarnings("unchecked")
    List<String> dropped() {
        Object d = run.get(ChurnModelStep.DROPPED_KEY);
        return d == null ? List.of() : (List<String>) d;
    }

    /** The full training set's size and churned count when the model was fitted on a sample of it; null when it was fitted on the whole set. */
    long[] sampledFrom() {
        return (long[]) run.get(ChurnModelStep.SAMPLED_FROM_KEY);
    }

    /**
     * The training set's size and churned count, to hold against the churn rate's population and
     * churned count: the whole set's when the model was fitted on a sample; the churn rate's own
     * when there is no training set to compare.
     */
    long[] trainingSet(long population, long churned) {
        long[] sampledFrom = sampledFrom();
        long size = sampledFrom != null ? sampledFrom[0] : data == null ? population : data.size();
        long positives = sampledFrom != null ? sampledFrom[1] : data == null ? churned : data.positives();
        return new long[]{size, positives};
    }
}
