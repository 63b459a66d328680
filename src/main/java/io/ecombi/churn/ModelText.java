package io.ecombi.churn;

import io.ecombi.kpi.KpiTable;

import java.util.List;
import java.util.Locale;

/**
 * model_results.txt: the churn model's report as plain text, in the fixed layout of a terminal.
 * It leads with the verdict and the cross-validated evidence; scores, bands, the list and the money
 * figure appear only for a published model, each with the period it covers.
 */
final class ModelText extends ModelView {
    ModelText(ModelReport report) {
        super(report);
    }

    /** model_results.txt: the verdict first, then the evidence; for a published model the drivers, the scores and the money. */
    String text() {
        StringBuilder s = new StringBuilder();
        s.append("CHURN MODEL  run ").append(run.id()).append("  as of ").append(run.asOf()).append("\n\n");
        s.append("Question: which active customers will make no purchase in the next ").append(policy.windowDays()).append(" days, ")
                .append(run.asOf()).append(" (exclusive) to ").append(report.windowEnd()).append("?\n");
        s.append("Label:    ").append(report.labelDefinition()).append("\n");
        String rate = churnRateLine();
        if (rate != null) s.append(rate).append('\n');
        s.append('\n');
        if (m == null) {
            s.append("NO USABLE MODEL: ").append(outcome.skipped()).append("\nNo scores, risk bands, retention list or revenue at risk are published for this run; "
                    + "the KPI reports are complete.\n");
            return s.toString();
        }
        if (report.published()) {
            s.append("VERDICT: PUBLISHED. The model beats its simple baselines: ").append(outcome.verdict().summary().substring("published: ".length())).append(".\n");
        } else {
            s.append("VERDICT: NO USABLE MODEL: ").append(outcome.skipped()).append(".\nNo scores, risk bands, retention list or revenue at risk are published for this run; "
                    + "the evidence is below. Rules: CV AUC minus one fold SD above ").append(String.format(Locale.US, "%.2f", policy.rules().minCvLowerBound()))
                    .append(", hold-out and out-of-time AUC at least ").append(String.format(Locale.US, "%.2f", policy.rules().minHoldOutAuc()))
                    .append(", CV AUC at least ").append(String.format(Locale.US, "%.2f", policy.rules().minGainOverRecency())).append(" above recency only (ecombi.churn.publish.*).\n");
        }
        s.append('\n');
        double[] repeats = m.cvRepeatMeans();
        s.append(String.format(Locale.US, "HEADLINE: cross-validated ROC AUC %.3f +/- %.3f (logistic regression, %d features; %d-fold cross-validation%s)%n",
                m.cvAucMean(), m.cvAucStdDev(), m.features().size(), m.cvFolds(), m.cvRepeats() == 1 ? ", +/- = SD across folds"
                        : String.format(Locale.US, " on %d different splits: the mean of all %d folds, +/- = SD across them; each split's mean %.3f to %.3f",
                        m.cvRepeats(), m.cvAuc().length, java.util.Arrays.stream(repeats).min().orElse(Double.NaN), java.util.Arrays.stream(repeats).max().orElse(Double.NaN))));
        if (m.hasRecencyBaseline()) {
            s.append(String.format(Locale.US, "  recency only (days since last order), same folds: %.3f +/- %.3f; the model adds %+.3f%n",
                    m.cvRecencyAucMean(), m.cvRecencyAucStdDev(), m.cvGainOverRecency()));
        }
        s.append("  majority class: 0.500 (ranks nobody)\n\n");
        s.append(String.format(Locale.US, "Training set: %,d customers active at the cutoff, %,d churned (base rate %.1f%%).%n",
                m.trainRows() + m.testRows(), Math.round(m.baseRate() * (m.trainRows() + m.testRows())), 100 * m.baseRate()));
        long[] sampledFrom = report.sampledFrom();
        if (sampledFrom != null) {
            s.append(String.format(Locale.US, "Sample:       fitted and evaluated on a stratified random sample of %,d of the %,d customers (same churn share; "
                    + "ecombi.churn.max-training-rows); the churn rate above and the scores cover every customer.%n", m.trainRows() + m.testRows(), sampledFrom[0]));
        }
        s.append(String.format(Locale.US, "Split:        stratified hold-out, %,d to train (%,d churned) and %,d to test (20%%); cross-validation on the training part.%n",
                m.trainRows(), m.trainPositives(), m.testRows()));
        s.append("Model:        Weka Logistic (ridge ").append(m.logistic().getRidge()).append(") on features standardized with the training part's mean and SD;\n")
                .append("              classes balanced by instance weights; fixed seed. Scores are corrected back to the base rate.\n")
                .append("Features:     ").append(String.join(", ", m.features())).append(".\n")
                .append(report.dropped().isEmpty() ? "" : "Left out:     " + String.join(", ", report.dropped()) + ": no information to fit.\n")
                .append("              Left out: order status (Returned) and ticket resolution, current values with no date: as of the cutoff they\n")
                .append("              would tell the model what happened after it.\n");
        s.append(String.format(Locale.US, "Fit time:     logistic %.2f s; %s on %,d rows %.2f s%n%n", m.trainSeconds(), m.metrics("random forest").model(),
                m.forestRows(), m.forestSeconds()));

        s.append("HOLD-OUT RESULTS (one split: ").append(m.testRows()).append(" customers never seen in training)\n");
        s.append(String.format(Locale.US, "%-38s %8s %8s%n", "model", "ROC AUC", "PR AUC"));
        for (Metrics x : m.holdOut()) s.append(String.format(Locale.US, "%-38s %8.3f %8.3f%n", x.model(), x.rocAuc(), x.prAuc()));
        s.append(String.format(Locale.US, "Base rate (PR AUC of a random ranking): %.3f%n%n", m.baseRate()));

        s.append(report.published() ? "PUBLISHED BANDS AND LIST ON THE HOLD-OUT" : "BANDS AND LIST ON THE HOLD-OUT (not published: no usable model)")
                .append(" (the base-rate probability the bands are cut from; lift 1 = random)\n");
        hits(s, report.holdOutHits());
        s.append('\n');
        s.append("OUT-OF-TIME CHECK\n");
        if (oot == null) {
            s.append("  not possible: ").append(outcome.outOfTimeSkipped()).append('\n');
        } else {
            s.append(String.format(Locale.US, "  A model fitted as of %s on %,d customers (labels to %s, all known by %s) scored the %,d customers active on %s;%n"
                            + "  compared with what they did by %s: ROC AUC %.3f%s.%n", oot.trainedOn(), oot.trainRows(), oot.scoredOn(), oot.scoredOn(),
                    oot.scoredRows(), oot.scoredOn(), oot.outcomeBy(), oot.auc(),
                    Double.isNaN(oot.recencyAuc()) ? "" : String.format(Locale.US, " (recency only %.3f)", oot.recencyAuc())));
            hits(s, report.outOfTimeHits());
        }
        s.append('\n');
        if (!report.published()) return s.toString();

        s.append("WHAT DRIVES CHURN (coefficient = change in churn log-odds per +1 standard deviation; a driver only when stable: variance inflation\n"
                + String.format(Locale.US, "at most %.0f and the same sign in at least %.0f %% of the %d cross-validation fits)%n", m.maxVif(), 100 * m.minSameSign(), m.cvAuc().length));
        s.append(String.format(Locale.US, "%-26s %12s %12s %14s %8s %10s  %s%n", "feature", "coefficient", "odds ratio", "1 SD is", "VIF", "same sign", "effect"));
        for (ChurnModel.Term t : m.termsBySize()) {
            int j = m.features().indexOf(t.feature());
            s.append(String.format(Locale.US, "%-26s %+12.3f %12.3f %14.2f %8s %9.0f%%  %s%n", t.feature(), t.coefficient(), t.oddsRatio(), m.sd()[j],
                    Double.isInfinite(t.vif()) ? "inf" : String.format(Locale.US, "%.1f", t.vif()), 100 * t.sameSign(),
                    !t.stable() ? "not stable: " + t.whyNotStable(m.maxVif(), m.minSameSign())
                            : Math.abs(t.coefficient()) < 0.05 ? "negligible" : t.coefficient() > 0 ? "raises churn" : "lowers churn"));
        }
        s.append("\nSCORES AS OF ").append(run.asOf()).append(": churn probability over ").append(run.asOf()).append(" to ").append(report.windowEnd())
                .append(String.format(Locale.US, "; bands high >= %.2f, medium >= %.2f%n", policy.bandHigh(), policy.bandMedium()));
        KpiTable bands = run.kpi("revenue_at_risk");
        if (bands != null) {
            for (int r = 0; r < bands.rows().size(); r++) {
                s.append(String.format(Locale.US, "  %-7s %,9d customers  average probability %.3f  expected net revenue %s  at risk %s%n", bands.value(r, "risk_band"),
                        (long) bands.number(r, "customers"), bands.number(r, "avg_probability"), figures.money(bands.number(r, "expected_net_revenue")),
                        figures.money(bands.number(r, "revenue_at_risk"))));
            }
        }
        s.append(String.format(Locale.US, "Revenue at risk in the %d days to %s: %s of the %s net revenue the scored customers would bring at their past pace%n"
                        + "(per customer: churn probability x net revenue of the last 365 days, or of their history if shorter, per day x %d).%n",
                policy.windowDays(), report.windowEnd(), figures.money(report.revenueAtRisk()), figures.money(report.sum("expected_net_revenue")), policy.windowDays()));
        KpiTable targets = run.kpi("retention_targets");
        if (targets != null) {
            s.append(String.format(Locale.US, "Retention list: %,d customers (at most %,d) in data/retention_targets.csv, ranked by expected value = probability x "
                    + "expected net revenue in the window x win-back rate (%.0f%%) - contact cost (%s).%n", targets.rowCount(), policy.topN(), 100 * policy.winBackRate(),
                    figures.money(policy.contactCost())));
        }
        s.append("\nINTERPRETATION\n").append(new Interpretation(report).text()).append('\n');
        return s.toString();
    }

