-- Customer value tiers in one table for the report: per tier (quartiles of customer revenue,
-- as in customer_lifetime_value), the customers, their revenue, its share of all revenue and
-- the average revenue and orders per customer. Completed orders on or before the as-of date.
WITH per_customer AS (
    SELECT o.customer_id, COUNT(DISTINCT o.order_id) AS orders, SUM(i.quantity * i.unit_price) AS revenue
    FROM orders o
    JOIN order_items i ON i.order_id = o.order_id
    WHERE o.order_status = 'Completed' AND o.order_date <= CAST(:#asOf AS date)
    GROUP BY o.customer_id
),
tiered AS (
    SELECT *, NTILE(4) OVER (ORDER BY revenue DESC, customer_id) AS tier FROM per_customer
)
SELECT CASE tier WHEN 1 THEN 'Platinum' WHEN 2 THEN 'Gold' WHEN 3 THEN 'Silver' ELSE 'Bronze' END AS value_tier,
       COUNT(*) AS customers,
       ROUND(SUM(revenue), 2) AS revenue,
       ROUND(100 * SUM(revenue) / SUM(SUM(revenue)) OVER (), 2) AS revenue_share_pct,
       ROUND(AVG(revenue), 2) AS avg_revenue,
       ROUND(AVG(orders), 2) AS avg_orders
FROM tiered
GROUP BY tier
ORDER BY tier
