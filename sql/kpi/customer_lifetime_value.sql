-- Customer lifetime value, one row per customer with a completed order on or before the as-of date.
-- revenue = sum of line revenue; net_revenue = revenue - order discounts; profit = net_revenue -
-- cost (NULL when a line has no cost); tenure_days = as-of - first completed order.
-- value_tier: quartiles of revenue (Platinum = top 25%), ties broken by customer_id.
-- clv_score: projected 3-year net revenue at the customer's pace so far
--   = net_revenue / greatest(tenure_days, 30) * 365 * 3.
WITH order_totals AS (
    SELECT o.order_id, o.customer_id, o.order_date, o.discount_amount,
           SUM(i.quantity * i.unit_price) AS revenue,
           SUM(i.quantity * i.unit_cost) AS cost,
           COUNT(*) = COUNT(i.unit_cost) AS cost_known
    FROM orders o
    JOIN order_items i ON i.order_id = o.order_id
    WHERE o.order_status = 'Completed' AND o.order_date <= CAST(:#asOf AS date)
    GROUP BY o.order_id
),
per_customer AS (
    SELECT customer_id, COUNT(*) AS orders, SUM(revenue) AS revenue,
           SUM(revenue) - SUM(discount_amount) AS net_revenue,
           CASE WHEN bool_and(cost_known) THEN SUM(revenue) - SUM(discount_amount) - SUM(cost) END AS profit,
           MIN(order_date) AS first_order, MAX(order_date) AS last_order
    FROM order_totals
    GROUP BY customer_id
)
SELECT customer_id, orders,
       ROUND(revenue, 2) AS revenue,
       ROUND(net_revenue, 2) AS net_revenue,
       ROUND(profit, 2) AS profit,
       first_order, last_order,
       CAST(:#asOf AS date) - first_order AS tenure_days,
       CASE NTILE(4) OVER (ORDER BY revenue DESC, customer_id)
           WHEN 1 THEN 'Platinum' WHEN 2 THEN 'Gold' WHEN 3 THEN 'Silver' ELSE 'Bronze' END AS value_tier,
       ROUND(net_revenue / GREATEST(CAST(:#asOf AS date) - first_order, 30) * 365 * 3, 2) AS clv_score
FROM per_customer
ORDER BY revenue DESC, customer_id
