-- fact.daily_sales: one row per calendar day from the first sale to the as-of date, days without
-- sales included as zeros (a shop closed on Saturdays shows Saturday = 0, which a forecast must see).
-- orders = sale orders; gross_revenue and discount = of the sale orders; credit_note_revenue = the
-- credit notes' net revenue (negative); net_revenue = gross_revenue - discount + credit_note_revenue;
-- anonymous_net_revenue = sales without a known customer; cost and net_revenue_with_cost = over
-- lines with a cost.
DROP TABLE IF EXISTS fact.daily_sales;
CREATE UNLOGGED TABLE fact.daily_sales AS
WITH per_day AS (
    SELECT day, COUNT(*) FILTER (WHERE is_sale) AS orders,
           COUNT(DISTINCT customer_id) FILTER (WHERE is_sale) AS customers,
           SUM(units) AS units,
           SUM(gross_revenue) FILTER (WHERE is_sale) AS gross_revenue,
           SUM(discount) FILTER (WHERE is_sale) AS discount,
           SUM(net_revenue) AS net_revenue,
           SUM(net_revenue) FILTER (WHERE NOT is_sale) AS credit_note_revenue,
           SUM(net_revenue) FILTER (WHERE customer_id IS NULL) AS anonymous_net_revenue,
           SUM(cost) AS cost, SUM(net_revenue_with_cost) AS net_revenue_with_cost
    FROM fact.sales_orders
    GROUP BY day
),
days AS (
    SELECT CAST(d AS date) AS day
    FROM fact.params x, generate_series((SELECT min(day) FROM per_day), x.as_of, interval '1 day') AS d
)
SELECT d.day, CAST(extract(isodow FROM d.day) AS integer) AS iso_weekday,
       COALESCE(p.orders, 0) AS orders, COALESCE(p.customers, 0) AS customers, COALESCE(p.units, 0) AS units,
       COALESCE(p.gross_revenue, 0) AS gross_revenue, COALESCE(p.discount, 0) AS discount,
       COALESCE(p.net_revenue, 0) AS net_revenue, COALESCE(p.credit_note_revenue, 0) AS credit_note_revenue,
       COALESCE(p.anonymous_net_revenue, 0) AS anonymous_net_revenue,
       p.cost, COALESCE(p.net_revenue_with_cost, 0) AS net_revenue_with_cost
FROM days d LEFT JOIN per_day p ON p.day = d.day;
ANALYZE fact.daily_sales;
