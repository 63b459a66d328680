-- Churn features, one row per customer with a completed sale on or before the as-of date, and the
-- customer's churn group from fact.churn_groups (sql/fact/60_churn.sql; as in churn_summary.sql:
-- the churn rate's window is the churn_days days up to as-of; 'active' / 'churned' = in
-- fact.churn_population at its start and bought again / did not).
-- Orders are completed sales of a known customer; total_spent is net revenue (discounts off,
-- credit notes subtracted). recent_support_tickets: tickets in the last churn_days days;
-- unresolved_tickets: tickets unresolved now, opened up to as-of (a current status: descriptive
-- only, the model does not use it); avg_days_per_order: mean days between orders (NULL with one
-- order); ticket_to_order_ratio: all tickets up to as-of / completed orders.
WITH params AS (
    SELECT (SELECT as_of FROM fact.params) AS as_of, (SELECT churn_days FROM fact.params) AS churn_days
),
-- Sale orders and credit notes of known customers come from the fact layer (sql/fact), the one
-- definition of a completed sale and its net revenue; an order counts when it is a sale with lines
-- (as in sql/kpi/churn_rate.sql), while every row's net revenue counts (credit notes negative).
order_totals AS (
    SELECT s.order_id, s.customer_id, s.day, s.is_sale AND s.lines > 0 AS is_sale, s.net_revenue AS revenue
    FROM fact.sales_orders s
    WHERE s.customer_id IS NOT NULL
),
per_customer AS (
    SELECT customer_id, COUNT(*) FILTER (WHERE is_sale) AS total_orders, SUM(revenue) AS total_spent,
           MIN(day) FILTER (WHERE is_sale) AS first_order, MAX(day) FILTER (WHERE is_sale) AS last_order
    FROM order_totals
    GROUP BY customer_id
    HAVING COUNT(*) FILTER (WHERE is_sale) > 0
),
tickets AS (
    SELECT t.customer_id,
           COUNT(*) AS all_tickets,
           COUNT(*) FILTER (WHERE t.ticket_date > params.as_of - params.churn_days) AS recent,
           COUNT(*) FILTER (WHERE t.resolution_status = 'Unresolved') AS unresolved
    FROM support_tickets t
    CROSS JOIN params
    WHERE t.ticket_date <= params.as_of
    GROUP BY t.customer_id
)
SELECT pc.customer_id,
       pc.total_orders,
       ROUND(pc.total_spent, 2) AS total_spent,
       ROUND(pc.total_spent / pc.total_orders, 2) AS avg_order_value,
       params.as_of - c.registration_date AS customer_tenure_days,
       params.as_of - pc.last_order AS days_since_last_order,
       COALESCE(t.recent, 0) AS recent_support_tickets,
       COALESCE(t.unresolved, 0) AS unresolved_tickets,
       CASE WHEN pc.total_orders > 1
            THEN ROUND(CAST(pc.last_order - pc.first_order AS numeric) / (pc.total_orders - 1), 2) END AS avg_days_per_order,
       ROUND(CAST(COALESCE(t.all_tickets, 0) AS numeric) / pc.total_orders, 4) AS ticket_to_order_ratio,
       g.churn_group
FROM per_customer pc
JOIN customers c ON c.customer_id = pc.customer_id
JOIN fact.churn_groups g ON g.customer_id = pc.customer_id
CROSS JOIN params
LEFT JOIN tickets t ON t.customer_id = pc.customer_id
ORDER BY pc.customer_id
