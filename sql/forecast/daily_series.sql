-- The daily series the forecasts read: one row per calendar day from the first sale to the as-of
-- date, days without a sale included as 0 (from fact.daily_sales, built by sql/fact/40_daily_sales.sql).
-- net_revenue: after discounts, credit notes subtracted; orders: sale orders (a credit note is not
-- an order). Any numeric column added here can be forecast by naming it in ecombi.forecast.series.
SELECT day, orders, net_revenue
FROM fact.daily_sales
WHERE day <= (SELECT as_of FROM fact.params)
ORDER BY day
