-- The churn population and the churn groups: the one definition the churn rate, the churn summary,
-- the churn features and the churn model read.
--
-- fact.churn_population(on_day): the customers active on a day, i.e. with at least min_orders
-- completed sale orders (with lines, of a known customer; a credit note is not an order) on or
-- before it, one of them in the churn_days days up to it. Any day works (the churn rate asks for
-- as-of - churn_days, the model for its cutoffs). A function, not a table, because the model asks
-- about several days in one run; STABLE and plain SQL, so PostgreSQL plans it inside the query
-- that calls it. Its body is text (not BEGIN ATOMIC), so it does not pin fact.sales_orders, which
-- every run drops and writes again.
CREATE OR REPLACE FUNCTION fact.churn_population(on_day date)
RETURNS TABLE (customer_id bigint)
LANGUAGE sql STABLE AS $$
    SELECT s.customer_id
    FROM fact.sales_orders s
    WHERE s.is_sale AND s.lines > 0 AND s.customer_id IS NOT NULL AND s.day <= on_day
    GROUP BY s.customer_id
    HAVING COUNT(*) >= (SELECT min_orders FROM fact.params)
       AND MAX(s.day) > on_day - (SELECT churn_days FROM fact.params)
$$;

-- fact.churn_groups: one row per known customer with a completed sale order (with lines) on or
-- before the as-of date, and the customer's group over the churn rate's window, the churn_days
-- days (window_start, as-of] with window_start = as-of - churn_days:
--   active                   in the population on window_start, bought again in the window
--   churned                  in the population on window_start, no completed sale order in the window
--   new or reactivated       min_orders+ orders now, not in the population on window_start, bought in the window
--   lapsed before the window min_orders+ orders, none in the window nor the churn_days days before it
--   one order so far         fewer than min_orders orders (with min_orders = 2; else 'fewer than N
--                            orders so far'): their churn is not defined
-- churned / (active + churned) is the churn rate of sql/kpi/churn_rate.sql.
DROP TABLE IF EXISTS fact.churn_groups;
CREATE UNLOGGED TABLE fact.churn_groups AS
WITH per_customer AS (
    SELECT s.customer_id, COUNT(*) AS orders, bool_or(s.day > p.as_of - p.churn_days) AS ordered_in_window
    FROM fact.sales_orders s CROSS JOIN fact.params p
    WHERE s.is_sale AND s.lines > 0 AND s.customer_id IS NOT NULL
    GROUP BY s.customer_id
),
active_at_start AS (
    SELECT a.customer_id FROM fact.churn_population((SELECT as_of - churn_days FROM fact.params)) a
)
SELECT c.customer_id,
       CASE WHEN c.orders < p.min_orders
                 THEN CASE WHEN p.min_orders = 2 THEN 'one order so far' ELSE format('fewer than %s orders so far', p.min_orders) END
            WHEN a.customer_id IS NOT NULL
                 THEN CASE WHEN c.ordered_in_window THEN 'active' ELSE 'churned' END
            WHEN c.ordered_in_window THEN 'new or reactivated'
            ELSE 'lapsed before the window' END AS churn_group
FROM per_customer c
CROSS JOIN fact.params p
LEFT JOIN active_at_start a ON a.customer_id = c.customer_id;
ANALYZE fact.churn_groups;
