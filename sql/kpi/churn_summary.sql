-- Every customer with a completed sale by the as-of date, in groups named for what they are, and
-- how the groups differ, as averages. The window is the churn rate's (sql/kpi/churn_rate.sql):
-- the :churnDays days (window_start, as-of]; active at window_start = :minOrders+ completed sale
-- orders by then, one of them in the :churnDays days up to it.
--   active                   active at window_start and bought again in the window
--   churned                  active at window_start, no completed purchase in the window
--   new or reactivated       :minOrders+ orders now, not active at window_start, bought in the window
--   lapsed before the window :minOrders+ orders, none in the window nor the :churnDays days before it
--   one order so far         fewer than :minOrders completed orders (their churn is not defined)
-- churned / (active + churned) is the churn rate of churn_rate.sql, and no other rate is given here.
-- Orders: completed sales with lines of a known customer; tickets: opened up to the as-of date.
WITH params AS (
    SELECT (SELECT as_of FROM fact.params) AS as_of, (SELECT as_of FROM fact.params) - (SELECT churn_days FROM fact.params) AS ws,
           (SELECT churn_days FROM fact.params) AS window_days, (SELECT min_orders FROM fact.params) AS min_orders
),
sale_orders AS (   -- completed sale orders with lines of a known customer: the fact layer's (sql/fact)
    SELECT s.customer_id, s.day
    FROM fact.sales_orders s
    WHERE s.is_sale AND s.customer_id IS NOT NULL AND s.lines > 0
),
per_customer AS (
    SELECT s.customer_id, COUNT(*) AS orders, MAX(s.day) AS last_order,
           COUNT(*) FILTER (WHERE s.day <= p.ws) AS orders_at_start,
           bool_or(s.day > p.ws - p.window_days AND s.day <= p.ws) AS ordered_before_start,
           bool_or(s.day > p.ws) AS ordered_in_window
    FROM sale_orders s CROSS JOIN params p
    GROUP BY s.customer_id
),
tickets AS (
    SELECT t.customer_id, COUNT(*) FILTER (WHERE t.resolution_status = 'Unresolved') AS unresolved,
           COUNT(*) FILTER (WHERE t.ticket_date > p.as_of - p.window_days) AS recent
    FROM support_tickets t CROSS JOIN params p
    WHERE t.ticket_date <= p.as_of
    GROUP BY t.customer_id
),
grouped AS (
    SELECT CASE WHEN c.orders < p.min_orders
                     THEN CASE WHEN p.min_orders = 2 THEN 'one order so far' ELSE format('fewer than %s orders so far', p.min_orders) END
                WHEN c.orders_at_start >= p.min_orders AND c.ordered_before_start
                     THEN CASE WHEN c.ordered_in_window THEN 'active' ELSE 'churned' END
                WHEN c.ordered_in_window THEN 'new or reactivated'
                ELSE 'lapsed before the window' END AS status,
           c.orders, p.as_of - c.last_order AS days_since_last_order,
           COALESCE(t.unresolved, 0) AS unresolved, COALESCE(t.recent, 0) AS recent
    FROM per_customer c CROSS JOIN params p
    LEFT JOIN tickets t ON t.customer_id = c.customer_id
)
SELECT g.status,
       COUNT(*) AS customers,
       ROUND(AVG(days_since_last_order), 1) AS avg_days_since_last_order,
       ROUND(AVG(orders), 2) AS avg_orders,
       ROUND(AVG(unresolved), 3) AS avg_unresolved_tickets,
       ROUND(AVG(recent), 3) AS avg_recent_tickets,
       p.ws AS window_start, p.as_of AS window_end
FROM grouped g CROSS JOIN params p
GROUP BY g.status, p.ws, p.as_of
ORDER BY CASE g.status WHEN 'active' THEN 1 WHEN 'churned' THEN 2 WHEN 'new or reactivated' THEN 3
                       WHEN 'lapsed before the window' THEN 4 ELSE 5 END
