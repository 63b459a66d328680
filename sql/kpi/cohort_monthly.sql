-- Monthly acquisition cohorts. Grain: one row per (cohort month, months since acquisition) that
-- the cohort has lived through (a cell after the as-of month is not a row: empty, not 0 %); a
-- month without new customers is a cohort of 0 with empty retention.
-- Population: known customers whose first sale order (all history, fact.customer_sales) falls in
-- one of the last ecombi.cohort.months calendar months up to the as-of month (default 12).
-- active_customers = cohort customers with a sale order in that month (month 0 = 100 % by
-- construction); revenue_retention_pct = the cohort's net revenue in that month (credit notes
-- subtracted) / its net revenue in month 0. is_partial: the month of the as-of date when the as-of
-- date is not its last day. avg_*_at_k: the average curve, over the cohorts whose month k is
-- complete, weighted by cohort size (customers) and by month-0 revenue (revenue).
WITH params AS (
    SELECT CAST(date_trunc('month', (SELECT as_of FROM fact.params)) AS date) AS last_month,
           (SELECT as_of FROM fact.params) AS as_of,
           (SELECT cohort_months FROM fact.params) AS n
),
cohorts AS (
    SELECT c.customer_id, CAST(date_trunc('month', c.first_order) AS date) AS cohort
    FROM fact.customer_sales c, params p
    WHERE c.first_order >= p.last_month - make_interval(months => p.n - 1)
),
-- every cohort period of the window, also one without new customers (0 customers, no retention)
sizes AS (
    SELECT CAST(g AS date) AS cohort, COUNT(h.customer_id) AS cohort_customers
    FROM params p
    CROSS JOIN generate_series(p.last_month - make_interval(months => p.n - 1), p.last_month, interval '1 month') AS g
    LEFT JOIN cohorts h ON h.cohort = CAST(g AS date)
    GROUP BY 1
),
activity AS (
    SELECT h.cohort, CAST(date_trunc('month', s.day) AS date) AS month,
           COUNT(DISTINCT s.customer_id) FILTER (WHERE s.is_sale) AS active_customers,
           SUM(s.net_revenue) AS net_revenue
    FROM fact.sales_orders s
    JOIN cohorts h ON h.customer_id = s.customer_id
    GROUP BY 1, 2
),
cells AS (
    SELECT z.cohort, z.cohort_customers, CAST(m AS date) AS month,
           CAST((extract(year FROM m) - extract(year FROM z.cohort)) * 12 + extract(month FROM m) - extract(month FROM z.cohort) AS integer) AS months_since,
           CAST(m AS date) = p.last_month AND p.as_of < CAST(p.last_month + interval '1 month' - interval '1 day' AS date) AS is_partial
    FROM sizes z, params p, generate_series(z.cohort, p.last_month, interval '1 month') AS m
),
filled AS (
    SELECT c.*, COALESCE(a.active_customers, 0) AS active_customers, COALESCE(a.net_revenue, 0) AS net_revenue,
           first_value(COALESCE(a.net_revenue, 0)) OVER (PARTITION BY c.cohort ORDER BY c.months_since) AS month0_revenue
    FROM cells c LEFT JOIN activity a ON a.cohort = c.cohort AND a.month = c.month
)
SELECT cohort AS cohort_month, cohort_customers, months_since, month AS calendar_month, is_partial,
       active_customers,
       ROUND(100.0 * active_customers / NULLIF(cohort_customers, 0), 2) AS customer_retention_pct,
       ROUND(net_revenue, 2) AS net_revenue,
       ROUND(100 * net_revenue / NULLIF(month0_revenue, 0), 2) AS revenue_retention_pct,
       ROUND(100.0 * SUM(CASE WHEN NOT is_partial THEN active_customers END) OVER (PARTITION BY months_since)
                   / NULLIF(SUM(CASE WHEN NOT is_partial THEN cohort_customers END) OVER (PARTITION BY months_since), 0), 2) AS avg_customer_retention_pct_at_k,
       ROUND(100 * SUM(CASE WHEN NOT is_partial THEN net_revenue END) OVER (PARTITION BY months_since)
                 / NULLIF(SUM(CASE WHEN NOT is_partial THEN month0_revenue END) OVER (PARTITION BY months_since), 0), 2) AS avg_revenue_retention_pct_at_k,
       COUNT(CASE WHEN NOT is_partial AND cohort_customers > 0 THEN 1 END) OVER (PARTITION BY months_since) AS cohorts_at_k
FROM filled
ORDER BY cohort, months_since
