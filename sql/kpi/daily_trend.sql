-- Daily trend over the report's window, the trailing 12 months (as-of - 12 months, as-of]. Grain:
-- one row per calendar day (days without sales are 0), from fact.daily_sales: every sale counted,
-- credit notes subtracted on their own date. net_revenue_ma7 / orders_ma7 = the average of the
-- day and the 6 before it (days before the window count), NULL until the data has 7 days.
WITH d AS (
    SELECT day, orders, net_revenue,
           AVG(net_revenue) OVER w AS ma7_revenue, AVG(orders) OVER w AS ma7_orders, COUNT(*) OVER w AS days_in_avg
    FROM fact.daily_sales
    WINDOW w AS (ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW)
)
SELECT day, orders, ROUND(net_revenue, 2) AS net_revenue,
       CASE WHEN days_in_avg = 7 THEN ROUND(ma7_revenue, 2) END AS net_revenue_ma7,
       CASE WHEN days_in_avg = 7 THEN ROUND(ma7_orders, 2) END AS orders_ma7
FROM d
WHERE day BETWEEN (SELECT window_start FROM fact.report_window) AND (SELECT window_end FROM fact.report_window)
ORDER BY day
