-- fact.cohort_cells(grain): the one definition of an acquisition cohort, by 'month' or by 'week'
-- (ISO weeks, Monday to Sunday); sql/kpi/cohort_monthly.sql and cohort_weekly.sql read it.
-- Grain: one row per (cohort, periods since acquisition) the cohort has lived through (a period
-- after the as-of period is not a row: empty, not 0 %); a period without new customers is a cohort
-- of 0. Population: known customers whose first sale order (all history, fact.customer_sales) falls
-- in one of the last n periods up to the as-of period, n = fact.params.cohort_months or
-- cohort_weeks (ecombi.cohort.months / .weeks). active_customers = cohort customers with a sale
-- order in that period (period 0 = all of them); net_revenue = the cohort's net revenue in it
-- (credit notes subtracted); period0_revenue = its net revenue in period 0. is_partial: the period
-- of the as-of date when the as-of date is not its last day.
CREATE OR REPLACE FUNCTION fact.cohort_cells(grain text)
RETURNS TABLE (cohort date, cohort_customers bigint, period date, periods_since integer, is_partial boolean,
               active_customers bigint, net_revenue numeric, period0_revenue numeric)
LANGUAGE sql STABLE AS $$
WITH params AS (
    SELECT as_of, CAST(date_trunc(grain, as_of) AS date) AS last_period, CAST('1 ' || grain AS interval) AS step,
           CASE grain WHEN 'month' THEN cohort_months WHEN 'week' THEN cohort_weeks END AS n
    FROM fact.params
),
cohorts AS (
    SELECT c.customer_id, CAST(date_trunc(grain, c.first_order) AS date) AS cohort
    FROM fact.customer_sales c, params p
    WHERE c.first_order >= p.last_period - (p.n - 1) * p.step
),
-- every cohort period of the window, also one without new customers (0 customers, no retention)
sizes AS (
    SELECT CAST(g AS date) AS cohort, COUNT(h.customer_id) AS cohort_customers
    FROM params p
    CROSS JOIN generate_series(p.last_period - (p.n - 1) * p.step, p.last_period, p.step) AS g
    LEFT JOIN cohorts h ON h.cohort = CAST(g AS date)
    GROUP BY 1
),
activity AS (
    SELECT h.cohort, CAST(date_trunc(grain, s.day) AS date) AS period,
           COUNT(DISTINCT s.customer_id) FILTER (WHERE s.is_sale) AS active_customers,
           SUM(s.net_revenue) AS net_revenue
    FROM fact.sales_orders s
    JOIN cohorts h ON h.customer_id = s.customer_id
    GROUP BY 1, 2
),
cells AS (
    SELECT z.cohort, z.cohort_customers, CAST(m AS date) AS period,
           CAST(row_number() OVER (PARTITION BY z.cohort ORDER BY m) - 1 AS integer) AS periods_since,
           CAST(m AS date) = p.last_period AND p.as_of < CAST(p.last_period + p.step - interval '1 day' AS date) AS is_partial
    FROM sizes z, params p, generate_series(z.cohort, p.last_period, p.step) AS m
)
SELECT c.cohort, c.cohort_customers, c.period, c.periods_since, c.is_partial,
       COALESCE(a.active_customers, 0), COALESCE(a.net_revenue, 0),
       first_value(COALESCE(a.net_revenue, 0)) OVER (PARTITION BY c.cohort ORDER BY c.periods_since)
FROM cells c LEFT JOIN activity a ON a.cohort = c.cohort AND a.period = c.period
$$;
