-- Profit margins by category over the trailing 12 months (as-of - 12 months, as-of].
-- Completed orders. revenue = sum of quantity * unit_price, cost = sum of quantity * unit_cost
-- (the price and cost at order time); gross_profit = revenue - cost; margin_pct = gross_profit /
-- revenue. Order-level discounts are not spread over categories. Where a source has no cost
-- (unit_cost NULL), profit is computed over the lines that have one and cost_coverage_pct says
-- what share of revenue that is.
WITH lines AS (
    SELECT COALESCE(p.category, 'Uncategorised') AS category, o.order_id, i.quantity,
           i.quantity * i.unit_price AS revenue,
           i.quantity * i.unit_cost AS cost
    FROM orders o
    JOIN order_items i ON i.order_id = o.order_id
    JOIN products p ON p.product_id = i.product_id
    WHERE o.order_status = 'Completed'
      AND o.order_date > CAST(:#asOf AS date) - interval '12 months'
      AND o.order_date <= CAST(:#asOf AS date)
)
SELECT category,
       COUNT(DISTINCT order_id) AS orders,
       SUM(quantity) AS units,
       ROUND(SUM(revenue), 2) AS revenue,
       ROUND(SUM(cost), 2) AS cost,
       ROUND(SUM(revenue) FILTER (WHERE cost IS NOT NULL) - SUM(cost), 2) AS gross_profit,
       ROUND(100 * (SUM(revenue) FILTER (WHERE cost IS NOT NULL) - SUM(cost))
                 / NULLIF(SUM(revenue) FILTER (WHERE cost IS NOT NULL), 0), 2) AS margin_pct,
       ROUND(100 * COALESCE(SUM(revenue) FILTER (WHERE cost IS NOT NULL), 0) / NULLIF(SUM(revenue), 0), 2) AS cost_coverage_pct
FROM lines
GROUP BY category
ORDER BY gross_profit DESC NULLS LAST, category
