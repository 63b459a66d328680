-- This run's churn scores, highest risk first, for reports/data/churn_scores.csv: the probability
-- (base-rate corrected) of no completed sale in the :churnDays days after the as-of date, its band,
-- the last 365 days' net revenue and the net revenue expected in the window at the past pace.
SELECT customer_id, ROUND(CAST(churn_probability AS numeric), 4) AS churn_probability, risk_band,
       customer_value, ROUND(expected_window_revenue, 2) AS expected_net_revenue
FROM bi.churn_scores
WHERE run_id = (SELECT run_id FROM fact.params)
ORDER BY churn_probability DESC, customer_id
