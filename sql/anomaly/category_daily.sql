-- Daily net revenue of the top categories (by net revenue over the 365 days to the as-of date, from
-- fact.sales_lines), one row per category and calendar day of fact.daily_sales, 0 on a day without
-- a sale of the category. Parameters: the as-of date and ecombi.anomaly.top-categories.
WITH top AS (
    SELECT category
    FROM fact.sales_lines
    WHERE day > (SELECT as_of FROM fact.params) - 365 AND day <= (SELECT as_of FROM fact.params)
    GROUP BY category
    ORDER BY SUM(net_revenue) DESC, category
    LIMIT (SELECT anomaly_top_categories FROM fact.params)
),
per_day AS (
    SELECT l.category, l.day, SUM(l.net_revenue) AS net_revenue
    FROM fact.sales_lines l JOIN top t ON t.category = l.category
    GROUP BY l.category, l.day
)
SELECT t.category, d.day, COALESCE(p.net_revenue, 0) AS net_revenue
FROM top t
CROSS JOIN fact.daily_sales d
LEFT JOIN per_day p ON p.category = t.category AND p.day = d.day
WHERE d.day <= (SELECT as_of FROM fact.params)
ORDER BY t.category, d.day
