-- Customer lifetime value by RFM segment. Grain: one row per segment of this run's rules
-- (sql/kpi/rfm_segment_rules.sql, the empty ones too), then one for the customers RFM did not score
-- (no sale in the last ecombi.rfm.window-months months). Population: this run's bi.clv_customers, the
-- known customers with a purchase to the as-of date (io.ecombi.clv), each in their segment of this
-- run's bi.rfm_customers. historical_net_revenue: all history to the as-of date, credit notes
-- subtracted; net_revenue_12m: in the report window. The predicted columns (P(alive), expected
-- purchases, the discounted net revenue of the next 12 months) are NULL when the run used historical
-- value (bi.clv_runs.method = 'historical': the model did not converge or lost to the baseline).
WITH c AS (
    SELECT v.*, COALESCE(r.segment, '(not scored: no sale in the RFM window)') AS segment
    FROM bi.clv_customers v
    LEFT JOIN bi.rfm_customers r ON r.run_id = v.run_id AND r.customer_id = v.customer_id
    WHERE v.run_id = (SELECT run_id FROM fact.params)
),
per_segment AS (
    SELECT segment, COUNT(*) AS customers, SUM(net_revenue) AS historical_net_revenue, SUM(net_revenue_12m) AS net_revenue_12m,
           AVG(p_alive) AS avg_p_alive, SUM(expected_purchases_90d) AS expected_purchases_90d,
           SUM(expected_purchases_12m) AS expected_purchases_12m, SUM(clv_12m) AS clv_12m, AVG(clv_12m) AS avg_clv_12m
    FROM c
    GROUP BY segment
),
segments AS (
    SELECT priority, segment FROM bi.rfm_segment_rules WHERE run_id = (SELECT run_id FROM fact.params)
    UNION ALL
    SELECT 1000, segment FROM per_segment
    WHERE segment NOT IN (SELECT segment FROM bi.rfm_segment_rules WHERE run_id = (SELECT run_id FROM fact.params))
)
SELECT g.segment,
       COALESCE(p.customers, 0) AS customers,
       ROUND(100.0 * COALESCE(p.customers, 0) / NULLIF((SELECT COUNT(*) FROM c), 0), 2) AS customers_pct,
       ROUND(CAST(100 * p.avg_p_alive AS numeric), 1) AS avg_p_alive_pct,
       ROUND(CAST(p.expected_purchases_90d AS numeric), 1) AS expected_purchases_90d,
       ROUND(CAST(p.expected_purchases_12m AS numeric), 1) AS expected_purchases_12m,
       ROUND(CAST(p.clv_12m AS numeric), 2) AS predicted_customer_value_12m,
       ROUND(CAST(p.avg_clv_12m AS numeric), 2) AS avg_predicted_customer_value_12m,
       ROUND(CAST(100 * p.clv_12m / NULLIF((SELECT SUM(clv_12m) FROM c), 0) AS numeric), 2) AS predicted_value_share_pct,
       ROUND(COALESCE(p.historical_net_revenue, 0), 2) AS historical_net_revenue,
       ROUND(COALESCE(p.net_revenue_12m, 0), 2) AS net_revenue_12m
FROM segments g
LEFT JOIN per_segment p ON p.segment = g.segment
ORDER BY g.priority, g.segment
