-- Monthly revenue trend: the 12 calendar months up to and including the as-of month (the as-of
-- month is partial unless the as-of date is its last day: is_complete_month says so). A trend,
-- not the headline: the report's 12-month figures are kpi_cards' trailing window.
-- From fact.sales_orders: every sale, credit notes subtracted. gross_revenue and discounts = of the
-- sale orders; credit_notes = what credit notes took back; net_revenue = gross_revenue - discounts
-- - credit_notes; orders = sale orders; customers = distinct known
-- customers with a sale; avg_order_value = net_revenue / orders; mom_growth_pct = change of net
-- revenue against the month before (a 13th month is read for the first one).
WITH bounds AS (
    SELECT (SELECT as_of FROM fact.params) AS as_of,
           CAST(date_trunc('month', (SELECT as_of FROM fact.params)) - interval '12 months' AS date) AS first_month
),
per_month AS (
    SELECT CAST(date_trunc('month', s.day) AS date) AS month,
           COUNT(*) FILTER (WHERE s.is_sale) AS orders,
           COUNT(DISTINCT s.customer_id) FILTER (WHERE s.is_sale) AS customers,
           SUM(s.gross_revenue) FILTER (WHERE s.is_sale) AS gross_revenue, SUM(s.discount) FILTER (WHERE s.is_sale) AS discounts,
           -SUM(s.net_revenue) FILTER (WHERE NOT s.is_sale) AS credit_notes,
           SUM(s.net_revenue) AS net_revenue
    FROM fact.sales_orders s CROSS JOIN bounds b
    WHERE s.day >= b.first_month AND s.day <= b.as_of
    GROUP BY 1
),
months AS (
    SELECT CAST(m AS date) AS month
    FROM bounds b, generate_series(b.first_month, b.as_of, interval '1 month') AS m
)
SELECT m.month,
       CAST(m.month + interval '1 month' - interval '1 day' AS date) <= b.as_of AS is_complete_month,
       COALESCE(p.orders, 0) AS orders,
       COALESCE(p.customers, 0) AS customers,
       ROUND(COALESCE(p.gross_revenue, 0), 2) AS gross_revenue,
       ROUND(COALESCE(p.discounts, 0), 2) AS discounts,
       ROUND(COALESCE(p.credit_notes, 0), 2) AS credit_notes,
       ROUND(COALESCE(p.net_revenue, 0), 2) AS net_revenue,
       ROUND(p.net_revenue / NULLIF(p.orders, 0), 2) AS avg_order_value,
       ROUND(100 * (COALESCE(p.net_revenue, 0) - LAG(COALESCE(p.net_revenue, 0)) OVER w)
                 / NULLIF(LAG(p.net_revenue) OVER w, 0), 2) AS mom_growth_pct
FROM months m
CROSS JOIN bounds b
LEFT JOIN per_month p ON p.month = m.month
WINDOW w AS (ORDER BY m.month)
ORDER BY m.month
OFFSET 1
