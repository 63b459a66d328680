package io.ecombi.anomaly;

/**
 * A found anomaly as bi.anomalies keeps it: whether this run raised it first, and the Isolation
 * Forest's score of its day (NaN when the day was not scored) and whether that score calls the day
 * unusual too.
 */
public record Found(AnomalyDetector.Anomaly anomaly, boolean isNew, double forestScore, boolean forestAgrees) {}
