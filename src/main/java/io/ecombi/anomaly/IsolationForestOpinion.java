package io.ecombi.anomaly;

import weka.classifiers.misc.IsolationForest;
import weka.core.Attribute;
import weka.core.DenseInstance;
import weka.core.Instances;

import java.util.ArrayList;
import java.util.List;

/**
 * A second opinion on the days: Weka's Isolation Forest (Liu, Ting and Zhou 2008) over each day's
 * vector of robust z-scores (net revenue, orders, average order value against their same-weekday
 * baselines). Its score is in (0, 1): about 0.5 for an ordinary day, near 1 for a day that few random
 * splits are needed to isolate. Seeded, so the same days give the same scores.
 */
public final class IsolationForestOpinion {
    private final int trees;
    private final int subsample;
    private final int seed;

    public IsolationForestOpinion(int trees, int subsample, int seed) {
        this.trees = trees;
        this.subsample = subsample;
        this.seed = seed;
    }

    /** One score per row of x (rows = days, columns = features). */
    public double[] scores(double[][] x, List<String> features) {
        if (x.length < 16) return new double[x.length];   // too few days to isolate anything: no opinion (0)
        ArrayList<Attribute> atts = new ArrayList<>();
        for (String f : features) atts.add(new Attribute(f));
        // the package is written as a classifier: a two-valued class attribute it does not learn from
        atts.add(new Attribute("class", List.of("day", "other")));
        Instances data = new Instances("days", atts, x.length);
        data.setClassIndex(features.size());
        for (double[] row : x) {
            double[] v = new double[features.size() + 1];
            System.arraycopy(row, 0, v, 0, features.size());
            data.add(new DenseInstance(1.0, v));
        }
        try {
            IsolationForest f = new IsolationForest();
            f.setNumTrees(trees);
            f.setSubsampleSize(Math.min(subsample, x.length));
            f.setSeed(seed);
            f.buildClassifier(data);
            double[] out = new double[x.length];
            // distributionForInstance gives [1 - s, s] with s the anomaly score
            for (int i = 0; i < x.length; i++) out[i] = f.distributionForInstance(data.instance(i))[1];
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("Isolation Forest failed: " + e.getMessage(), e);
        }
    }
}
