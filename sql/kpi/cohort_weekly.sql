-- Weekly acquisition cohorts, for shops with short buying cycles. Grain: one row per (cohort week,
-- weeks since acquisition) the cohort has lived through; population and cells as defined in
-- sql/fact/70_cohorts.sql (ISO weeks; the last ecombi.cohort.weeks weeks up to the as-of week).
-- customer_retention_pct = active / cohort customers (week 0 = 100 %); revenue_retention_pct = the
-- cohort's net revenue that week / week 0's.
SELECT cohort AS cohort_week, cohort_customers, periods_since AS weeks_since, period AS calendar_week, is_partial,
       active_customers,
       ROUND(100.0 * active_customers / NULLIF(cohort_customers, 0), 2) AS customer_retention_pct,
       ROUND(net_revenue, 2) AS net_revenue,
       ROUND(100 * net_revenue / NULLIF(period0_revenue, 0), 2) AS revenue_retention_pct
FROM fact.cohort_cells('week')
ORDER BY cohort, periods_since
