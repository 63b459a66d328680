package io.ecombi.churn;

/** How one model did on the hold-out set; the positive class is "churned". */
public record Metrics(String model, double accuracy, double rocAuc, double prAuc,
                      double precisionChurned, double recallChurned, double f1Churned,
                      double precisionActive, double recallActive, double f1Active,
                      long truePositives, long falseNegatives, long falsePositives, long trueNegatives,
                      double[][] roc) {}
