package io.ecombi.churn;

import weka.classifiers.functions.Logistic;
import weka.core.Instances;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A trained churn model: the standardization and the linear formula behind Weka's logistic
 * regression (coefficients per standard deviation), its evaluation against its baselines, and the
 * Weka model itself. Probabilities are corrected from the balanced training classes back to the
 * base rate. holdOutProbability holds those corrected probabilities for the hold-out rows
 * (holdOutRows indexes the training data), the figures the published bands are cut from.
 * cvAuc holds every fold of every repeat of the cross-validation (repeat r's folds at r × folds);
 * vif and sameSign (the share of the cross-validation fits whose coefficient has the full model's
 * sign) and marginal (each feature's correlation with churning alone) say which coefficients are
 * stable enough to be stated as drivers.
 */
public record ChurnModel(List<String> features, double[] mean, double[] sd, double[] coefficients,
                         double balancedIntercept, double priorShift, double baseRate,
                         int trainRows, int testRows, int trainPositives, int forestRows, int forestTrees, double forestSeconds,
                         List<Metrics> holdOut, double[] cvAuc, double[] cvRecencyAuc, int cvRepeats,
                         double[] vif, double[] sameSign, double[] marginal, double maxVif, double minSameSign, double trainSeconds,
                         int[] holdOutRows, double[] holdOutProbability, boolean[] holdOutChurned,
                         Logistic logistic, Instances header) {

    /** The feature of the recency-only baseline. */
    public static final String RECENCY = "days_since_last_order";

    /** Intercept of the scoring formula: the balanced one shifted to the real base rate. */
    public double intercept() {
        return balancedIntercept + priorShift;
    }

    /** Weka's own prediction for raw feature values, shifted to the base rate like the SQL score. */
    public double probability(double[] raw) throws Exception {
        double p = ChurnTrainer.churnProbability(logistic, header, ChurnTrainer.standardize(raw, mean, sd));
        return 1 / (1 + Math.exp(-(ChurnTrainer.logit(p) + priorShift)));
    }

    /** A coefficient, its variance inflation and the share of cross-validation fits with its sign; stable: fit to be called a driver. */
    public record Term(String feature, double coefficient, double vif, double sameSign, double marginal, boolean stable) {
        public double oddsRatio() { return Math.exp(coefficient); }

        /** Why a term is not stated as a driver, in words; null when it is stable. */
        public String whyNotStable(double maxVif, double minSameSign) {
            if (stable) return null;
            List<String> why = new ArrayList<>();
            if (!(vif <= maxVif)) why.add(String.format(java.util.Locale.US, "moves with other features (variance inflation %s, above %.0f)",
                    Double.isInfinite(vif) ? "unbounded" : String.format(java.util.Locale.US, "%.1f", vif), maxVif));
            if (reverses(coefficient, marginal)) why.add(String.format(java.util.Locale.US, "alone it goes the other way (correlation with churning %+.2f): "
                    + "its sign here is what is left once the other features are held fixed", marginal));
            if (sameSign < minSameSign) why.add(String.format(java.util.Locale.US, "its sign changes between cross-validation fits (the same in %.0f %%, under %.0f %%)",
                    100 * sameSign, 100 * minSameSign));
            return String.join("; ", why);
        }
    }

    /** Whether feature i's coefficient is stable enough to be called a driver (and given as a customer's reason). */
    public boolean stable(int i) {
        return vif[i] <= maxVif && sameSign[i] >= minSameSign && !reverses(coefficients[i], marginal[i]);
    }

    /** Coefficients sorted by their size, largest effect first. */
    public List<Term> termsBySize() {
        List<Term> t = new ArrayList<>();
        for (int i = 0; i < features.size(); i++) {
            t.add(new Term(features.get(i), coefficients[i], vif[i], sameSign[i], marginal[i], stable(i)));
        }
        t.sort(Comparator.comparingDouble((Term x) -> -Math.abs(x.coefficient())));
        return t;
    }

    /** A coefficient that is not negligible and points against the feature's own association with churning. */
    static boolean reverses(double coefficient, double marginal) {
        return Math.abs(coefficient) >= 0.05 && Math.signum(coefficient) != Math.signum(marginal);
    }

    /** The stable coefficients only, largest first: what the report may call drivers of churn. */
    public List<Term> driversBySize() {
        return termsBySize().stream().filter(Term::stable).toList();
    }

    /** Folds per repeat of the cross-validation. */
    public int cvFolds() { return cvAuc.length / cvRepeats; }

    /** The mean AUC of each repeat (each a whole cross-validation on its own split). */
    public double[] cvRepeatMeans() {
        int folds = cvFolds();
        double[] m = new double[cvRepeats];
        for (int r = 0; r < cvRepeats; r++) m[r] = mean(java.util.Arrays.copyOfRange(cvAuc, r * folds, (r + 1) * folds));
        return m;
    }

    public Metrics metrics(String modelPrefix) {
        return holdOut.stream().filter(m -> m.model().startsWith(modelPrefix)).findFirst().orElseThrow();
    }

    public boolean hasRecencyBaseline() {
        return cvRecencyAuc != null;
    }

    public double cvAucMean() { return mean(cvAuc); }

    public double cvAucStdDev() { return sd(cvAuc); }

    public double cvRecencyAucMean() { return mean(cvRecencyAuc); }

    public double cvRecencyAucStdDev() { return sd(cvRecencyAuc); }

    /** Mean over the folds of (model AUC - recency-only AUC), both fitted and scored on the same folds. */
    public double cvGainOverRecency() {
        double s = 0;
        for (int f = 0; f < cvAuc.length; f++) s += cvAuc[f] - cvRecencyAuc[f];
        return s / cvAuc.length;
    }

    static double mean(double[] a) {
        double s = 0;
        for (double v : a) s += v;
        return s / a.length;
    }

    static double sd(double[] a) {
        double m = mean(a), s = 0;
        for (double v : a) s += (v - m) * (v - m);
        return Math.sqrt(s / Math.max(1, a.length - 1));
    }
}
