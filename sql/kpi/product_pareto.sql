-- Pareto by product over the trailing 12 months (as-of - 12 months, as-of], completed orders:
-- products ranked by revenue (ties broken by product_id, so the cut is reproducible), each with
-- its share and the cumulative share of revenue. The first ceil(20% of products) are 'Top 20%'.
-- The headline (what share of revenue the top 20% make) is the cumulative share of the last
-- 'Top 20%' row.
WITH product_revenue AS (
    SELECT p.product_id, p.product_name, COALESCE(p.category, 'Uncategorised') AS category,
           SUM(i.quantity * i.unit_price) AS revenue
    FROM orders o
    JOIN order_items i ON i.order_id = o.order_id
    JOIN products p ON p.product_id = i.product_id
    WHERE o.order_status = 'Completed'
      AND o.order_date > CAST(:#asOf AS date) - interval '12 months'
      AND o.order_date <= CAST(:#asOf AS date)
    GROUP BY p.product_id
    HAVING SUM(i.quantity * i.unit_price) > 0
),
ranked AS (
    SELECT *, ROW_NUMBER() OVER (ORDER BY revenue DESC, product_id) AS revenue_rank,
           COUNT(*) OVER () AS products, SUM(revenue) OVER () AS total_revenue
    FROM product_revenue
)
SELECT revenue_rank, product_id, product_name, category,
       ROUND(revenue, 2) AS revenue,
       ROUND(100 * revenue / total_revenue, 4) AS share_pct,
       ROUND(100 * SUM(revenue) OVER (ORDER BY revenue_rank) / total_revenue, 4) AS cumulative_share_pct,
       CASE WHEN revenue_rank <= CEIL(0.2 * products) THEN 'Top 20%' ELSE 'Bottom 80%' END AS segment
FROM ranked
ORDER BY revenue_rank
