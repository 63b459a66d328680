-- POST /api/churn/predict: one push of the predicted score in the words a stored reason has
-- (bi.churn_reason, the one wording; sql/churn/reasons.sql uses it for the stored reasons).
-- :#usualGap is the request's avg_days_per_order (NULL when the model does not take it); the churn
-- window comes from the latest fact layer's parameters (ecombi.churn.window-days).
SELECT bi.churn_reason(CAST(:#feature AS text), CAST(:#value AS double precision), CAST(:#average AS double precision),
                       CAST(:#usualGap AS double precision), (SELECT churn_days FROM fact.params),
                       CAST(:#contribution AS double precision)) AS reason
