-- Headline figures, for the cards, the summary and period-over-period: the report's window, the
-- trailing 12 months (as-of - 12 months, as-of], and the 12 months before it (same length, ending
-- on the same day of the calendar a year earlier). From fact.sales_orders: every sale counted,
-- credit notes subtracted. net_revenue (after discounts and credit notes) is the headline revenue:
-- net_revenue = gross_revenue - discounts - credit_notes, where gross_revenue and discounts are
-- those of the sale orders and credit_notes what the credit notes took back. orders = sale
-- orders; avg_order_value = net_revenue / orders; customers = distinct known customers with a
-- sale; anonymous_net_revenue = sales without a known customer; gross_margin_pct = (net revenue
-- - cost) / net revenue over the lines that have a cost, cost_coverage_pct = the share of the
-- product lines' net revenue that has one. gross_margin_pct keeps 4 places: readers write it to one
-- and its change in points, which from two rates rounded to 2 places would be rounded twice.
-- comparable (on the previous row; NULL on the current one): true when the data covers the previous
-- window in full, i.e. the data's first sale day (data_scope.first_sale_day) is on or before the
-- previous window's start. Only then may the current 12 months be compared with it: otherwise the
-- comparison would set twelve months against a few. Every reader (cards, summary) reads this rule here.
WITH periods AS (
    SELECT 'current' AS period, 1 AS sort, window_start, window_end FROM fact.report_window
    UNION ALL
    SELECT 'previous', 2, previous_start, previous_end FROM fact.report_window
)
SELECT p.period, p.window_start, p.window_end,
       ROUND(COALESCE(SUM(s.net_revenue), 0), 2) AS net_revenue,
       ROUND(COALESCE(SUM(s.gross_revenue) FILTER (WHERE s.is_sale), 0), 2) AS gross_revenue,
       ROUND(COALESCE(SUM(s.discount) FILTER (WHERE s.is_sale), 0), 2) AS discounts,
       ROUND(COALESCE(-SUM(s.net_revenue) FILTER (WHERE NOT s.is_sale), 0), 2) AS credit_notes,
       COUNT(*) FILTER (WHERE s.is_sale) AS orders,
       ROUND(SUM(s.net_revenue) / NULLIF(COUNT(*) FILTER (WHERE s.is_sale), 0), 2) AS avg_order_value,
       COUNT(DISTINCT s.customer_id) FILTER (WHERE s.is_sale) AS customers,
       ROUND(COALESCE(SUM(s.net_revenue) FILTER (WHERE s.customer_id IS NULL), 0), 2) AS anonymous_net_revenue,
       ROUND(100 * (SUM(s.net_revenue_with_cost) - SUM(s.cost)) / NULLIF(SUM(s.net_revenue_with_cost), 0), 4) AS gross_margin_pct,
       ROUND(100 * COALESCE(SUM(s.net_revenue_with_cost), 0) / NULLIF(SUM(s.product_net_revenue), 0), 2) AS cost_coverage_pct,
       CASE WHEN p.period = 'previous' THEN COALESCE(f.first_sale_day <= p.window_start, false) END AS comparable
FROM periods p
CROSS JOIN (SELECT min(day) AS first_sale_day FROM fact.sales_orders) f
LEFT JOIN fact.sales_orders s ON s.day BETWEEN p.window_start AND p.window_end
GROUP BY p.period, p.sort, p.window_start, p.window_end, f.first_sale_day
ORDER BY p.sort
