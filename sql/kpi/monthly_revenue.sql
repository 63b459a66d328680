-- Monthly revenue trends: the 12 calendar months up to and including the as-of month.
-- Completed orders with order_date <= as-of. revenue = sum of quantity * unit_price of the lines;
-- discounts are order-level; net_revenue = revenue - discounts; avg_order_value = net_revenue / orders;
-- mom_growth_pct = change of revenue against the month before, in percent (a 13th month is read
-- for the first one). is_complete_month is false for an as-of month that has not ended.
-- Shipping is not revenue (it is passed through to carriers).
WITH bounds AS (
    SELECT CAST(:#asOf AS date) AS as_of,
           CAST(date_trunc('month', CAST(:#asOf AS date)) - interval '12 months' AS date) AS first_month
),
order_totals AS (
    SELECT o.order_id, o.customer_id, o.discount_amount,
           CAST(date_trunc('month', o.order_date) AS date) AS month,
           SUM(i.quantity * i.unit_price) AS revenue
    FROM orders o
    JOIN order_items i ON i.order_id = o.order_id
    CROSS JOIN bounds b
    WHERE o.order_status = 'Completed' AND o.order_date >= b.first_month AND o.order_date <= b.as_of
    GROUP BY o.order_id
),
per_month AS (
    SELECT month, COUNT(*) AS orders, COUNT(DISTINCT customer_id) AS customers,
           SUM(revenue) AS revenue, SUM(discount_amount) AS discounts
    FROM order_totals
    GROUP BY month
),
months AS (
    SELECT CAST(m AS date) AS month
    FROM bounds b, generate_series(b.first_month, b.as_of, interval '1 month') AS m
)
SELECT m.month,
       CAST(m.month + interval '1 month' - interval '1 day' AS date) <= b.as_of AS is_complete_month,
       COALESCE(p.orders, 0) AS orders,
       COALESCE(p.customers, 0) AS customers,
       ROUND(COALESCE(p.revenue, 0), 2) AS revenue,
       ROUND(COALESCE(p.discounts, 0), 2) AS discounts,
       ROUND(COALESCE(p.revenue, 0) - COALESCE(p.discounts, 0), 2) AS net_revenue,
       ROUND((p.revenue - p.discounts) / NULLIF(p.orders, 0), 2) AS avg_order_value,
       ROUND(100 * (COALESCE(p.revenue, 0) - LAG(COALESCE(p.revenue, 0)) OVER w)
                 / NULLIF(LAG(p.revenue) OVER w, 0), 2) AS mom_growth_pct
FROM months m
CROSS JOIN bounds b
LEFT JOIN per_month p ON p.month = m.month
WINDOW w AS (ORDER BY m.month)
ORDER BY m.month
OFFSET 1
