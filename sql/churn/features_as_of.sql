-- Churn-model features of every active customer as of :featureDate, from data on or before that
-- date only, and (for training) the label: no completed order in (:featureDate, :labelEnd].
-- Active = at least :minOrders completed orders and one in the last :churnDays days.
-- The training set is this query with featureDate = as-of - churnDays and labelEnd = as-of;
-- scoring runs it with featureDate = labelEnd = as-of (the label is then NULL).
-- customer_value (net revenue of the last 365 days) sizes a retention offer; it is not a feature.
WITH params AS (
    SELECT CAST(:#featureDate AS date) AS d, CAST(:#labelEnd AS date) AS label_end,
           CAST(:#churnDays AS integer) AS window_days, CAST(:#minOrders AS integer) AS min_orders
),
orders_before AS (
    SELECT o.order_id, o.customer_id, o.order_date, o.order_status, o.discount_amount,
           SUM(i.quantity * i.unit_price) AS revenue
    FROM orders o
    JOIN order_items i ON i.order_id = o.order_id
    CROSS JOIN params p
    WHERE o.order_date <= p.d
    GROUP BY o.order_id
),
per_customer AS (
    SELECT b.customer_id,
           COUNT(*) FILTER (WHERE order_status = 'Completed') AS total_orders,
           SUM(revenue) FILTER (WHERE order_status = 'Completed') AS total_spent,
           MIN(order_date) FILTER (WHERE order_status = 'Completed') AS first_order,
           MAX(order_date) FILTER (WHERE order_status = 'Completed') AS last_order,
           COUNT(*) FILTER (WHERE order_status = 'Completed' AND order_date > p.d - p.window_days) AS orders_last_window,
           COUNT(*) FILTER (WHERE order_status = 'Completed' AND order_date > p.d - 2 * p.window_days
                                                           AND order_date <= p.d - p.window_days) AS orders_prior_window,
           COUNT(*) FILTER (WHERE order_status = 'Returned') AS returned_orders,
           COUNT(*) AS all_orders,
           SUM(revenue - discount_amount) FILTER (WHERE order_status = 'Completed' AND order_date > p.d - 365) AS value_last_year
    FROM orders_before b CROSS JOIN params p
    GROUP BY b.customer_id, p.d, p.window_days
),
tickets AS (
    SELECT t.customer_id,
           COUNT(*) AS all_tickets,
           COUNT(*) FILTER (WHERE t.ticket_date > p.d - p.window_days) AS recent,
           COUNT(*) FILTER (WHERE t.resolution_status = 'Unresolved') AS unresolved
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
       COALESCE(t.unresolved, 0) AS unresolved_tickets,
       ROUND(CAST(pc.last_order - pc.first_order AS numeric) / (pc.total_orders - 1), 2) AS avg_days_per_order,
       ROUND(CAST(COALESCE(t.all_tickets, 0) AS numeric) / pc.total_orders, 4) AS ticket_to_order_ratio,
       pc.orders_last_window,
       pc.orders_prior_window,
       ROUND(CAST(pc.returned_orders AS numeric) / pc.all_orders, 4) AS return_rate,
       ROUND(COALESCE(pc.value_last_year, 0), 2) AS customer_value,
       CASE WHEN p.label_end > p.d THEN NOT EXISTS (
                SELECT 1 FROM orders later
                WHERE later.customer_id = c.customer_id AND later.order_status = 'Completed'
                  AND later.order_date > p.d AND later.order_date <= p.label_end)
       END AS churned_next_window
FROM per_customer pc
JOIN customers c ON c.customer_id = pc.customer_id
CROSS JOIN params p
LEFT JOIN tickets t ON t.customer_id = pc.customer_id
WHERE pc.total_orders >= p.min_orders
  AND pc.last_order > p.d - p.window_days
ORDER BY c.customer_id
