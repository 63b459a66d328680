-- Customer lifetime value per customer, for a CRM or a spreadsheet. Grain: one row per known customer
-- with a purchase to the as-of date, this run's bi.clv_customers (io.ecombi.clv), with their RFM
-- segment of this run (none when RFM did not score them: no sale in its window). History in weeks from
-- the first purchase day (a purchase = a day with a sale order): frequency = repeat purchases,
-- recency_weeks = t_x, age_weeks = T; avg_repeat_order_value = mean net revenue of a repeat purchase.
-- historical_net_revenue = all history, credit notes subtracted. The predictions (NULL when method =
-- 'historical'): P(alive), expected repeat purchases in the next 90 days and 12 months, the expected
-- value of a purchase (Gamma-Gamma) and the discounted net revenue of the next 12 months.
-- Highest predicted value first (historical value when there is no prediction).
SELECT v.customer_id, r.segment, v.frequency,
       ROUND(CAST(v.recency_weeks AS numeric), 2) AS recency_weeks,
       ROUND(CAST(v.age_weeks AS numeric), 2) AS age_weeks,
       ROUND(CAST(v.monetary AS numeric), 2) AS avg_repeat_order_value,
       ROUND(v.net_revenue, 2) AS historical_net_revenue,
       ROUND(v.net_revenue_12m, 2) AS net_revenue_12m,
       ROUND(CAST(100 * v.p_alive AS numeric), 1) AS p_alive_pct,
       ROUND(CAST(v.expected_purchases_90d AS numeric), 3) AS expected_purchases_90d,
       ROUND(CAST(v.expected_purchases_12m AS numeric), 3) AS expected_purchases_12m,
       ROUND(CAST(v.expected_order_value AS numeric), 2) AS expected_order_value,
       ROUND(CAST(v.clv_12m AS numeric), 2) AS predicted_customer_value_12m,
       v.method
FROM bi.clv_customers v
LEFT JOIN bi.rfm_customers r ON r.run_id = v.run_id AND r.customer_id = v.customer_id
WHERE v.run_id = (SELECT run_id FROM fact.params)
ORDER BY COALESCE(v.clv_12m, v.net_revenue) DESC, v.customer_id
