-- Customer value tiers in one table for the report: per tier (quartiles of customer net revenue,
-- as in customer_lifetime_value), the customers, their net revenue, its share of all customers'
-- net revenue and the average net revenue and orders per customer. Known customers, all history
-- to the as-of date (fact.customer_sales).
WITH tiered AS (
    SELECT *, NTILE(4) OVER (ORDER BY net_revenue DESC, customer_id) AS tier FROM fact.customer_sales
)
SELECT CASE tier WHEN 1 THEN 'Platinum' WHEN 2 THEN 'Gold' WHEN 3 THEN 'Silver' ELSE 'Bronze' END AS value_tier,
       COUNT(*) AS customers,
       ROUND(SUM(net_revenue), 2) AS net_revenue,
       ROUND(100 * SUM(net_revenue) / NULLIF(SUM(SUM(net_revenue)) OVER (), 0), 2) AS revenue_share_pct,
       ROUND(AVG(net_revenue), 2) AS avg_net_revenue,
       ROUND(AVG(orders), 2) AS avg_orders
FROM tiered
GROUP BY tier
ORDER BY tier
