-- Revenue at risk over the scored window, per risk band: the customers of this run's scores, their
-- average churn probability (base-rate corrected), the net revenue they would bring in the
-- :churnDays days after the as-of date at their past pace (expected_net_revenue) and the part of
-- it at risk, sum of churn probability x that revenue. The window is (window_start, window_end].
SELECT risk_band, COUNT(*) AS customers,
       ROUND(CAST(AVG(churn_probability) AS numeric), 4) AS avg_probability,
       ROUND(SUM(expected_window_revenue), 2) AS expected_net_revenue,
       ROUND(CAST(SUM(churn_probability * expected_window_revenue) AS numeric), 2) AS revenue_at_risk,
       (SELECT as_of FROM fact.params) AS window_start,
       (SELECT as_of FROM fact.params) + (SELECT churn_days FROM fact.params) AS window_end
FROM bi.churn_scores
WHERE run_id = (SELECT run_id FROM fact.params)
GROUP BY risk_band
ORDER BY CASE risk_band WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END
