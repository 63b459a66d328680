-- Net revenue change split into volume, price and mix, over products. Grain: one row per move.
-- Periods (both ends included, bound per move): :#periodStart to :#periodEnd against
-- :#compareStart to :#compareEnd; from fact.sales_lines (units and net revenue, credit notes
-- subtracted), as the drivers' net revenue.
-- The variant: the classic price-volume-mix with the comparison period as the base, over products
-- (a product's price is its net revenue per unit; over products, not categories, so that a price
-- effect is a change in what the same item sold for, and a shift between items of one category is mix):
--   volume = (units - compare_units) x the comparison period's average price (its net revenue / units);
--   price  = the sum over products sold (units > 0) in both periods of units x (price - compare price);
--   mix    = the change - volume - price. For products sold in both periods this is the classic mix,
--            units x the sum of (unit share - compare unit share) x compare price; it also holds what
--            has no price to compare: products new or gone (a new product's whole revenue is volume
--            and mix, none of it price) and order discounts without a product.
-- The three add up exactly to the change (rounded: volume and price to the cent, mix the rest).
-- NULL effects when either period has no units sold.
WITH p AS (
    SELECT CAST(:#periodStart AS date) AS ps, CAST(:#periodEnd AS date) AS pe,
           CAST(:#compareStart AS date) AS cs, CAST(:#compareEnd AS date) AS ce
),
per_product AS (
    SELECT l.product_id,
           COALESCE(SUM(l.units) FILTER (WHERE l.day BETWEEN p.ps AND p.pe), 0) AS q1,
           COALESCE(SUM(l.units) FILTER (WHERE l.day BETWEEN p.cs AND p.ce), 0) AS q0,
           COALESCE(SUM(l.net_revenue) FILTER (WHERE l.day BETWEEN p.ps AND p.pe), 0) AS r1,
           COALESCE(SUM(l.net_revenue) FILTER (WHERE l.day BETWEEN p.cs AND p.ce), 0) AS r0
    FROM fact.sales_lines l CROSS JOIN p
    WHERE l.day BETWEEN p.ps AND p.pe OR l.day BETWEEN p.cs AND p.ce
    GROUP BY l.product_id
),
t AS (
    SELECT SUM(q1) AS q1, SUM(q0) AS q0, COALESCE(SUM(r1), 0) AS r1, COALESCE(SUM(r0), 0) AS r0,
           SUM(CASE WHEN product_id IS NOT NULL AND q1 > 0 AND q0 > 0 THEN r1 - q1 * r0 / q0 ELSE 0 END) AS price
    FROM per_product
),
e AS (
    SELECT ROUND(r1, 2) AS net_revenue, ROUND(r0, 2) AS compare_net_revenue, ROUND(r1, 2) - ROUND(r0, 2) AS change,
           q1 AS units, q0 AS compare_units,
           CASE WHEN q1 > 0 AND q0 > 0 THEN ROUND((q1 - q0) * r0 / q0, 2) END AS volume,
           CASE WHEN q1 > 0 AND q0 > 0 THEN ROUND(price, 2) END AS price
    FROM t
)
SELECT net_revenue, compare_net_revenue, change, units, compare_units, volume, price, change - volume - price AS mix
FROM e
