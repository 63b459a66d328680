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

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Trains and evaluates the churn model with Weka: logistic regression on standardized features,
 * classes balanced by instance weights, a stratified hold-out split and 10-fold cross-validation
 * on the training part, against a majority-class and a random-forest baseline on the same split.
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

    public record Options(double ridge, long seed, double holdOut, int forestTrees, int forestMaxRows) {
        public static Options defaults() {
            return new Options(1e-8, 42, 0.2, 50, 50_000);
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
            java.util.Collections.shuffle(idx, random);
            int testCount = (int) Math.round(idx.size() * options.holdOut());
            for (int i = 0; i < testCount; i++) inTest[idx.get(i)] = true;
        }
        // standardization fitted on the training part only
        double[] mean = new double[k], sd = new double[k];
        for (int j = 0; j < k; j++) {
            double s = 0, ss = 0;
            int m = 0;
            for (int i = 0; i < n; i++) {
                double v = data.x()[i][j];
                if (inTest[i] || Double.isNaN(v)) continue;
                s += v;
                ss += v * v;
                m++;
            }
            mean[j] = m == 0 ? 0 : s / m;
            double var = m < 2 ? 0 : (ss - m * mean[j] * mean[j]) / (m - 1);
            sd[j] = var > 1e-12 ? Math.sqrt(var) : 1.0;
        }
        Instances header = header(data.features());
        Instances train = new Instances(header, n), test = new Instances(header, n / 4);
        for (int i = 0; i < n; i++) {
            (inTest[i] ? test : train).add(instance(header, standardize(data.x()[i], mean, sd), data.churned()[i], 1.0));
        }
        int trainPos = 0;
        for (Instance in : train) if (in.classValue() == 0) trainPos++;
        int trainNeg = train.size() - trainPos;
        if (trainPos == 0 || trainNeg == 0) throw new IllegalArgumentException("the training part has only one class");
        Instances balanced = new Instances(train);
        double wPos = train.size() / (2.0 * trainPos), wNeg = train.size() / (2.0 * trainNeg);
        for (Instance in : balanced) in.setWeight(in.classValue() == 0 ? wPos : wNeg);

        long t0 = System.nanoTime();
        Logistic logistic = logistic();
        logistic.buildClassifier(balanced);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;

        // the linear formula behind Weka's predictions: logit(z) = b0 + sum b_j z_j
        double[] zero = new double[k];
        double b0 = logit(churnProbability(logistic, header, zero));
        double[] beta = new double[k];
        for (int j = 0; j < k; j++) {
            double[] unit = new double[k];
            unit[j] = 1;
            beta[j] = logit(churnProbability(logistic, header, unit)) - b0;
        }
        double baseRate = (double) data.positives() / n;
        double priorShift = Math.log(baseRate / (1 - baseRate));   // balanced 50/50 -> the real base rate

        List<Metrics> holdOut = new ArrayList<>();
        holdOut.add(evaluate("logistic regression", logistic, balanced, test));
        ZeroR majority = new ZeroR();
        majority.buildClassifier(train);
        holdOut.add(evaluate("majority class", majority, train, test));
        RandomForest forest = new RandomForest();
        forest.setNumIterations(options.forestTrees());
        forest.setSeed((int) options.seed());
        forest.setNumExecutionSlots(Runtime.getRuntime().availableProcessors());
        Instances forestTrain = sample(balanced, options.forestMaxRows(), random);
        forest.buildClassifier(forestTrain);
        holdOut.add(evaluate("random forest (" + options.forestTrees() + " trees)", forest, forestTrain, test));

        double[] cvAuc = crossValidatedAuc(balanced, 10);
        return new ChurnModel(data.features(), mean, sd, beta, b0, priorShift, baseRate, train.size(), test.size(),
                trainPos, forestTrain.size(), holdOut, cvAuc, trainSeconds, logistic, header);
    }

    private Logistic logistic() {
        Logistic l = new Logistic();
        l.setRidge(options.ridge());
        l.setMaxIts(-1);
        return l;
    }

    /** 10-fold CV on the training part: each fold trained balanced, scored with unit weights; AUC per fold. */
    private double[] crossValidatedAuc(Instances balanced, int folds) throws Exception {
        Instances data = new Instances(balanced);
        data.randomize(new Random(options.seed()));
        data.stratify(folds);
        double[] auc = new double[folds];
        // folds are independent: fit them on all cores (each fold has its own seeded Random, so the result does not depend on the order)
        java.util.stream.IntStream.range(0, folds).parallel().forEach(f -> {
            try {
                Instances tr = data.trainCV(folds, f, new Random(options.seed() + f));
                Instances te = new Instances(data.testCV(folds, f));
                for (Instance in : te) in.setWeight(1.0);
                Logistic l = logistic();
                l.buildClassifier(tr);
                Evaluation e = new Evaluation(tr);
                e.evaluateModel(l, te);
                auc[f] = e.areaUnderROC(0);
            } catch (Exception e) {
                throw new IllegalStateException("cross-validation fold " + f + ": " + e.getMessage(), e);
            }
        });
        return auc;
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
