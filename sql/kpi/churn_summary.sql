-- Churned against active customers (the current status of churn_features: at least :minOrders
-- completed orders and none in the last :churnDays days) and how they differ on the main
-- features, as averages per group. Customers with fewer than :minOrders orders are their own
-- group ('too new to tell'), since the churn rule does not apply to them.
WITH params AS (
    SELECT CAST(:#asOf AS date) AS as_of, CAST(:#churnDays AS integer) AS churn_days,
           CAST(:#minOrders AS integer) AS min_orders
),
per_customer AS (
    SELECT o.customer_id, COUNT(*) AS orders, MAX(o.order_date) AS last_order
    FROM orders o CROSS JOIN params
    WHERE o.order_status = 'Completed' AND o.order_date <= params.as_of
    GROUP BY o.customer_id
),
tickets AS (
    SELECT t.customer_id, COUNT(*) FILTER (WHERE t.resolution_status = 'Unresolved') AS unresolved,
           COUNT(*) FILTER (WHERE t.ticket_date > params.as_of - params.churn_days) AS recent
    FROM support_tickets t CROSS JOIN params
    WHERE t.ticket_date <= params.as_of
    GROUP BY t.customer_id
),
grouped AS (
    SELECT CASE WHEN c.orders < params.min_orders THEN 'too new to tell'
                WHEN c.last_order <= params.as_of - params.churn_days THEN 'churned'
                ELSE 'active' END AS status,
           c.orders, params.as_of - c.last_order AS days_since_last_order,
           COALESCE(t.unresolved, 0) AS unresolved, COALESCE(t.recent, 0) AS recent
    FROM per_customer c CROSS JOIN params
    LEFT JOIN tickets t ON t.customer_id = c.customer_id
)
SELECT status,
       COUNT(*) AS customers,
       ROUND(100.0 * COUNT(*) / SUM(COUNT(*)) OVER (), 2) AS share_pct,
       ROUND(AVG(days_since_last_order), 1) AS avg_days_since_last_order,
       ROUND(AVG(orders), 2) AS avg_orders,
       ROUND(AVG(unresolved), 3) AS avg_unresolved_tickets,
       ROUND(AVG(recent), 3) AS avg_recent_tickets
FROM grouped
GROUP BY status
ORDER BY CASE status WHEN 'active' THEN 1 WHEN 'churned' THEN 2 ELSE 3 END
