-- Geography: net revenue by country over the report's window, the trailing 12 months (as-of - 12
-- months, as-of]. Every sale counts, with or without a known customer (country = the order's own
-- country, else the customer's); credit notes subtracted. customers = distinct known customers;
-- anonymous_net_revenue = the part without a known customer; share of all net revenue in percent.
SELECT country,
       COUNT(DISTINCT customer_id) FILTER (WHERE is_sale) AS customers,
       COUNT(*) FILTER (WHERE is_sale) AS orders,
       ROUND(SUM(net_revenue), 2) AS net_revenue,
       ROUND(COALESCE(SUM(net_revenue) FILTER (WHERE customer_id IS NULL), 0), 2) AS anonymous_net_revenue,
       ROUND(100 * SUM(net_revenue) / NULLIF(SUM(SUM(net_revenue)) OVER (), 0), 2) AS revenue_share_pct
FROM fact.sales_orders
WHERE day BETWEEN (SELECT window_start FROM fact.report_window) AND (SELECT window_end FROM fact.report_window)
GROUP BY country
ORDER BY net_revenue DESC, country
