-- Drivers of change: each member's contribution to the change of a headline figure between two
-- periods, for every dimension the data has. Grain: one row per metric, dimension and member, the
-- members after the drivers_top largest contributions (fact.params) folded into one row 'other'.
-- Periods (both ends included, bound per move): :#periodStart to :#periodEnd against
-- :#compareStart to :#compareEnd. Population: fact.sales_lines (every completed sale, credit notes
-- subtracted), so the totals are those of period_comparisons and kpi_cards.
-- Metrics (each member's value in a period; the value of the whole shop is the sum over members):
--   net_revenue       the member's net revenue;
--   orders            the member's sale orders: order-level dimensions only (an order's lines can
--                     be of several categories or products, so orders do not add up over those);
--   avg_order_value   the member's net revenue / all sale orders of the period (so the members add
--                     up to the period's AOV and their changes to its change);
--   gross_margin_pct  100 x the member's gross profit / all net revenue with a cost in the period,
--                     in points; over the lines that have a cost, as kpi_cards; only when both
--                     periods have costs.
-- Dimensions: category, product, country, region, state, customer_type (new: first sale order in
-- the period the line belongs to; returning; no customer), rfm_segment (the customer's segment in
-- this run, bi.rfm_customers), payment_method; region, state and payment_method only when some line
-- of the two periods has one.
-- Rounding: value and compare_value are rounded as differences of rounded running sums (in rank
-- order), so a dimension's values add up exactly to the rounded period total and its contributions
-- (value - compare_value) exactly to the published change: money and orders to the cent or unit,
-- margin points to 4 places. share_pct = contribution / change; base_share_pct = the member's share
-- of the comparison period's value. explains: the member alone accounts for the move, i.e. its
-- share of the change is at least drivers_explain_share_pct and exceeds its base share by at least
-- drivers_explain_excess_pts (it moved more than its size alone would make it), and its dimension's
-- contributions, taken without their sign, add up to at most drivers_max_offset times the change (else
-- the change is the small rest of larger moves that offset each other); 'other' never does.
-- main: the move's main driver, the member that explains it with the largest contribution (first
-- dimension on a tie); no row is main when none explains it: the change is spread evenly.
WITH p AS (
    SELECT CAST(:#periodStart AS date) AS ps, CAST(:#periodEnd AS date) AS pe,
           CAST(:#compareStart AS date) AS cs, CAST(:#compareEnd AS date) AS ce,
           (SELECT drivers_top FROM fact.params) AS top
),
lines AS (
    SELECT (l.day BETWEEN p.ps AND p.pe) AS cur, l.order_id, l.order_kind = 'sale' AS is_sale, l.net_revenue,
           CASE WHEN l.cost IS NOT NULL THEN l.net_revenue END AS revenue_with_cost,
           CASE WHEN l.cost IS NOT NULL THEN l.net_revenue - l.cost END AS profit,
           l.category, l.product_id, pr.product_name, l.country, l.region, l.state, o.payment_method,
           CASE WHEN l.customer_id IS NULL THEN 'no customer'
                WHEN cs.first_order >= CASE WHEN l.day BETWEEN p.ps AND p.pe THEN p.ps ELSE p.cs END THEN 'new'
                ELSE 'returning' END AS customer_type,
           CASE WHEN l.customer_id IS NULL THEN '(no customer)' ELSE COALESCE(r.segment, '(not scored)') END AS rfm_segment
    FROM fact.sales_lines l
    CROSS JOIN p
    JOIN orders o ON o.order_id = l.order_id
    LEFT JOIN products pr ON pr.product_id = l.product_id
    LEFT JOIN fact.customer_sales cs ON cs.customer_id = l.customer_id
    LEFT JOIN bi.rfm_customers r ON r.run_id = (SELECT run_id FROM fact.params) AND r.customer_id = l.customer_id
    WHERE l.day BETWEEN p.ps AND p.pe OR l.day BETWEEN p.cs AND p.ce
),
totals AS (
    SELECT COALESCE(SUM(net_revenue) FILTER (WHERE cur), 0) AS r1, COALESCE(SUM(net_revenue) FILTER (WHERE NOT cur), 0) AS r0,
           COUNT(DISTINCT order_id) FILTER (WHERE cur AND is_sale) AS n1, COUNT(DISTINCT order_id) FILTER (WHERE NOT cur AND is_sale) AS n0,
           SUM(revenue_with_cost) FILTER (WHERE cur) AS rc1, SUM(revenue_with_cost) FILTER (WHERE NOT cur) AS rc0,
           SUM(profit) FILTER (WHERE cur) AS p1, SUM(profit) FILTER (WHERE NOT cur) AS p0,
           bool_or(region IS NOT NULL) AS has_region, bool_or(state IS NOT NULL) AS has_state,
           bool_or(payment_method IS NOT NULL) AS has_payment
    FROM lines
),
members AS (
    SELECT d.dimension_sort, d.dimension, d.order_level, d.member_key, min(d.member) AS member,
           COALESCE(SUM(l.net_revenue) FILTER (WHERE l.cur), 0) AS r1, COALESCE(SUM(l.net_revenue) FILTER (WHERE NOT l.cur), 0) AS r0,
           COUNT(DISTINCT l.order_id) FILTER (WHERE l.cur AND l.is_sale) AS n1,
           COUNT(DISTINCT l.order_id) FILTER (WHERE NOT l.cur AND l.is_sale) AS n0,
           COALESCE(SUM(l.profit) FILTER (WHERE l.cur), 0) AS p1, COALESCE(SUM(l.profit) FILTER (WHERE NOT l.cur), 0) AS p0
    FROM lines l
    CROSS JOIN LATERAL (VALUES
        (1, 'category', false, l.category, l.category),
        (2, 'product', false, COALESCE(CAST(l.product_id AS text), '(no product)'), COALESCE(l.product_name, '(order discount, no product)')),
        (3, 'country', true, l.country, l.country),
        (4, 'region', true, COALESCE(l.region, '(none)'), COALESCE(l.region, '(none)')),
        (5, 'state', true, COALESCE(l.state, '(none)'), COALESCE(l.state, '(none)')),
        (6, 'customer_type', true, l.customer_type, l.customer_type),
        (7, 'rfm_segment', true, l.rfm_segment, l.rfm_segment),
        (8, 'payment_method', true, COALESCE(l.payment_method, '(none)'), COALESCE(l.payment_method, '(none)'))
    ) AS d(dimension_sort, dimension, order_level, member_key, member)
    CROSS JOIN totals t
    WHERE (d.dimension <> 'region' OR t.has_region) AND (d.dimension <> 'state' OR t.has_state)
      AND (d.dimension <> 'payment_method' OR t.has_payment)
    GROUP BY d.dimension_sort, d.dimension, d.order_level, d.member_key
),
-- each metric's value per member in the two periods, unrounded; places = how its figures are rounded
metric_values AS (
    SELECT 1 AS metric_sort, 'net_revenue' AS metric, 2 AS places, m.dimension_sort, m.dimension, m.member, m.r1 AS v1, m.r0 AS v0, t.r0 AS total0
    FROM members m CROSS JOIN totals t
    UNION ALL
    SELECT 2, 'orders', 0, m.dimension_sort, m.dimension, m.member, m.n1, m.n0, t.n0
    FROM members m CROSS JOIN totals t WHERE m.order_level
    UNION ALL
    SELECT 3, 'avg_order_value', 2, m.dimension_sort, m.dimension, m.member, m.r1 / t.n1, m.r0 / t.n0, t.r0 / t.n0
    FROM members m CROSS JOIN totals t WHERE t.n1 > 0 AND t.n0 > 0
    UNION ALL
    SELECT 4, 'gross_margin_pct', 4, m.dimension_sort, m.dimension, m.member, 100 * m.p1 / t.rc1, 100 * m.p0 / t.rc0, 100 * t.p0 / t.rc0
    FROM members m CROSS JOIN totals t WHERE t.rc1 <> 0 AND t.rc0 <> 0
),
ranked AS (
    SELECT v.*, row_number() OVER (PARTITION BY metric, dimension ORDER BY abs(v1 - v0) DESC, member) AS r,
           count(*) OVER (PARTITION BY metric, dimension) AS n_members
    FROM metric_values v
),
folded AS (
    SELECT metric_sort, metric, places, dimension_sort, dimension, CASE WHEN r <= top THEN r ELSE top + 1 END AS rank,
           CASE WHEN r <= top THEN min(member) ELSE 'other' END AS member, COUNT(*) AS members,
           SUM(v1) AS v1, SUM(v0) AS v0, min(total0) AS total0
    FROM ranked CROSS JOIN (SELECT top FROM p) k
    GROUP BY metric_sort, metric, places, dimension_sort, dimension, CASE WHEN r <= top THEN r ELSE top + 1 END, r <= top
),
rounded AS (
    SELECT f.*,
           ROUND(SUM(v1) OVER w, places) - COALESCE(ROUND(SUM(v1) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), places), 0) AS value,
           ROUND(SUM(v0) OVER w, places) - COALESCE(ROUND(SUM(v0) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), places), 0) AS compare_value,
           ROUND(SUM(v1) OVER d, places) - ROUND(SUM(v0) OVER d, places) AS change
    FROM folded f
    WINDOW d AS (PARTITION BY metric, dimension), w AS (d ORDER BY rank)
)
SELECT metric, dimension, rank, member, members, value, compare_value, contribution, change, share_pct, base_share_pct, explains,
       explains AND row_number() OVER (PARTITION BY metric, explains ORDER BY abs(contribution) DESC, dimension_sort) = 1 AS main
FROM (
SELECT metric_sort, dimension_sort, metric, dimension, rank, member, members, value, compare_value, contribution, change, share_pct, base_share_pct,
       COALESCE(member <> 'other' AND share_pct >= (SELECT drivers_explain_share_pct FROM fact.params)
                AND share_pct - COALESCE(base_share_pct, 0) >= (SELECT drivers_explain_excess_pts FROM fact.params)
                AND SUM(abs(contribution)) OVER (PARTITION BY metric, dimension) <= (SELECT drivers_max_offset FROM fact.params) * abs(change), false) AS explains
FROM (
    SELECT metric_sort, dimension_sort, metric, dimension, rank, member, members, value, compare_value,
           value - compare_value AS contribution, change,
           ROUND(100 * (value - compare_value) / NULLIF(change, 0), 1) AS share_pct,
           ROUND(100 * v0 / NULLIF(total0, 0), 1) AS base_share_pct
    FROM rounded
) x
) y
ORDER BY metric_sort, dimension_sort, rank
