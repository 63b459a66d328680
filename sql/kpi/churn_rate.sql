-- The churn rate: ONE definition, used by the dashboard, the summary and the model report.
-- Grain: one row. Window: the churn_days days (window_start, window_end] ending on the as-of date.
-- Population: fact.churn_population(window_start) (sql/fact/60_churn.sql), the customers active at
-- window_start: at least min_orders completed sale orders on or before it, one of them in the
-- churn_days days up to it (the churn model's training population, so its base rate is this rate).
-- Churned: no completed sale order in the window.
-- Orders are completed sales with lines of a known customer (credit notes and guest sales are not).
WITH params AS (
    SELECT (SELECT as_of FROM fact.params) AS as_of, (SELECT as_of FROM fact.params) - (SELECT churn_days FROM fact.params) AS ws,
           (SELECT churn_days FROM fact.params) AS window_days, (SELECT min_orders FROM fact.params) AS min_orders
),
bought_in_window AS (   -- completed sale orders with lines of a known customer: the fact layer's (sql/fact)
    SELECT DISTINCT s.customer_id
    FROM fact.sales_orders s CROSS JOIN params p
    WHERE s.is_sale AND s.customer_id IS NOT NULL AND s.lines > 0 AND s.day > p.ws
),
population AS (
    SELECT a.customer_id, b.customer_id IS NOT NULL AS ordered_in_window
    FROM fact.churn_population((SELECT ws FROM params)) a
    LEFT JOIN bought_in_window b ON b.customer_id = a.customer_id
)
SELECT format('share of the customers active on %s (%s+ completed orders, one in the %s days up to that day) '
              || 'who made no completed purchase in the %s days after it, to %s',
              p.ws, p.min_orders, p.window_days, p.window_days, p.as_of) AS definition,
       p.ws AS window_start, p.as_of AS window_end,
       (SELECT COUNT(*) FROM population) AS population,
       (SELECT COUNT(*) FROM population WHERE NOT ordered_in_window) AS churned,
       (SELECT COUNT(*) FROM population WHERE ordered_in_window) AS retained,
       ROUND(100.0 * (SELECT COUNT(*) FROM population WHERE NOT ordered_in_window)
             / NULLIF((SELECT COUNT(*) FROM population), 0), 2) AS churn_rate_pct
FROM params p
