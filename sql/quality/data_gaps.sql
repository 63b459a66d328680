-- severity: warn
-- check: probable data gaps in the last :gapDays days: a day without a single order on a weekday the
-- shop normally trades (an order on at least :gapTradedPct % of the same weekday in the previous
-- :gapWeeks weeks, at least :gapMinWeeks of them in the data). Missing data or an unannounced closure:
-- load the missing day, or ignore it if the shop was shut

-- The one definition of "normally trades" and of a probable data gap: the anomaly step reads this
-- file too (for the whole history, gapDays = every day), lists the gaps in bi.anomalies (kind
-- data_gap) and leaves them out of its baselines. A weekday that has not traded for a while (closed
-- on Saturdays; or a gap repeated until it is the new rhythm) is not a gap. expected_orders = the
-- median of the same weekday's orders in those weeks; day as text, so the sample reads as a date.
-- From fact.daily_sales (every calendar day from the first sale to the as-of date). Parameters: ecombi.anomaly.history-days (gapDays),
-- ecombi.quality.data-gap-weeks, -min-weeks, -traded-pct.
SELECT CAST(d.day AS text) AS day, to_char(d.day, 'Dy') AS weekday, d.orders, b.weeks_seen, b.weeks_traded, b.expected_orders
FROM fact.daily_sales d
CROSS JOIN LATERAL (
    SELECT COUNT(*) AS weeks_seen, COUNT(*) FILTER (WHERE p.orders > 0) AS weeks_traded,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY p.orders) AS expected_orders
    FROM fact.daily_sales p
    WHERE p.iso_weekday = d.iso_weekday AND p.day < d.day AND p.day >= d.day - 7 * CAST(:#gapWeeks AS integer)
) b
WHERE d.orders = 0
  AND d.day > CAST(:#asOf AS date) - CAST(:#gapDays AS integer) AND d.day <= :#asOf
  AND b.weeks_seen >= CAST(:#gapMinWeeks AS integer)
  AND 100 * b.weeks_traded >= CAST(:#gapTradedPct AS numeric) * b.weeks_seen
ORDER BY d.day DESC
