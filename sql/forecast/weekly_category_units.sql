-- The weekly demand series of the top categories (WeeklyUnitsStep): one row per top category and
-- week. A week is the 7 days ending on the as-of date's weekday, the last one ending on the as-of
-- date itself, so no week is partial; the first week is kept only when the data (fact.daily_sales,
-- from the first sale) covers all 7 of its days. units = fact.sales_lines.units, credit notes
-- negative: a return reduces the units of the week it is booked in.
-- Top categories: by net revenue over the trailing 12 months (as-of - 12 months, as-of], real
-- categories only (lines with a product, not 'Uncategorised': a source without categories has
-- none), with a positive net revenue; ties by name. Parameters: the as-of date and
-- ecombi.forecast.weekly.top-categories.
WITH top AS (
    SELECT category, SUM(net_revenue) AS trailing_net_revenue,
           row_number() OVER (ORDER BY SUM(net_revenue) DESC, category) AS rank
    FROM fact.sales_lines
    WHERE day BETWEEN (SELECT window_start FROM fact.report_window) AND (SELECT window_end FROM fact.report_window)
      AND product_id IS NOT NULL AND category <> 'Uncategorised'
    GROUP BY category
    HAVING SUM(net_revenue) > 0
    ORDER BY SUM(net_revenue) DESC, category
    LIMIT (SELECT forecast_top_categories FROM fact.params)
),
weeks AS (
    SELECT (SELECT as_of FROM fact.params) - 7 * k AS week_end
    FROM generate_series(0, ((SELECT as_of FROM fact.params) - (SELECT min(day) FROM fact.daily_sales) + 1) / 7 - 1) AS k
),
per_week AS (
    SELECT l.category, (SELECT as_of FROM fact.params) - 7 * (((SELECT as_of FROM fact.params) - l.day) / 7) AS week_end, SUM(l.units) AS units
    FROM fact.sales_lines l JOIN top t ON t.category = l.category
    WHERE l.day <= (SELECT as_of FROM fact.params)
    GROUP BY 1, 2
)
SELECT t.rank, t.category, t.trailing_net_revenue, w.week_end - 6 AS week_start, w.week_end, COALESCE(p.units, 0) AS units
FROM top t
CROSS JOIN weeks w
LEFT JOIN per_week p ON p.category = t.category AND p.week_end = w.week_end
ORDER BY t.rank, w.week_end
