-- Profit margins by category over the report's window, the trailing 12 months (as-of - 12
-- months, as-of]. From fact.sales_lines: every sale, credit notes subtracted.
-- gross_revenue and discounts net of credit notes; net_revenue = after line and (pro-rata) order discounts; gross_profit = net revenue - cost;
-- margin_pct = gross_profit / net_revenue: margins are on net sales. Where a source has no cost
-- (unit_cost NULL) profit and margin are over the lines that have one, and cost_coverage_pct says
-- what share of net revenue that is (0 = margin unknown: shown as n/a).
WITH lines AS (
    SELECT * FROM fact.sales_lines
    WHERE day BETWEEN (SELECT window_start FROM fact.report_window) AND (SELECT window_end FROM fact.report_window)
)
SELECT category,
       COUNT(DISTINCT order_id) FILTER (WHERE order_kind = 'sale') AS orders,
       SUM(units) AS units,
       ROUND(SUM(gross_revenue), 2) AS gross_revenue,
       ROUND(SUM(discount), 2) AS discounts,
       ROUND(SUM(net_revenue), 2) AS net_revenue,
       ROUND(SUM(cost), 2) AS cost,
       ROUND(SUM(net_revenue) FILTER (WHERE cost IS NOT NULL) - SUM(cost), 2) AS gross_profit,
       ROUND(100 * (SUM(net_revenue) FILTER (WHERE cost IS NOT NULL) - SUM(cost))
                 / NULLIF(SUM(net_revenue) FILTER (WHERE cost IS NOT NULL), 0), 2) AS margin_pct,
       ROUND(100 * COALESCE(SUM(net_revenue) FILTER (WHERE cost IS NOT NULL), 0) / NULLIF(SUM(net_revenue), 0), 2) AS cost_coverage_pct
FROM lines
GROUP BY category
ORDER BY gross_profit DESC NULLS LAST, net_revenue DESC, category
