package io.ecombi.churn;

import weka.classifiers.Classifier;
import weka.classifiers.Evaluation;
import weka.classifiers.evaluation.ThresholdCurve;
import weka.classifiers.functions.Logistic;
import weka.classifiers.rules.ZeroR;
import weka.classifiers.trees.RandomForest;
import weka.core.Attribute;
import weka.core.DenseInstance;
import weka.core.Instance;
import weka.core.Instances;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Trains and evaluates the churn model with Weka: logistic regression on standardized features,
 * classes balanced by instance weights, a stratified hold-out split and k-fold cross-validation
 * on the training part; against a recency-only logistic regression (same folds, same split), a
 * majority-class and a random-forest baseline on the same hold-out.
 */
public final class ChurnTrainer {
    static {
        // pure-Java linear algebra: no native BLAS is shipped, so skip netlib's noisy attempts to load one
        for (String lib : new String[]{"BLAS", "LAPACK", "ARPACK"}) {
            System.setProperty("com.github.fommil.netlib." + lib, "com.github.fommil.netlib.F2j" + lib);
        }
    }

    static final String CHURNED = "churned";
    static final String ACTIVE = "active";

    /** Built from the settings ecombi.churn.* (their values are in config/application.properties). */
    public record Options(double ridge, long seed, double holdOut, int forestTrees, int forestMaxDepth, int forestMaxRows, int folds,
                          int repeats, double maxVif, double minSameSign) {
    }

    /** The training data without the features that hold one value for every row, and those features with their value. */
    public record Informative(TrainingData data, List<String> dropped) {}

    /**
     * A feature with one value for every customer (support tickets in a shop without them) tells the
     * model nothing: it is left out of the fit, and the report says so.
     */
    public static Informative withoutConstantFeatures(TrainingData data) {
        List<Integer> keep = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (int j = 0; j < data.features().size(); j++) {
            double first = Double.NaN;
            boolean varies = false;
            for (double[] row : data.x()) {
                double v = row[j];
                if (Double.isNaN(v)) continue;
                if (Double.isNaN(first)) first = v;
                else if (v != first) { varies = true; break; }
            }
            if (varies) keep.add(j);
            else dropped.add(data.features().get(j) + (Double.isNaN(first) ? " (missing for every customer)"
                    : " (" + (first == Math.rint(first) ? Long.toString((long) first) : Double.toString(first)) + " for every customer)"));
        }
        if (dropped.isEmpty()) return new Informative(data, dropped);
        double[][] x = new double[data.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = new double[keep.size()];
            for (int j = 0; j < keep.size(); j++) x[i][j] = data.x()[i][keep.get(j)];
        }
        List<String> features = keep.stream().map(data.features()::get).toList();
        return new Informative(new TrainingData(features, data.customerIds(), x, data.churned(), data.windowRevenue()), dropped);
    }

    /** A logistic regression fitted on all rows of a data set (the out-of-time check's model). */
    public record Fit(List<String> features, double[] mean, double[] sd, Logistic logistic, Instances header, double priorShift) {
        public double probability(double[] raw) throws Exception {
            double p = churnProbability(logistic, header, standardize(raw, mean, sd));
            return 1 / (1 + Math.exp(-(logit(p) + priorShift)));
        }
    }

    private final Options options;

    public ChurnTrainer(Options options) {
        this.options = options;
    }

