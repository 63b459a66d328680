-- Geography: revenue by customer country over the trailing 12 months (as-of - 12 months, as-of],
-- completed orders; share of all revenue in percent; largest first.
SELECT COALESCE(c.country, 'Unknown') AS country,
       COUNT(DISTINCT o.customer_id) AS customers,
       COUNT(DISTINCT o.order_id) AS orders,
       ROUND(SUM(i.quantity * i.unit_price), 2) AS revenue,
       ROUND(100 * SUM(i.quantity * i.unit_price) / SUM(SUM(i.quantity * i.unit_price)) OVER (), 2) AS revenue_share_pct
FROM orders o
JOIN order_items i ON i.order_id = o.order_id
JOIN customers c ON c.customer_id = o.customer_id
WHERE o.order_status = 'Completed'
  AND o.order_date > CAST(:#asOf AS date) - interval '12 months'
  AND o.order_date <= CAST(:#asOf AS date)
GROUP BY COALESCE(c.country, 'Unknown')
ORDER BY revenue DESC, country
