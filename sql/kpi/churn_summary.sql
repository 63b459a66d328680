-- Every customer with a completed sale by the as-of date, in groups named for what they are, and
-- how the groups differ, as averages. Grain: one row per group. Window: the churn rate's
-- (sql/kpi/churn_rate.sql), the churn_days days (window_start, as-of]. Population: every known
-- customer with a completed sale order by the as-of date; the group is fact.churn_groups'
-- (sql/fact/60_churn.sql), where "active at window_start" is fact.churn_population(window_start):
-- min_orders+ completed sale orders by then, one of them in the churn_days days up to it.
--   active                   active at window_start and bought again in the window
--   churned                  active at window_start, no completed purchase in the window
--   new or reactivated       min_orders+ orders now, not active at window_start, bought in the window
--   lapsed before the window min_orders+ orders, none in the window nor the churn_days days before it
--   one order so far         fewer than min_orders completed orders (their churn is not defined)
-- churned / (active + churned) is the churn rate of churn_rate.sql, and no other rate is given here.
-- Orders: completed sales with lines of a known customer; tickets: opened up to the as-of date.
WITH params AS (
    SELECT (SELECT as_of FROM fact.params) AS as_of, (SELECT as_of FROM fact.params) - (SELECT churn_days FROM fact.params) AS ws,
           (SELECT churn_days FROM fact.params) AS window_days
),
per_customer AS (   -- completed sale orders with lines of a known customer: the fact layer's (sql/fact)
    SELECT s.customer_id, COUNT(*) AS orders, MAX(s.day) AS last_order
    FROM fact.sales_orders s
    WHERE s.is_sale AND s.customer_id IS NOT NULL AND s.lines > 0
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
    SELECT g.churn_group AS status, c.orders, p.as_of - c.last_order AS days_since_last_order,
           COALESCE(t.unresolved, 0) AS unresolved, COALESCE(t.recent, 0) AS recent
    FROM per_customer c
    JOIN fact.churn_groups g ON g.customer_id = c.customer_id
    CROSS JOIN params p
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
