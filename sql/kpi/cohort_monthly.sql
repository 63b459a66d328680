-- Monthly acquisition cohorts. Grain: one row per (cohort month, months since acquisition) that
-- the cohort has lived through; population and cells as defined in sql/fact/70_cohorts.sql
-- (the last ecombi.cohort.months calendar months up to the as-of month).
-- customer_retention_pct = active / cohort customers (month 0 = 100 % by construction);
-- revenue_retention_pct = the cohort's net revenue in that month / its net revenue in month 0.
-- avg_*_at_k: the average curve, over the cohorts whose month k is complete, weighted by cohort
-- size (customers) and by month-0 revenue (revenue).
SELECT cohort AS cohort_month, cohort_customers, periods_since AS months_since, period AS calendar_month, is_partial,
       active_customers,
       ROUND(100.0 * active_customers / NULLIF(cohort_customers, 0), 2) AS customer_retention_pct,
       ROUND(net_revenue, 2) AS net_revenue,
       ROUND(100 * net_revenue / NULLIF(period0_revenue, 0), 2) AS revenue_retention_pct,
       ROUND(100.0 * SUM(CASE WHEN NOT is_partial THEN active_customers END) OVER (PARTITION BY periods_since)
                   / NULLIF(SUM(CASE WHEN NOT is_partial THEN cohort_customers END) OVER (PARTITION BY periods_since), 0), 2) AS avg_customer_retention_pct_at_k,
       ROUND(100 * SUM(CASE WHEN NOT is_partial THEN net_revenue END) OVER (PARTITION BY periods_since)
                 / NULLIF(SUM(CASE WHEN NOT is_partial THEN period0_revenue END) OVER (PARTITION BY periods_since), 0), 2) AS avg_revenue_retention_pct_at_k,
       COUNT(CASE WHEN NOT is_partial AND cohort_customers > 0 THEN 1 END) OVER (PARTITION BY periods_since) AS cohorts_at_k
FROM fact.cohort_cells('month')
ORDER BY cohort, periods_since
