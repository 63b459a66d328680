-- Pareto by product over the report's window, the trailing 12 months (as-of - 12 months, as-of]:
-- products ranked by net revenue (fact.sales_lines: discounts and credit notes subtracted, so a
-- sale cancelled by a credit note does not rank), ties broken by product_id so the cut is
-- reproducible; each with its share and the cumulative share of the ranked products' net revenue.
-- Products whose net revenue in the window is zero or negative (credited more than sold) are not
-- ranked. The first ceil(20% of ranked products) are 'Top 20%'.
WITH product_revenue AS (
    SELECT l.product_id, min(p.product_name) AS product_name, min(l.category) AS category,
           SUM(l.units) AS units, SUM(l.net_revenue) AS net_revenue
    FROM fact.sales_lines l
    JOIN products p ON p.product_id = l.product_id
    WHERE l.day BETWEEN (SELECT window_start FROM fact.report_window) AND (SELECT window_end FROM fact.report_window)
    GROUP BY l.product_id
    HAVING SUM(l.net_revenue) > 0
),
ranked AS (
    SELECT *, ROW_NUMBER() OVER (ORDER BY net_revenue DESC, product_id) AS revenue_rank,
           COUNT(*) OVER () AS products, SUM(net_revenue) OVER () AS total_revenue
    FROM product_revenue
)
SELECT revenue_rank, product_id, product_name, category, units,
       ROUND(net_revenue, 2) AS net_revenue,
       ROUND(100 * net_revenue / total_revenue, 4) AS share_pct,
       ROUND(100 * SUM(net_revenue) OVER (ORDER BY revenue_rank) / total_revenue, 4) AS cumulative_share_pct,
       CASE WHEN revenue_rank <= CEIL(0.2 * products) THEN 'Top 20%' ELSE 'Bottom 80%' END AS segment
FROM ranked
ORDER BY revenue_rank
