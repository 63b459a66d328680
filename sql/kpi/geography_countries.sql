-- Geography: sales by country over the report's window, the trailing 12 months (as-of - 12
-- months, as-of]. Every sale counts, with or without a known customer (country = the order's own,
-- else the customer's, else 'Unknown'); credit notes subtracted. The ecombi.geography.top-countries
-- countries with the most net revenue are shown (default 10); the rest are folded into one row
-- 'Other (n countries)' (countries_folded = n) unless only one would be folded. customers = distinct
-- known customers; avg_order_value = net revenue / sale orders; shares of all net revenue / orders.
-- The shop tables have no region or state column: only countries are reported.
WITH per_country AS (
    SELECT country, SUM(net_revenue) AS net_revenue
    FROM fact.sales_orders
    WHERE day BETWEEN (SELECT window_start FROM fact.report_window) AND (SELECT window_end FROM fact.report_window)
    GROUP BY country
),
ranked AS (
    SELECT country, row_number() OVER (ORDER BY net_revenue DESC, country) AS rank, COUNT(*) OVER () AS countries
    FROM per_country
),
grouped AS (
    SELECT r.country,
           CASE WHEN r.countries > (SELECT geo_top_countries FROM fact.params) + 1 AND r.rank > (SELECT geo_top_countries FROM fact.params)
                THEN 'Other' ELSE r.country END AS area
    FROM ranked r
),
agg AS (
    SELECT g.area, COUNT(DISTINCT g.country) AS countries,
           COUNT(DISTINCT s.customer_id) FILTER (WHERE s.is_sale) AS customers,
           COUNT(*) FILTER (WHERE s.is_sale) AS orders,
           SUM(s.net_revenue) AS net_revenue
    FROM fact.sales_orders s
    JOIN grouped g ON g.country = s.country
    WHERE s.day BETWEEN (SELECT window_start FROM fact.report_window) AND (SELECT window_end FROM fact.report_window)
    GROUP BY g.area
)
SELECT CASE WHEN area = 'Other' THEN 'Other (' || countries || ' countries)' ELSE area END AS country,
       CASE WHEN area = 'Other' THEN countries ELSE 0 END AS countries_folded,
       customers, orders,
       ROUND(net_revenue, 2) AS net_revenue,
       ROUND(net_revenue / NULLIF(orders, 0), 2) AS avg_order_value,
       ROUND(100 * net_revenue / NULLIF(SUM(net_revenue) OVER (), 0), 2) AS revenue_share_pct,
       ROUND(100.0 * orders / NULLIF(SUM(orders) OVER (), 0), 2) AS order_share_pct
FROM agg
ORDER BY area = 'Other', net_revenue DESC, area
