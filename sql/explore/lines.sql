-- Explore's drill-down: the sale lines behind a figure, from the (narrowed) fact layer, so their
-- net revenue adds up to the figure. Grain: one row per sale line (fact.sales_lines), with its
-- order's payment method and its product's name. Window: the report's (fact.report_window) unless
-- dayFrom/dayTo give another (a month's bar gives its month); the key of the figure: category,
-- country, region, state, product, payment, each NULL = any. total_lines and total_net_revenue are
-- of every row that matches, not only of the page (limit, offset).
SELECT l.day, l.order_id, l.order_item_id, l.customer_id, l.country, l.region, l.state, l.category,
       l.product_id, p.product_name, o.payment_method, l.units, l.gross_revenue, l.discount, l.net_revenue, l.cost,
       count(*) OVER () AS total_lines, sum(l.net_revenue) OVER () AS total_net_revenue
FROM fact.sales_lines l
CROSS JOIN fact.report_window w
JOIN orders o ON o.order_id = l.order_id
LEFT JOIN products p ON p.product_id = l.product_id
WHERE l.day >= COALESCE(CAST(:#dayFrom AS date), w.window_start)
  AND l.day <= COALESCE(CAST(:#dayTo AS date), w.window_end)
  AND (CAST(:#category AS text) IS NULL OR l.category = CAST(:#category AS text))
  AND (CAST(:#country AS text) IS NULL OR l.country = CAST(:#country AS text))
  AND (CAST(:#region AS text) IS NULL OR l.region = CAST(:#region AS text))
  AND (CAST(:#state AS text) IS NULL OR l.state = CAST(:#state AS text))
  AND (CAST(:#product AS bigint) IS NULL OR l.product_id = CAST(:#product AS bigint))
  AND (CAST(:#payment AS text) IS NULL OR o.payment_method = CAST(:#payment AS text))
ORDER BY l.day, l.order_id, l.order_item_id NULLS LAST
LIMIT :#limit OFFSET :#offset
