-- fact.data_gaps: the one definition of a probable data gap, over the whole history: a day without
-- a single order on a weekday the shop normally trades, i.e. an order on at least gap_traded_pct %
-- of the same weekday in the previous gap_weeks weeks, at least gap_min_weeks of them in the data
-- (ecombi.quality.data-gap-*). A weekday that has not traded for a while (closed on Saturdays; or a
-- gap repeated until it is the new rhythm) is not a gap. expected_orders = the median of the same
-- weekday's orders in those weeks. The quality check sql/quality/data_gaps.sql lists the recent
-- ones; the anomaly step lists them in bi.anomalies (kind data_gap) and leaves them out of its baselines.
-- A day without orders on a public holiday of the shop's country (fact.calendar) is a closure, not a gap.
DROP TABLE IF EXISTS fact.data_gaps;
CREATE UNLOGGED TABLE fact.data_gaps AS
SELECT d.day, to_char(d.day, 'Dy') AS weekday, d.orders, b.weeks_seen, b.weeks_traded, b.expected_orders
FROM fact.daily_sales d
CROSS JOIN fact.params x
CROSS JOIN LATERAL (
    SELECT COUNT(*) AS weeks_seen, COUNT(*) FILTER (WHERE p.orders > 0) AS weeks_traded,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY p.orders) AS expected_orders
    FROM fact.daily_sales p
    WHERE p.iso_weekday = d.iso_weekday AND p.day < d.day AND p.day >= d.day - 7 * x.gap_weeks
) b
WHERE d.orders = 0
  AND NOT EXISTS (SELECT 1 FROM fact.calendar h WHERE h.day = d.day AND h.kind = 'public_holiday')
  AND b.weeks_seen >= x.gap_min_weeks
  AND 100 * b.weeks_traded >= x.gap_traded_pct * b.weeks_seen;
