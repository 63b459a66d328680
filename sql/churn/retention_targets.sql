-- The retention list: scored customers ranked by the expected value of contacting them,
--   expected_value = churn probability x expected net revenue x win-back rate - contact cost,
-- where expected net revenue is what the customer brings in the :churnDays days after the as-of
-- date at their past pace (the scored window); top :topN with a positive value.
-- revenue_at_risk = churn probability x expected net revenue, over the same window.
-- reasons: the customer's top three reasons for the score, largest push first, from bi.churn_reasons
-- (sql/churn/reasons.sql), joined by '; '.
SELECT customer_id,
       ROUND(CAST(churn_probability AS numeric), 4) AS churn_probability,
       risk_band,
       ROUND(expected_window_revenue, 2) AS expected_net_revenue,
       ROUND(CAST(churn_probability * expected_window_revenue AS numeric), 2) AS revenue_at_risk,
       ROUND(CAST(churn_probability * expected_window_revenue * CAST((SELECT churn_win_back_rate FROM fact.params) AS double precision)
                  - CAST((SELECT churn_contact_cost FROM fact.params) AS double precision) AS numeric), 2) AS expected_value,
       (SELECT string_agg(r.reason, '; ' ORDER BY r.rank) FROM bi.churn_reasons r
        WHERE r.run_id = s.run_id AND r.customer_id = s.customer_id) AS reasons
FROM bi.churn_scores s
WHERE run_id = (SELECT run_id FROM fact.params)
  AND churn_probability * expected_window_revenue * CAST((SELECT churn_win_back_rate FROM fact.params) AS double precision) > CAST((SELECT churn_contact_cost FROM fact.params) AS double precision)
ORDER BY expected_value DESC, customer_id
LIMIT (SELECT churn_retention_top_n FROM fact.params)
