package io.ecombi.churn;

import weka.classifiers.functions.Logistic;
import weka.core.Instances;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A trained churn model: the standardization and the linear formula behind Weka's logistic
 * regression (coefficients per standard deviation), its evaluation, and the Weka model itself.
 * Probabilities are corrected from the balanced training classes back to the base rate.
 */
public record ChurnModel(List<String> features, double[] mean, double[] sd, double[] coefficients,
                         double balancedIntercept, double priorShift, double baseRate,
                         int trainRows, int testRows, int trainPositives, int forestRows,
                         List<Metrics> holdOut, double[] cvAuc, double trainSeconds,
                         Logistic logistic, Instances header) {

    /** Intercept of the scoring formula: the balanced one shifted to the real base rate. */
    public double intercept() {
        return balancedIntercept + priorShift;
    }

    /** Weka's own prediction for raw feature values, shifted to the base rate like the SQL score. */
    public double probability(double[] raw) throws Exception {
        double p = ChurnTrainer.churnProbability(logistic, header, ChurnTrainer.standardize(raw, mean, sd));
        return 1 / (1 + Math.exp(-(ChurnTrainer.logit(p) + priorShift)));
    }

    public record Term(String feature, double coefficient) {
        public double oddsRatio() { return Math.exp(coefficient); }
    }

    /** Coefficients sorted by their size, largest effect first. */
    public List<Term> termsBySize() {
        List<Term> t = new ArrayList<>();
        for (int i = 0; i < features.size(); i++) t.add(new Term(features.get(i), coefficients[i]));
        t.sort(Comparator.comparingDouble((Term x) -> -Math.abs(x.coefficient())));
        return t;
    }

    public Metrics metrics(String modelPrefix) {
        return holdOut.stream().filter(m -> m.model().startsWith(modelPrefix)).findFirst().orElseThrow();
    }

    public double cvAucMean() {
        double s = 0;
        for (double a : cvAuc) s += a;
        return s / cvAuc.length;
    }

    public double cvAucStdDev() {
        double m = cvAucMean(), s = 0;
        for (double a : cvAuc) s += (a - m) * (a - m);
        return Math.sqrt(s / Math.max(1, cvAuc.length - 1));
    }
}
