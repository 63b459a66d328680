-- The customer summary BG/NBD and Gamma-Gamma are fitted on (io.ecombi.clv): each known customer's
-- repeat-purchase history over all of it, and over its calibration part for the hold-out check.
-- Grain: one row per known customer with a sale order on or before the as-of date (fact.sales_orders).
-- A purchase is a day with a sale order of the customer: several orders on one day are one purchase
-- (BG/NBD counts purchase occasions, and a day is the finest time every source gives). Times are in
-- weeks (days / 7), counted from the customer's first purchase day.
-- To the as-of date:
--   frequency        x: repeat purchases, i.e. purchase days after the first
--   recency_weeks    t_x: from the first purchase day to the last (0 without a repeat purchase)
--   age_weeks        T: from the first purchase day to the as-of date
--   monetary         mean value of a repeat purchase: the net revenue dated after the first purchase
--                    day (sale orders less the credit notes dated after it) / frequency; NULL when
--                    frequency = 0. It can be 0 or less when credit notes outweigh the repeat sales.
--   net_revenue      all net revenue to the as-of date, credit notes subtracted (the historical value)
--   net_revenue_12m  the same in the report's window (fact.report_window, the trailing 12 months)
-- The hold-out check: calibration_end = as-of - clv_holdout_days (ecombi.clv.holdout-days); a customer
-- whose first purchase is on or before it is in_calibration, and cal_frequency, cal_recency_weeks,
-- cal_age_weeks and cal_monetary are the above to calibration_end (NULL otherwise);
--   holdout_purchases   purchase days in (calibration_end, as-of]: the repeat purchases the check predicts
--   holdout_net_revenue net revenue dated in (calibration_end, as-of]
WITH p AS (
    SELECT x.as_of, x.as_of - x.clv_holdout_days AS calibration_end, w.window_start
    FROM fact.params x CROSS JOIN fact.report_window w
),
days AS (
    SELECT s.customer_id, s.day, bool_or(s.is_sale AND s.lines > 0) AS purchase, SUM(s.net_revenue) AS net_revenue
    FROM fact.sales_orders s
    WHERE s.customer_id IS NOT NULL
    GROUP BY s.customer_id, s.day
),
firsts AS (
    SELECT customer_id, min(day) FILTER (WHERE purchase) AS first_day
    FROM days
    GROUP BY customer_id
    HAVING bool_or(purchase)
),
summary AS (
    SELECT d.customer_id, f.first_day, p.as_of, p.calibration_end,
           COUNT(*) FILTER (WHERE d.purchase) - 1 AS frequency,
           max(d.day) FILTER (WHERE d.purchase) AS last_day,
           SUM(d.net_revenue) FILTER (WHERE d.day > f.first_day) AS repeat_net_revenue,
           SUM(d.net_revenue) AS net_revenue,
           COALESCE(SUM(d.net_revenue) FILTER (WHERE d.day >= p.window_start), 0) AS net_revenue_12m,
           COUNT(*) FILTER (WHERE d.purchase AND d.day <= p.calibration_end) - 1 AS cal_frequency,
           max(d.day) FILTER (WHERE d.purchase AND d.day <= p.calibration_end) AS cal_last_day,
           SUM(d.net_revenue) FILTER (WHERE d.day > f.first_day AND d.day <= p.calibration_end) AS cal_repeat_net_revenue,
           COUNT(*) FILTER (WHERE d.purchase AND d.day > p.calibration_end) AS holdout_purchases,
           COALESCE(SUM(d.net_revenue) FILTER (WHERE d.day > p.calibration_end), 0) AS holdout_net_revenue
    FROM days d
    JOIN firsts f ON f.customer_id = d.customer_id
    CROSS JOIN p
    GROUP BY d.customer_id, f.first_day, p.as_of, p.calibration_end
)
SELECT customer_id, first_day,
       frequency,
       (last_day - first_day) / 7.0 AS recency_weeks,
       (as_of - first_day) / 7.0 AS age_weeks,
       CASE WHEN frequency > 0 THEN COALESCE(repeat_net_revenue, 0) / frequency END AS monetary,
       net_revenue, net_revenue_12m,
       first_day <= calibration_end AS in_calibration,
       calibration_end,
       CASE WHEN first_day <= calibration_end THEN cal_frequency END AS cal_frequency,
       CASE WHEN first_day <= calibration_end THEN (cal_last_day - first_day) / 7.0 END AS cal_recency_weeks,
       CASE WHEN first_day <= calibration_end THEN (calibration_end - first_day) / 7.0 END AS cal_age_weeks,
       CASE WHEN first_day <= calibration_end AND cal_frequency > 0 THEN COALESCE(cal_repeat_net_revenue, 0) / cal_frequency END AS cal_monetary,
       CASE WHEN first_day <= calibration_end THEN holdout_purchases END AS holdout_purchases,
       CASE WHEN first_day <= calibration_end THEN holdout_net_revenue END AS holdout_net_revenue
FROM summary
ORDER BY customer_id
