-- Period-over-period cards. Grain: one row per comparison, each with its own two date ranges
-- (both ends included), from fact.daily_sales (every sale, credit notes subtracted):
--   wow:  the last 7 days to the as-of date vs the 7 days before them;
--   yoy:  the last 30 days vs the same 30 calendar days a year earlier;
--   mtd:  the month to date vs the same days of the previous month (to its last day when shorter).
-- covered = the data starts on or before the comparison range's first day; otherwise the change is
-- NULL (no like-for-like figure).
WITH p AS (SELECT (SELECT as_of FROM fact.params) AS d, CAST(date_trunc('month', (SELECT as_of FROM fact.params)) AS date) AS m),
ranges AS (
    SELECT 1 AS sort, 'wow' AS comparison, 'last 7 days vs the 7 days before' AS compares,
           d - 6 AS period_start, d AS period_end, d - 13 AS compare_start, d - 7 AS compare_end FROM p
    UNION ALL
    SELECT 2, 'yoy', 'last 30 days vs the same 30 days a year earlier',
           d - 29, d, CAST((d - 29) - interval '1 year' AS date), CAST(d - interval '1 year' AS date) FROM p
    UNION ALL
    SELECT 3, 'mtd', 'month to date vs the same days of last month',
           m, d, CAST(m - interval '1 month' AS date),
           LEAST(CAST(m - interval '1 month' AS date) + (d - m), m - 1) FROM p
),
first_day AS (SELECT min(day) AS first_day FROM fact.daily_sales),
sums AS (
    SELECT r.sort, r.comparison, r.compares, r.period_start, r.period_end, r.compare_start, r.compare_end,
           COALESCE((SELECT SUM(net_revenue) FROM fact.daily_sales WHERE day BETWEEN r.period_start AND r.period_end), 0) AS net_revenue,
           COALESCE((SELECT SUM(net_revenue) FROM fact.daily_sales WHERE day BETWEEN r.compare_start AND r.compare_end), 0) AS compare_net_revenue,
           COALESCE((SELECT SUM(orders) FROM fact.daily_sales WHERE day BETWEEN r.period_start AND r.period_end), 0) AS orders,
           COALESCE((SELECT SUM(orders) FROM fact.daily_sales WHERE day BETWEEN r.compare_start AND r.compare_end), 0) AS compare_orders,
           COALESCE(f.first_day <= r.compare_start, false) AS covered
    FROM ranges r, first_day f
)
SELECT comparison, compares, period_start, period_end, compare_start, compare_end,
       ROUND(net_revenue, 2) AS net_revenue, ROUND(compare_net_revenue, 2) AS compare_net_revenue,
       CASE WHEN covered THEN ROUND(100 * (net_revenue - compare_net_revenue) / NULLIF(abs(compare_net_revenue), 0), 2) END AS net_revenue_change_pct,
       orders, compare_orders,
       CASE WHEN covered THEN ROUND(100.0 * (orders - compare_orders) / NULLIF(compare_orders, 0), 2) END AS orders_change_pct,
       covered
FROM sums
ORDER BY sort
