-- Churn features, one row per customer with a completed order on or before the as-of date.
-- The current churn status: is_churned = at least :minOrders completed orders and none in the last
-- :churnDays days, i.e. the last order is on or before as-of - churnDays (a customer whose last
-- order is exactly churnDays ago is churned).
-- recent_support_tickets: tickets in the last churnDays days; unresolved_tickets: all unresolved
-- tickets up to as-of; avg_days_per_order: mean days between orders (NULL with one order);
-- ticket_to_order_ratio: all tickets up to as-of / completed orders.
WITH params AS (
    SELECT CAST(:#asOf AS date) AS as_of, CAST(:#churnDays AS integer) AS churn_days,
           CAST(:#minOrders AS integer) AS min_orders
),
order_totals AS (
    SELECT o.order_id, o.customer_id, o.order_date, SUM(i.quantity * i.unit_price) AS revenue
    FROM orders o
    JOIN order_items i ON i.order_id = o.order_id
    CROSS JOIN params
    WHERE o.order_status = 'Completed' AND o.order_date <= params.as_of
    GROUP BY o.order_id
),
per_customer AS (
    SELECT customer_id, COUNT(*) AS total_orders, SUM(revenue) AS total_spent,
           MIN(order_date) AS first_order, MAX(order_date) AS last_order
    FROM order_totals
    GROUP BY customer_id
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
       pc.total_orders >= params.min_orders AND pc.last_order <= params.as_of - params.churn_days AS is_churned
FROM per_customer pc
JOIN customers c ON c.customer_id = pc.customer_id
CROSS JOIN params
LEFT JOIN tickets t ON t.customer_id = pc.customer_id
ORDER BY pc.customer_id
