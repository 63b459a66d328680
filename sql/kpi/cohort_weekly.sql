-- Weekly acquisition cohorts, for shops with short buying cycles. Grain: one row per (cohort week,
-- weeks since acquisition) the cohort has lived through (later cells are not rows: empty, not 0 %);
-- a week without new customers is a cohort of 0 with empty retention.
-- Weeks are ISO weeks (Monday to Sunday). Population: known customers whose first sale order (all
-- history) falls in one of the last ecombi.cohort.weeks weeks up to the as-of week (default 12).
-- active_customers = cohort customers with a sale order in that week (week 0 = 100 %);
-- revenue_retention_pct = the cohort's net revenue that week / week 0's. is_partial: the week of the
-- as-of date when the as-of date is not its Sunday.
WITH params AS (
    SELECT CAST(date_trunc('week', (SELECT as_of FROM fact.params)) AS date) AS last_week,
           (SELECT as_of FROM fact.params) AS as_of,
           (SELECT cohort_weeks FROM fact.params) AS n
),
cohorts AS (
    SELECT c.customer_id, CAST(date_trunc('week', c.first_order) AS date) AS cohort
    FROM fact.customer_sales c, params p
    WHERE c.first_order >= p.last_week - 7 * (p.n - 1)
),
-- every cohort week of the window, also one without new customers (0 customers, no retention)
sizes AS (
    SELECT CAST(g AS date) AS cohort, COUNT(h.customer_id) AS cohort_customers
    FROM params p
    CROSS JOIN generate_series(p.last_week - 7 * (p.n - 1), p.last_week, interval '7 days') AS g
    LEFT JOIN cohorts h ON h.cohort = CAST(g AS date)
    GROUP BY 1
),
activity AS (
    SELECT h.cohort, CAST(date_trunc('week', s.day) AS date) AS week,
           COUNT(DISTINCT s.customer_id) FILTER (WHERE s.is_sale) AS active_customers,
           SUM(s.net_revenue) AS net_revenue
    FROM fact.sales_orders s
    JOIN cohorts h ON h.customer_id = s.customer_id
    GROUP BY 1, 2
),
cells AS (
    SELECT z.cohort, z.cohort_customers, CAST(w AS date) AS week,
           (CAST(w AS date) - z.cohort) / 7 AS weeks_since,
           CAST(w AS date) = p.last_week AND p.as_of < p.last_week + 6 AS is_partial
    FROM sizes z, params p, generate_series(z.cohort, p.last_week, interval '7 days') AS w
),
filled AS (
    SELECT c.*, COALESCE(a.active_customers, 0) AS active_customers, COALESCE(a.net_revenue, 0) AS net_revenue,
           first_value(COALESCE(a.net_revenue, 0)) OVER (PARTITION BY c.cohort ORDER BY c.weeks_since) AS week0_revenue
    FROM cells c LEFT JOIN activity a ON a.cohort = c.cohort AND a.week = c.week
)
SELECT cohort AS cohort_week, cohort_customers, weeks_since, week AS calendar_week, is_partial,
       active_customers,
       ROUND(100.0 * active_customers / NULLIF(cohort_customers, 0), 2) AS customer_retention_pct,
       ROUND(net_revenue, 2) AS net_revenue,
       ROUND(100 * net_revenue / NULLIF(week0_revenue, 0), 2) AS revenue_retention_pct
FROM filled
ORDER BY cohort, weeks_since
