package io.ecombi.churn;

/**
 * What the churn step found: the model (null when there was too little data to fit one), the
 * sample it was fitted on, its verdict and out-of-time check (null when not run), and why no
 * model was published or the out-of-time check could not run (null when they were).
 */
record Outcome(ChurnModel model, TrainingData data, Evidence.Verdict verdict, Evidence.OutOfTime outOfTime,
               String skipped, String outOfTimeSkipped) { }
