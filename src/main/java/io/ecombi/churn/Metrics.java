package io.ecombi.churn;

import java.util.Arrays;

/** How one model did on the hold-out set; the positive class is "churned". */
public record Metrics(String model, double accuracy, double rocAuc, double prAuc,
                      double precisionChurned, double recallChurned, double f1Churned,
                      double precisionActive, double recallActive, double f1Active,
                      long truePositives, long falseNegatives, long falsePositives, long trueNegatives,
                      double[][] roc) {

    /**
     * ROC AUC by ranks (Mann-Whitney): the chance that a random churner scores above a random
     * non-churner, ties counting a half. NaN when one class is empty.
     */
    public static double auc(double[] score, boolean[] churned) {
        int n = score.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(score[a], score[b]));
        double rankSumPos = 0;
        long pos = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && score[order[j + 1]] == score[order[i]]) j++;
            double rank = (i + j) / 2.0 + 1;   // average rank of the tie group, 1-based
            for (int t = i; t <= j; t++) if (churned[order[t]]) { rankSumPos += rank; pos++; }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) return Double.NaN;
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }
}
