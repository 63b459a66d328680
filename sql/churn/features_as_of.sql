-- Churn-model features of every customer active as of :featureDate, from what was known on that
-- date only, and (for training) the label: no completed sale order in (:featureDate, :labelEnd].
-- Grain: one row per active customer, written to the temp table churn_features, which the end of
-- the transaction drops: sql/churn/training_sample.sql and sql/churn/score.sql read it on the same
-- connection (in psql: BEGIN; this file with the two dates; one of them; COMMIT).
-- Active: fact.churn_population(featureDate) (sql/fact/60_churn.sql), the population of the one
-- churn rate: at least min_orders completed sale orders on or before the date, one of them in the
-- churn_days days up to it.
-- The training set is these features with featureDate = as-of - churn_days and labelEnd = as-of;
-- the out-of-time check trains on featureDate = as-of - 2 x churn_days, labelEnd = as-of - churn_days;
-- scoring uses featureDate = labelEnd = as-of (the label is then NULL).
-- Orders are completed sales of a known customer (order_kind 'sale'); a credit note is not an order
-- but reduces the customer's net revenue on its own date (sign -1).
-- Left out on purpose: the Returned status and ticket resolution are current values with no date of
-- their own, so as of a past date they would tell the model the future (a return or an unresolved
-- ticket that happened after the cutoff); only dated events (orders, credit notes, tickets opened) count.
-- Not features: customer_value (net revenue of the 365 days up to the date) and
-- expected_window_revenue (the net revenue the customer brings in churn_days days at their past
-- pace: net revenue of the last min(365, days since the first order) days, per day, floored at
-- churn_days days of history, times churn_days) size a retention offer and the revenue at risk.
CREATE TEMP TABLE churn_features ON COMMIT DROP AS
WITH params AS (
    SELECT CAST(:#featureDate AS date) AS d, CAST(:#labelEnd AS date) AS label_end,
           (SELECT churn_days FROM fact.params) AS window_days
),
-- Sale orders and credit notes of known customers come from the fact layer (sql/fact), the one
-- definition of a completed sale and its net revenue; an order counts when it is a sale with lines
-- (as in sql/kpi/churn_rate.sql), while every row's net revenue counts (credit notes negative).
sale_orders AS (
    SELECT s.customer_id, s.day, s.is_sale AND s.lines > 0 AS is_sale, s.net_revenue
    FROM fact.sales_orders s CROSS JOIN params p
    WHERE s.customer_id IS NOT NULL AND s.day <= p.label_end
),
per_customer AS (
    SELECT b.customer_id,
           COUNT(*) FILTER (WHERE is_sale) AS total_orders,
           SUM(net_revenue) AS total_spent,
           MIN(day) FILTER (WHERE is_sale) AS first_order,
           MAX(day) FILTER (WHERE is_sale) AS last_order,
           COUNT(*) FILTER (WHERE is_sale AND day > p.d - p.window_days) AS orders_last_window,
           COUNT(*) FILTER (WHERE is_sale AND day > p.d - 2 * p.window_days AND day <= p.d - p.window_days) AS orders_prior_window,
           COALESCE(SUM(net_revenue) FILTER (WHERE day > p.d - 365), 0) AS value_last_year
    FROM sale_orders b CROSS JOIN params p
    WHERE b.day <= p.d
    GROUP BY b.customer_id, p.d, p.window_days
),
bought_later AS (   -- customers with a completed sale in (featureDate, labelEnd]: not churned
    SELECT DISTINCT l.customer_id
    FROM sale_orders l CROSS JOIN params p
    WHERE l.is_sale AND l.day > p.d
),
tickets AS (
    SELECT t.customer_id,
           COUNT(*) AS all_tickets,
           COUNT(*) FILTER (WHERE t.ticket_date > p.d - p.window_days) AS recent
    FROM support_tickets t CROSS JOIN params p
    WHERE t.ticket_date <= p.d
    GROUP BY t.customer_id
)
SELECT c.customer_id,
       pc.total_orders,
       ROUND(pc.total_spent, 2) AS total_spent,
       ROUND(pc.total_spent / pc.total_orders, 2) AS avg_order_value,
       p.d - c.registration_date AS customer_tenure_days,
       p.d - pc.last_order AS days_since_last_order,
       COALESCE(t.recent, 0) AS recent_support_tickets,
       ROUND(CAST(pc.last_order - pc.first_order AS numeric) / (pc.total_orders - 1), 2) AS avg_days_per_order,
       ROUND(CAST(COALESCE(t.all_tickets, 0) AS numeric) / pc.total_orders, 4) AS ticket_to_order_ratio,
       pc.orders_last_window,
       pc.orders_prior_window,
       ROUND(pc.value_last_year, 2) AS customer_value,
       ROUND(pc.value_last_year / GREATEST(LEAST(365, p.d - pc.first_order + 1), p.window_days) * p.window_days, 2)
           AS expected_window_revenue,
       CASE WHEN p.label_end > p.d THEN bl.customer_id IS NULL END AS churned_next_window
FROM per_customer pc
JOIN fact.churn_population(CAST(:#featureDate AS date)) a ON a.customer_id = pc.customer_id
JOIN customers c ON c.customer_id = pc.customer_id
CROSS JOIN params p
LEFT JOIN tickets t ON t.customer_id = pc.customer_id
LEFT JOIN bought_later bl ON bl.customer_id = pc.customer_id
