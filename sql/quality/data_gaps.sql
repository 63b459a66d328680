-- severity: warn
-- check: probable data gaps in the last :gap_days days: a day without a single order on a weekday the
-- shop normally trades (an order on at least :gap_traded_pct % of the same weekday in the previous
-- :gap_weeks weeks, at least :gap_min_weeks of them in the data). Missing data or an unannounced closure:
-- load the missing day, or ignore it if the shop was shut

-- The gaps are defined once, in sql/fact/50_data_gaps.sql; gap_days is ecombi.anomaly.history-days.
-- day as text, so the sample reads as a date.
SELECT CAST(g.day AS text) AS day, g.weekday, g.orders, g.weeks_seen, g.weeks_traded, g.expected_orders
FROM fact.data_gaps g CROSS JOIN fact.params x
WHERE g.day > x.as_of - x.gap_days
ORDER BY g.day DESC
