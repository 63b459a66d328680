package io.ecombi.churn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The evidence a churn model must show before anything it says is published (pure math, no Camel,
 * no database): the publication verdict against its simple baselines, and the precision and recall
 * of what is published (the risk bands, the retention list) on customers whose outcome is known.
 */
public final class Evidence {
    private Evidence() {}

    /** When a model counts as usable (settings ecombi.churn.publish.*). */
    public record Rules(double minCvLowerBound, double minHoldOutAuc, double minGainOverRecency) {
    }

    /** One check of the verdict, with its figures. */
    public record Check(String name, boolean passed, String figures) {}

    public record Verdict(boolean published, List<Check> checks) {
        public List<Check> failed() {
            return checks.stream().filter(c -> !c.passed()).toList();
        }

        /** One line: "published: ..." or "no usable model: <the failed checks>". */
        public String summary() {
            if (published) return "published: " + String.join("; ", checks.stream().map(Check::figures).toList());
            return "no usable model: " + String.join("; ", failed().stream().map(Check::figures).toList());
        }
    }

    /** The out-of-time check: a model fitted one window earlier, scored on customers whose outcome is now known. */
    public record OutOfTime(java.time.LocalDate trainedOn, java.time.LocalDate scoredOn, java.time.LocalDate outcomeBy, int trainRows,
                            double auc, double recencyAuc, double[] probability, boolean[] churned, double[] windowRevenue) {
        public int scoredRows() { return churned.length; }
    }

    /** What a published selection (a band, bands together, the list) catches: precision and recall of churners. */
    public record Hit(String selection, int customers, int churners, int allChurners, int population) {
        public double precision() { return customers == 0 ? Double.NaN : (double) churners / customers; }
        public double recall() { return allChurners == 0 ? Double.NaN : (double) churners / allChurners; }
        public double share() { return population == 0 ? Double.NaN : (double) customers / population; }
        /** Precision over the base rate: 1 = no better than picking customers at random. */
        public double lift() { return customers == 0 || allChurners == 0 ? Double.NaN : precision() / ((double) allChurners / population); }
    }

    /**
     * The verdict: the cross-validated AUC less one fold-to-fold standard deviation must be above
     * minCvLowerBound, the hold-out AUC at least minHoldOutAuc, the cross-validated AUC above the
     * recency-only model's by minGainOverRecency (same folds), and, when the data allowed the
     * out-of-time check, its AUC at least minHoldOutAuc too.
     */
    public static Verdict verdict(ChurnModel m, OutOfTime oot, Rules rules) {
        List<Check> checks = new ArrayList<>();
        double lower = m.cvAucMean() - m.cvAucStdDev();
        checks.add(new Check("cross-validation", lower > rules.minCvLowerBound(), String.format(Locale.US,
                "%d-fold CV AUC, %d repeats, %.3f +/- %.3f, lower bound %.3f %s %.3f", m.cvFolds(), m.cvRepeats(), m.cvAucMean(), m.cvAucStdDev(), lower,
                lower > rules.minCvLowerBound() ? ">" : "is not above", rules.minCvLowerBound())));
        double holdOut = m.metrics("logistic").rocAuc();
        checks.add(new Check("hold-out", holdOut >= rules.minHoldOutAuc(), String.format(Locale.US,
                "hold-out AUC %.3f %s %.3f", holdOut, holdOut >= rules.minHoldOutAuc() ? ">=" : "is below", rules.minHoldOutAuc())));
        if (m.hasRecencyBaseline()) {
            double gain = m.cvGainOverRecency();
            checks.add(new Check("recency baseline", gain >= rules.minGainOverRecency(), String.format(Locale.US,
                    "CV AUC %.3f against %.3f for recency only: a gain of %+.3f, %s %.3f", m.cvAucMean(), m.cvRecencyAucMean(), gain,
                    gain >= rules.minGainOverRecency() ? "at least" : "less than", rules.minGainOverRecency())));
        }
        if (oot != null) {
            checks.add(new Check("out of time", oot.auc() >= rules.minHoldOutAuc(), String.format(Locale.US,
                    "out-of-time AUC %.3f %s %.3f", oot.auc(), oot.auc() >= rules.minHoldOutAuc() ? ">=" : "is below", rules.minHoldOutAuc())));
        }
        return new Verdict(checks.stream().allMatch(Check::passed), checks);
    }

    /** The published bands as selections: "high" (p >= high) and "high or medium" (p >= medium). */
    public static List<Hit> bands(double[] p, boolean[] churned, double high, double medium) {
        return List.of(select("high (p >= " + fmt(high) + ")", p, churned, x -> x >= high),
                select("high or medium (p >= " + fmt(medium) + ")", p, churned, x -> x >= medium));
    }

    /**
     * The retention list's rule on customers with a known outcome: positive expected value
     * (p x expected revenue x win-back rate - contact cost), highest first, and the same share of
     * them as the published list holds of today's scored customers (listShare).
     */
    public static Hit list(double[] p, double[] revenue, boolean[] churned, double winBackRate, double contactCost, double listShare) {
        int n = p.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -(p[i] * revenue[i] * winBackRate - contactCost)));
        int take = (int) Math.round(listShare * n);
        boolean[] inList = new boolean[n];
        for (int t = 0; t < take && t < n; t++) {
            int i = order[t];
            if (p[i] * revenue[i] * winBackRate - contactCost > 0) inList[i] = true;
        }
        double[] flag = new double[n];
        for (int i = 0; i < n; i++) flag[i] = inList[i] ? 1 : 0;
        return select(String.format(Locale.US, "retention list rule (top %.1f%%)", 100 * listShare), flag, churned, x -> x > 0.5);
    }

    private static Hit select(String name, double[] p, boolean[] churned, java.util.function.DoublePredicate in) {
        int customers = 0, hits = 0, all = 0;
        for (int i = 0; i < p.length; i++) {
            if (churned[i]) all++;
            if (in.test(p[i])) {
                customers++;
                if (churned[i]) hits++;
            }
        }
        return new Hit(name, customers, hits, all, p.length);
    }

    private static String fmt(double v) {
        return String.format(Locale.US, "%.2f", v);
    }
}
