-- The features of the customers just scored (the temp table churn_features, sql/churn/features_as_of.sql
-- as of the as-of date), read in the scoring transaction to compare them with the population the
-- model was trained on (drift: io.ecombi.churn.Drift, bi.churn_drift).
SELECT * FROM churn_features
