-- The retention list: scored customers ranked by the expected value of contacting them,
--   expected_value = churn probability * customer value * win-back rate - contact cost,
-- (customer value = net revenue of the last 365 days), top :topN with a positive value.
-- revenue_at_risk = churn probability * customer value.
SELECT customer_id,
       ROUND(CAST(churn_probability AS numeric), 4) AS churn_probability,
       risk_band,
       customer_value,
       ROUND(CAST(churn_probability * customer_value AS numeric), 2) AS revenue_at_risk,
       ROUND(CAST(churn_probability * customer_value * CAST(:#winBackRate AS double precision)
                  - CAST(:#contactCost AS double precision) AS numeric), 2) AS expected_value
FROM bi.churn_scores
WHERE run_id = CAST(:#runId AS bigint)
  AND churn_probability * customer_value * CAST(:#winBackRate AS double precision) > CAST(:#contactCost AS double precision)
ORDER BY expected_value DESC, customer_id
LIMIT CAST(:#topN AS integer)
