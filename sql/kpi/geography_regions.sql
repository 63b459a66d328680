-- Geography below the country: sales by region and by state over the report's window, the
-- trailing 12 months (as-of - 12 months, as-of]. Grain: one row per (level, area); level 'region'
-- (Superstore's Region) and 'state' (Superstore's State, Olist's customer_state), each with its own
-- shares. A level appears only when some sale of the window has a value for it: a source without
-- regions or states (UCI, the demo shop: country only) gives no rows, and the dashboard says so.
-- Location = the order's own, else the customer's (sql/fact/10_sales_lines.sql); sales without
-- one are 'Unknown' (shown last, never folded: it is missing data, not a place). Every sale counts,
-- with or without a known customer; credit notes subtracted. The ecombi.geography.top-regions places
-- of each level with the most net revenue are shown (default 10); the rest fold into
-- 'Other (n regions)' / 'Other (n states)' (areas_folded = n) unless only one would be folded. customers = distinct known customers; avg_order_value = net revenue / sale
-- orders; revenue_share_pct / order_share_pct = of the level's net revenue / sale orders.
WITH window_orders AS (
    SELECT s.*
    FROM fact.sales_orders s
    WHERE s.day BETWEEN (SELECT window_start FROM fact.report_window) AND (SELECT window_end FROM fact.report_window)
),
levels AS (   -- the levels the window's data has
    SELECT bool_or(region IS NOT NULL) AS has_region, bool_or(state IS NOT NULL) AS has_state FROM window_orders
),
located AS (   -- each order once per level the data has
    SELECT v.level, COALESCE(v.area, 'Unknown') AS area, o.customer_id, o.is_sale, o.net_revenue
    FROM window_orders o
    CROSS JOIN levels x
    CROSS JOIN LATERAL (VALUES ('region', o.region, x.has_region), ('state', o.state, x.has_state)) AS v (level, area, present)
    WHERE v.present
),
per_area AS (
    SELECT level, area, SUM(net_revenue) AS net_revenue FROM located GROUP BY level, area
),
ranked AS (   -- places only: 'Unknown' is missing data, never ranked or folded
    SELECT level, area, row_number() OVER (PARTITION BY level ORDER BY net_revenue DESC, area) AS rank,
           COUNT(*) OVER (PARTITION BY level) AS areas
    FROM per_area WHERE area <> 'Unknown'
),
grouped AS (
    SELECT level, area,
           CASE WHEN areas > (SELECT geo_top_regions FROM fact.params) + 1 AND rank > (SELECT geo_top_regions FROM fact.params)
                THEN 'Other' ELSE area END AS shown
    FROM ranked
    UNION ALL
    SELECT level, area, area FROM per_area WHERE area = 'Unknown'
),
agg AS (
    SELECT g.level, g.shown, COUNT(DISTINCT g.area) AS areas,
           COUNT(DISTINCT l.customer_id) FILTER (WHERE l.is_sale) AS customers,
           COUNT(*) FILTER (WHERE l.is_sale) AS orders,
           SUM(l.net_revenue) AS net_revenue
    FROM located l
    JOIN grouped g ON g.level = l.level AND g.area = l.area
    GROUP BY g.level, g.shown
)
SELECT level,
       CASE WHEN shown = 'Other' THEN 'Other (' || areas || CASE WHEN level = 'region' THEN ' regions)' ELSE ' states)' END
            ELSE shown END AS area,
       CASE WHEN shown = 'Other' THEN areas ELSE 0 END AS areas_folded,
       customers, orders,
       ROUND(net_revenue, 2) AS net_revenue,
       ROUND(net_revenue / NULLIF(orders, 0), 2) AS avg_order_value,
       ROUND(100 * net_revenue / NULLIF(SUM(net_revenue) OVER (PARTITION BY level), 0), 2) AS revenue_share_pct,
       ROUND(100.0 * orders / NULLIF(SUM(orders) OVER (PARTITION BY level), 0), 2) AS order_share_pct
FROM agg
ORDER BY level = 'state', shown = 'Unknown', shown = 'Other', net_revenue DESC, shown