    public ChurnModel train(TrainingData data) throws Exception {
        int n = data.size(), k = data.features().size();
        Random random = new Random(options.seed());
        // stratified split: the same share of each class goes to the hold-out set
        boolean[] inTest = new boolean[n];
        for (boolean cls : new boolean[]{true, false}) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < n; i++) if (data.churned()[i] == cls) idx.add(i);
            Collections.shuffle(idx, random);
            int testCount = (int) Math.round(idx.size() * options.holdOut());
            for (int i = 0; i < testCount; i++) inTest[idx.get(i)] = true;
        }
        List<Integer> trainRows = new ArrayList<>(), testRows = new ArrayList<>();
        for (int i = 0; i < n; i++) (inTest[i] ? testRows : trainRows).add(i);
        // standardization fitted on the training part only
        double[][] ms = meanSd(data, trainRows);
        double[] mean = ms[0], sd = ms[1];
        double[][] z = new double[n][];
        for (int i = 0; i < n; i++) z[i] = standardize(data.x()[i], mean, sd);
        int[] all = IntStream.range(0, k).toArray();
        int recency = data.features().indexOf(ChurnModel.RECENCY);

        Instances header = header(data.features());
        Instances balanced = dataset(header, all, z, data.churned(), trainRows, true);
        Instances train = dataset(header, all, z, data.churned(), trainRows, false);
        Instances test = dataset(header, all, z, data.churned(), testRows, false);
        int trainPos = 0;
        for (int i : trainRows) if (data.churned()[i]) trainPos++;
        if (trainPos == 0 || trainPos == trainRows.size()) throw new IllegalArgumentException("the training part has only one class");

        long t0 = System.nanoTime();
        Logistic logistic = logistic();
        logistic.buildClassifier(balanced);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;

        // the linear formula behind Weka's predictions: logit(z) = b0 + sum b_j z_j
        double b0 = logit(churnProbability(logistic, header, new double[k]));
        double[] beta = coefficients(logistic, header, k);
        double baseRate = (double) data.positives() / n;
        double priorShift = Math.log(baseRate / (1 - baseRate));   // balanced 50/50 -> the real base rate

        List<Metrics> holdOut = new ArrayList<>();
        holdOut.add(evaluate("logistic regression", logistic, balanced, test));
        if (recency >= 0) {
            Instances rHeader = header(List.of(ChurnModel.RECENCY));
            Instances rBalanced = dataset(rHeader, new int[]{recency}, z, data.churned(), trainRows, true);
            Logistic r = logistic();
            r.buildClassifier(rBalanced);
            holdOut.add(evaluate("recency only (days since last order)", r, rBalanced,
                    dataset(rHeader, new int[]{recency}, z, data.churned(), testRows, false)));
        }
        ZeroR majority = new ZeroR();
        majority.buildClassifier(train);
        holdOut.add(evaluate("majority class", majority, train, test));
        RandomForest forest = new RandomForest();
        forest.setNumIterations(options.forestTrees());
        forest.setMaxDepth(options.forestMaxDepth());
        forest.setSeed((int) options.seed());
        forest.setNumExecutionSlots(Runtime.getRuntime().availableProcessors());
        Instances forestTrain = sample(balanced, options.forestMaxRows(), random);
        long f0 = System.nanoTime();
        forest.buildClassifier(forestTrain);
        holdOut.add(evaluate("random forest (" + options.forestTrees() + " trees" + (options.forestMaxDepth() > 0 ? ", depth " + options.forestMaxDepth() : "") + ")",
                forest, forestTrain, test));
        double forestSeconds = (System.nanoTime() - f0) / 1e9;

        int[] holdOutRows = testRows.stream().mapToInt(Integer::intValue).toArray();
        double[] holdOutP = new double[holdOutRows.length];
        boolean[] holdOutY = new boolean[holdOutRows.length];
        for (int t = 0; t < holdOutRows.length; t++) {
            double p = churnProbability(logistic, header, z[holdOutRows[t]]);
            holdOutP[t] = 1 / (1 + Math.exp(-(logit(p) + priorShift)));
            holdOutY[t] = data.churned()[holdOutRows[t]];
        }

        // repeated cross-validation on every row: each repeat splits them into folds anew, so the
        // estimate does not hang on one split (the hold-out above stays the one-split check)
        int fits = options.folds() * options.repeats();
        double[] cvAuc = new double[fits], cvRecency = new double[fits];
        double[][] cvBeta = new double[fits][];
        List<Integer> allRows = IntStream.range(0, n).boxed().toList();
        for (int r = 0; r < options.repeats(); r++) crossValidate(data, z, allRows, recency, r, cvAuc, cvRecency, cvBeta);
        double[] vif = varianceInflation(z, allRows, k);
        double[] marginal = correlationWithChurn(z, data.churned(), k);
        double[] sameSign = new double[k];
        for (int j = 0; j < k; j++) {
            int same = 0;
            for (double[] b : cvBeta) if (Math.signum(b[j]) == Math.signum(beta[j])) same++;
            sameSign[j] = (double) same / fits;
        }
        return new ChurnModel(data.features(), mean, sd, beta, b0, priorShift, baseRate, trainRows.size(), testRows.size(),
                trainPos, forestTrain.size(), options.forestTrees(), forestSeconds, holdOut, cvAuc, recency >= 0 ? cvRecency : null, options.repeats(),
                vif, sameSign, marginal, options.maxVif(), options.minSameSign(), trainSeconds, holdOutRows, holdOutP, holdOutY, logistic, header);
    }

    /** The model fitted on every row (balanced, standardized), for scoring a later date out of time. */
    public Fit fit(TrainingData data, List<String> features) throws Exception {
        int n = data.size();
        int[] cols = features.stream().mapToInt(f -> data.features().indexOf(f)).toArray();
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) rows.add(i);
        double[][] ms = meanSd(data, rows);
        double[] mean = new double[cols.length], sd = new double[cols.length];
        for (int j = 0; j < cols.length; j++) { mean[j] = ms[0][cols[j]]; sd[j] = ms[1][cols[j]]; }
        double[][] z = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] raw = new double[cols.length];
            for (int j = 0; j < cols.length; j++) raw[j] = data.x()[i][cols[j]];
            z[i] = standardize(raw, mean, sd);
        }
        Instances header = header(features);
        Logistic l = logistic();
        l.buildClassifier(dataset(header, IntStream.range(0, cols.length).toArray(), z, data.churned(), rows, true));
        double baseRate = (double) data.positives() / n;
        return new Fit(features, mean, sd, l, header, Math.log(baseRate / (1 - baseRate)));
    }

    /**
     * The out-of-time check: the model, and recency alone when it is a feature, fitted on earlier
     * (the customers active on trainedOn, labelled by scoredOn) and scored on now (those active on
     * scoredOn), against what they did by outcomeBy.
     */
    public Evidence.OutOfTime outOfTime(TrainingData earlier, TrainingData now, List<String> features, LocalDate trainedOn,
                                        LocalDate scoredOn, LocalDate outcomeBy) throws Exception {
        Fit full = fit(earlier, features);
        Fit recency = features.contains(ChurnModel.RECENCY) ? fit(earlier, List.of(ChurnModel.RECENCY)) : null;
        int j = features.indexOf(ChurnModel.RECENCY);
        double[] p = new double[now.size()], r = new double[now.size()];
        for (int i = 0; i < now.size(); i++) {
            p[i] = full.probability(now.x()[i]);
            if (recency != null) r[i] = recency.probability(new double[]{now.x()[i][j]});
        }
        return new Evidence.OutOfTime(trainedOn, scoredOn, outcomeBy, earlier.size(), Metrics.auc(p, now.churned()),
                recency == null ? Double.NaN : Metrics.auc(r, now.churned()), p, now.churned(), now.windowRevenue());
    }

    private Logistic logistic() {
        Logistic l = new Logistic();
        l.setRidge(options.ridge());
        l.setMaxIts(-1);
        return l;
    }

    /**
     * One repeat of stratified k-fold cross-validation on the given rows: per fold, the full model
     * and the recency-only model are fitted balanced on the other folds and ranked on this one; AUC per
     * fold (by ranks, not Weka's evaluation) and the fold's coefficients, into the repeat's slots of
     * the arrays. Standardization stays the training part's: a linear shift of the features, it does
     * not change what a logistic regression can fit.
     */
    private void crossValidate(TrainingData data, double[][] z, List<Integer> rows, int recency, int repeat,
                               double[] auc, double[] rAuc, double[][] beta) {
        int folds = options.folds();
        int[] fold = new int[data.size()];
        // repeat 0 keeps the split of a single cross-validation (seed + 1)
        Random random = new Random(options.seed() + 1 + repeat);
        for (boolean cls : new boolean[]{true, false}) {
            List<Integer> idx = new ArrayList<>();
            for (int i : rows) if (data.churned()[i] == cls) idx.add(i);
            Collections.shuffle(idx, random);
            for (int i = 0; i < idx.size(); i++) fold[idx.get(i)] = i % folds;
        }
        int k = data.features().size();
        Instances header = header(data.features());
        Instances rHeader = header(List.of(ChurnModel.RECENCY));
        int[] all = IntStream.range(0, k).toArray();
        // folds are independent: fit them on all cores (each is deterministic, so the result does not depend on the order)
        IntStream.range(0, folds).parallel().forEach(f -> {
            int slot = repeat * folds + f;
            try {
                List<Integer> tr = new ArrayList<>(), te = new ArrayList<>();
                for (int i : rows) (fold[i] == f ? te : tr).add(i);
                boolean[] y = new boolean[te.size()];
                for (int t = 0; t < y.length; t++) y[t] = data.churned()[te.get(t)];
                Logistic l = logistic();
                l.buildClassifier(dataset(header, all, z, data.churned(), tr, true));
                double[] p = new double[te.size()];
                for (int t = 0; t < p.length; t++) p[t] = churnProbability(l, header, z[te.get(t)]);
                auc[slot] = Metrics.auc(p, y);
                beta[slot] = coefficients(l, header, k);
                if (recency >= 0) {
                    Logistic r = logistic();
                    r.buildClassifier(dataset(rHeader, new int[]{recency}, z, data.churned(), tr, true));
                    for (int t = 0; t < p.length; t++) p[t] = churnProbability(r, rHeader, new double[]{z[te.get(t)][recency]});
                    rAuc[slot] = Metrics.auc(p, y);
                }
            } catch (Exception e) {
                throw new IllegalStateException("cross-validation repeat " + (repeat + 1) + ", fold " + f + ": " + e.getMessage(), e);
            }
        });
    }

    /** Per feature, its correlation with churning (point-biserial) on the rows where it is known: its direction alone. */
    static double[] correlationWithChurn(double[][] z, boolean[] churned, int k) {
        double[] r = new double[k];
        for (int j = 0; j < k; j++) {
            double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
            int m = 0;
            for (int i = 0; i < z.length; i++) {
                double x = z[i][j];
                if (Double.isNaN(x)) continue;
                double y = churned[i] ? 1 : 0;
                sx += x; sy += y; sxx += x * x; syy += y * y; sxy += x * y;
                m++;
            }
            double cov = sxy - sx * sy / m, vx = sxx - sx * sx / m, vy = syy - sy * sy / m;
            r[j] = m < 2 || vx <= 0 || vy <= 0 ? 0 : cov / Math.sqrt(vx * vy);
        }
        return r;
    }

    /** The linear formula's coefficients behind a fitted logistic regression: logit(p(unit_j)) - logit(p(0)). */
    private static double[] coefficients(Logistic l, Instances header, int k) throws Exception {
        double b0 = logit(churnProbability(l, header, new double[k]));
        double[] b = new double[k];
        for (int j = 0; j < k; j++) {
            double[] unit = new double[k];
            unit[j] = 1;
            b[j] = logit(churnProbability(l, header, unit)) - b0;
        }
        return b;
    }

    /**
     * Variance inflation per feature on the training part: 1 / (1 - R²) of the feature regressed on
     * the others, read off the diagonal of the inverse correlation matrix. Above ~5 a coefficient
     * shares its effect with other features, and its size and sign are not its own.
     */
    static double[] varianceInflation(double[][] z, List<Integer> rows, int k) {
        double[] vif = new double[k];
        if (k < 2) {
            java.util.Arrays.fill(vif, 1.0);
            return vif;
        }
        // the rows with every feature known
        List<double[]> complete = new ArrayList<>();
        for (int i : rows) if (java.util.Arrays.stream(z[i]).noneMatch(Double::isNaN)) complete.add(z[i]);
        double[] mean = new double[k];
        for (double[] v : complete) for (int a = 0; a < k; a++) mean[a] += v[a];
        for (int a = 0; a < k; a++) mean[a] /= Math.max(1, complete.size());
        double[][] corr = new double[k][k];
        for (double[] v : complete) for (int a = 0; a < k; a++) for (int b = a; b < k; b++) corr[a][b] += (v[a] - mean[a]) * (v[b] - mean[b]);
        for (int a = 0; a < k; a++) for (int b = a; b < k; b++) corr[b][a] = corr[a][b];
        double[] d = new double[k];
        for (int a = 0; a < k; a++) d[a] = Math.sqrt(corr[a][a]);
        for (int a = 0; a < k; a++) for (int b = 0; b < k; b++) corr[a][b] = d[a] == 0 || d[b] == 0 ? (a == b ? 1 : 0) : corr[a][b] / (d[a] * d[b]);
        try {
            weka.core.matrix.Matrix inverse = new weka.core.matrix.Matrix(corr).inverse();
            for (int a = 0; a < k; a++) vif[a] = inverse.get(a, a);
        } catch (RuntimeException singular) {
            // a feature is an exact combination of others: every one of them is inflated without bound
            java.util.Arrays.fill(vif, Double.POSITIVE_INFINITY);
        }
        return vif;
    }

    private static double[][] meanSd(TrainingData data, List<Integer> rows) {
        int k = data.features().size();
        double[] mean = new double[k], sd = new double[k];
        for (int j = 0; j < k; j++) {
            double s = 0, ss = 0;
            int m = 0;
            for (int i : rows) {
                double v = data.x()[i][j];
                if (Double.isNaN(v)) continue;
                s += v;
                ss += v * v;
                m++;
            }
            mean[j] = m == 0 ? 0 : s / m;
            double var = m < 2 ? 0 : (ss - m * mean[j] * mean[j]) / (m - 1);
            sd[j] = var > 1e-12 ? Math.sqrt(var) : 1.0;
        }
        return new double[][]{mean, sd};
    }

    /** Instances of the given rows and columns of z; balanced = each class weighs half of the total. */
    private static Instances dataset(Instances header, int[] cols, double[][] z, boolean[] churned, List<Integer> rows, boolean balanced) {
        int pos = 0;
        for (int i : rows) if (churned[i]) pos++;
        int neg = rows.size() - pos;
        double wPos = balanced && pos > 0 ? rows.size() / (2.0 * pos) : 1, wNeg = balanced && neg > 0 ? rows.size() / (2.0 * neg) : 1;
        Instances out = new Instances(header, rows.size());
        for (int i : rows) {
            double[] v = new double[cols.length];
            for (int j = 0; j < cols.length; j++) v[j] = z[i][cols[j]];
            out.add(instance(out, v, churned[i], churned[i] ? wPos : wNeg));
        }
        return out;
    }

    private static Metrics evaluate(String name, Classifier model, Instances trainedOn, Instances test) throws Exception {
        Evaluation e = new Evaluation(trainedOn);
        e.evaluateModel(model, test);
        double[][] cm = e.confusionMatrix();   // rows actual, columns predicted; index 0 = churned
        Instances curve = new ThresholdCurve().getCurve(e.predictions(), 0);
        int fpr = curve.attribute(ThresholdCurve.FP_RATE_NAME).index(), tpr = curve.attribute(ThresholdCurve.TP_RATE_NAME).index();
        double[][] roc = new double[curve.numInstances()][];
        for (int i = 0; i < roc.length; i++) roc[i] = new double[]{curve.instance(i).value(fpr), curve.instance(i).value(tpr)};
        java.util.Arrays.sort(roc, (a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
        return new Metrics(name, e.pctCorrect() / 100, nan(e.areaUnderROC(0)), nan(e.areaUnderPRC(0)),
                nan(e.precision(0)), nan(e.recall(0)), nan(e.fMeasure(0)),
                nan(e.precision(1)), nan(e.recall(1)), nan(e.fMeasure(1)),
                (long) cm[0][0], (long) cm[0][1], (long) cm[1][0], (long) cm[1][1], roc);
    }

    private static double nan(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    static Instances header(List<String> features) {
        ArrayList<Attribute> attrs = new ArrayList<>();
        for (String f : features) attrs.add(new Attribute(f));
        attrs.add(new Attribute("churned_next_window", List.of(CHURNED, ACTIVE)));
        Instances h = new Instances("churn", attrs, 0);
        h.setClassIndex(attrs.size() - 1);
        return h;
    }

    static Instance instance(Instances header, double[] z, Boolean churned, double weight) {
        double[] values = new double[z.length + 1];
        for (int j = 0; j < z.length; j++) values[j] = Double.isNaN(z[j]) ? weka.core.Utils.missingValue() : z[j];
        values[z.length] = churned == null ? weka.core.Utils.missingValue() : churned ? 0 : 1;
        DenseInstance in = new DenseInstance(weight, values);
        in.setDataset(header);
        return in;
    }

    static double[] standardize(double[] raw, double[] mean, double[] sd) {
        double[] z = new double[raw.length];
        for (int j = 0; j < raw.length; j++) z[j] = Double.isNaN(raw[j]) ? Double.NaN : (raw[j] - mean[j]) / sd[j];
        return z;
    }

    static double churnProbability(Classifier model, Instances header, double[] z) throws Exception {
        return model.distributionForInstance(instance(header, z, null, 1.0))[0];
    }

    static double logit(double p) {
        double q = Math.min(1 - 1e-15, Math.max(1e-15, p));
        return Math.log(q / (1 - q));
    }

    private static Instances sample(Instances data, int maxRows, Random random) {
        if (data.size() <= maxRows) return data;
        Instances copy = new Instances(data);
        copy.randomize(random);
        copy.stratify(Math.max(2, (int) Math.ceil((double) data.size() / maxRows)));
        return copy.testCV(Math.max(2, (int) Math.ceil((double) data.size() / maxRows)), 0);
    }
}
