-- Headline of the churn scores: customers scored, per risk band, and the revenue at risk
-- (sum of churn probability * customer value over this run's scores).
SELECT risk_band, COUNT(*) AS customers,
       ROUND(CAST(AVG(churn_probability) AS numeric), 4) AS avg_probability,
       ROUND(CAST(SUM(churn_probability * customer_value) AS numeric), 2) AS revenue_at_risk
FROM bi.churn_scores
WHERE run_id = CAST(:#runId AS bigint)
GROUP BY risk_band
ORDER BY CASE risk_band WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END
