-- The churn rate: ONE definition, used by the dashboard, the summary and the model report.
-- Grain: one row. Window: the churn_days days (window_start, window_end] ending on the as-of date.
-- Population: fact.churn_population(window_start) (sql/fact/60_churn.sql), the customers active at
-- window_start: at least min_orders completed sale orders on or before it, one of them in the
-- churn_days days up to it (the churn model's training population, so its base rate is this rate).
-- Churned: no completed sale order in the window. The rate is NULL when the population is under
-- churn_min_rate_customers (a rate on a handful of customers says nothing); withheld says why.
-- Orders are completed sales with lines of a known customer (credit notes and guest sales are not).
WITH params AS (
    SELECT (SELECT as_of FROM fact.params) AS as_of, (SELECT as_of FROM fact.params) - (SELECT churn_days FROM fact.params) AS ws,
           (SELECT churn_days FROM fact.params) AS window_days, (SELECT min_orders FROM fact.params) AS min_orders,
           (SELECT churn_min_rate_customers FROM fact.params) AS min_population
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
       n.population, n.churned, n.population - n.churned AS retained,
       CASE WHEN n.population >= p.min_population THEN ROUND(100.0 * n.churned / NULLIF(n.population, 0), 2) END AS churn_rate_pct,
       p.min_population,
       CASE WHEN n.population < p.min_population THEN
           format('not stated: %s customers were active on %s, under the %s a rate needs (ecombi.churn.min-rate-customers)',
                  n.population, p.ws, p.min_population) END AS withheld
FROM params p
CROSS JOIN (SELECT COUNT(*) AS population, COUNT(*) FILTER (WHERE NOT ordered_in_window) AS churned FROM population) n
