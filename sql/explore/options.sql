-- Explore: the values each filter can take, from the run's fact layer, so the page offers only the
-- filters the shop's data has (a source without regions gets no region filter). Grain: one row per
-- (filter, value), with the sale lines that carry it (all history to the as-of date). filter:
-- country, region, state, category, payment (the sale orders' payment_method), segment (the RFM
-- segments of the fact layer's run), product (value = product_id, label = its name), day (the
-- first and last sale day, as value and label).
SELECT 'country' AS filter, country AS value, country AS label, count(*) AS lines FROM fact.sales_lines GROUP BY country
UNION ALL
SELECT 'region', region, region, count(*) FROM fact.sales_lines WHERE region IS NOT NULL GROUP BY region
UNION ALL
SELECT 'state', state, state, count(*) FROM fact.sales_lines WHERE state IS NOT NULL GROUP BY state
UNION ALL
SELECT 'category', category, category, count(*) FROM fact.sales_lines GROUP BY category
UNION ALL
SELECT 'payment', payment_method, payment_method, sum(lines) FROM fact.sales_orders
WHERE is_sale AND payment_method IS NOT NULL GROUP BY payment_method
UNION ALL
SELECT 'segment', r.segment, r.segment, count(*) FROM bi.rfm_customers r
WHERE r.run_id = (SELECT run_id FROM fact.params) GROUP BY r.segment
UNION ALL
SELECT 'product', CAST(l.product_id AS text), min(p.product_name), count(*)
FROM fact.sales_lines l JOIN products p ON p.product_id = l.product_id GROUP BY l.product_id
UNION ALL
SELECT 'day', CAST(min(day) AS text), CAST(max(day) AS text), count(*) FROM fact.sales_lines
ORDER BY 1, 4 DESC, 2
