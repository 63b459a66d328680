-- This run's churn scores, highest risk first, for reports/data/churn_scores.csv.
SELECT customer_id, ROUND(CAST(churn_probability AS numeric), 4) AS churn_probability, risk_band,
       customer_value
FROM bi.churn_scores
WHERE run_id = CAST(:#runId AS bigint)
ORDER BY churn_probability DESC, customer_id
