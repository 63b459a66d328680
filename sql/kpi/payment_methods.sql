-- Payment methods over the report's window, the trailing 12 months (as-of - 12 months, as-of].
-- Grain: one row per orders.payment_method of the sale orders (credit notes are not orders and
-- carry no method); 'not recorded' for orders without one (exports without payment data: UCI,
-- Superstore). Shares of sale orders and of their net revenue; avg_order_value = net revenue /
-- orders. The shop tables keep no instalments (Olist's payment_installments is not loaded).
SELECT COALESCE(payment_method, 'not recorded') AS payment_method,
       COUNT(*) AS orders,
       ROUND(100.0 * COUNT(*) / NULLIF(SUM(COUNT(*)) OVER (), 0), 2) AS order_share_pct,
       ROUND(SUM(net_revenue), 2) AS net_revenue,
       ROUND(100 * SUM(net_revenue) / NULLIF(SUM(SUM(net_revenue)) OVER (), 0), 2) AS revenue_share_pct,
       ROUND(SUM(net_revenue) / COUNT(*), 2) AS avg_order_value
FROM fact.sales_orders
WHERE is_sale AND day BETWEEN (SELECT window_start FROM fact.report_window) AND (SELECT window_end FROM fact.report_window)
GROUP BY payment_method IS NULL, payment_method
ORDER BY payment_method IS NULL, orders DESC, payment_method
