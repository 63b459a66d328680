-- Headline figures for the dashboard cards: the latest complete month (the as-of month itself
-- when the as-of date is its last day, else the month before), the month before that, and the
-- same month a year earlier. Completed orders. revenue = line revenue; net_revenue = revenue -
-- discounts; avg_order_value = net_revenue / orders; active_customers = customers who ordered in
-- the month; gross_margin_pct = (revenue - cost) / revenue over lines with a known cost.
WITH latest AS (
    SELECT CAST(date_trunc('month', CAST(:#asOf AS date) + 1) - interval '1 month' AS date) AS month
),
periods AS (
    SELECT 'latest' AS period, 1 AS sort, month FROM latest
    UNION ALL SELECT 'previous', 2, CAST(month - interval '1 month' AS date) FROM latest
    UNION ALL SELECT 'year_before', 3, CAST(month - interval '12 months' AS date) FROM latest
),
order_totals AS (
    SELECT p.period, o.order_id, o.customer_id, o.discount_amount,
           SUM(i.quantity * i.unit_price) AS revenue,
           SUM(i.quantity * i.unit_price) FILTER (WHERE i.unit_cost IS NOT NULL) AS revenue_with_cost,
           SUM(i.quantity * i.unit_cost) AS cost
    FROM periods p
    JOIN orders o ON o.order_date >= p.month AND o.order_date < p.month + interval '1 month'
    JOIN order_items i ON i.order_id = o.order_id
    WHERE o.order_status = 'Completed'
    GROUP BY p.period, o.order_id
)
SELECT p.period, p.month,
       ROUND(COALESCE(SUM(t.revenue), 0), 2) AS revenue,
       ROUND(COALESCE(SUM(t.revenue), 0) - COALESCE(SUM(t.discount_amount), 0), 2) AS net_revenue,
       COUNT(t.order_id) AS orders,
       ROUND((SUM(t.revenue) - SUM(t.discount_amount)) / NULLIF(COUNT(t.order_id), 0), 2) AS avg_order_value,
       COUNT(DISTINCT t.customer_id) AS active_customers,
       ROUND(100 * (SUM(t.revenue_with_cost) - SUM(t.cost)) / NULLIF(SUM(t.revenue_with_cost), 0), 2) AS gross_margin_pct
FROM periods p
LEFT JOIN order_totals t ON t.period = p.period
GROUP BY p.period, p.sort, p.month
ORDER BY p.sort