    /** The churn rate of data/churn_rate.csv, when that KPI ran: the model's base rate must be it. */
    private String churnRateLine() {
        KpiTable rate = run.kpi("churn_rate");
        if (rate == null || rate.rows().isEmpty()) return null;
        long population = (long) rate.number(0, "population"), churned = (long) rate.number(0, "churned");
        if (rate.value(0, "churn_rate_pct") == null) return "Churn rate " + rate.value(0, "withheld") + ".";
        String line = String.format(Locale.US, "Churn rate: %s%% = %,d of the %,d customers active on %s did not buy by %s (data/churn_rate.csv: %s).",
                rate.value(0, "churn_rate_pct"), churned, population, rate.value(0, "window_start"),
                rate.value(0, "window_end"), rate.value(0, "definition"));
        long[] trained = report.trainingSet(population, churned);
        long size = trained[0], positives = trained[1];
        if (population != size || churned != positives) {
            line += String.format(Locale.US, "%nWARNING: the training set (%,d customers, %,d churned) is not that population: "
                    + "sql/churn/features_as_of.sql and sql/kpi/churn_rate.sql no longer agree.", size, positives);
        }
        return line;
    }

    private static void hits(StringBuilder s, List<Evidence.Hit> hits) {
        s.append(String.format(Locale.US, "  %-34s %9s %7s %9s %9s %7s %6s%n", "selection", "customers", "share", "churners", "precision", "recall", "lift"));
        for (Evidence.Hit h : hits) {
            s.append(String.format(Locale.US, "  %-34s %,9d %6.1f%% %,9d %9s %7s %6s%n", h.selection(), h.customers(), 100 * h.share(), h.churners(),
                    ratio(h.precision()), ratio(h.recall()), Double.isNaN(h.lift()) ? "-" : String.format(Locale.US, "%.2f", h.lift())));
        }
    }

    private static String ratio(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.US, "%.3f", v);
    }
}
