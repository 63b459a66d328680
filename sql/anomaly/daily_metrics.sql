-- The daily metrics tested for anomalies: one row per calendar day from the first sale to the as-of
-- date (fact.daily_sales, days without a sale as 0). aov = net revenue per sale order, NULL on a day
-- without orders (not tested that day).
SELECT day, orders, net_revenue,
       CASE WHEN orders > 0 THEN net_revenue / orders END AS aov
FROM fact.daily_sales
WHERE day <= (SELECT as_of FROM fact.params)
ORDER BY day
