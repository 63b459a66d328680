-- severity: warn
-- check: order lines without a cost (e.g. UCI Online Retail has none): margins leave them out and
-- say what share of revenue they cover
SELECT COUNT(*) AS uncosted_lines,
       ROUND(100.0 * COUNT(*) / NULLIF((SELECT COUNT(*) FROM order_items), 0), 2) AS share_of_lines_pct
FROM order_items
WHERE unit_cost IS NULL
HAVING COUNT(*) > 0
