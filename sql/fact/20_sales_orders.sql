-- fact.sales_orders: one row per sale order or credit note with lines, from fact.sales_lines.
-- orders counts sales only (is_sale): a credit note reduces revenue but is not an order.
-- cost_known: every line of it has a cost. shipping and payment_method come from the order.
DROP TABLE IF EXISTS fact.sales_orders;
CREATE UNLOGGED TABLE fact.sales_orders AS
SELECT l.order_id, l.order_kind = 'sale' AS is_sale, min(l.customer_id) AS customer_id, min(l.day) AS day,
       min(l.country) AS country, COUNT(*) AS lines, SUM(l.units) AS units,
       SUM(l.gross_revenue) AS gross_revenue, SUM(l.discount) AS discount, SUM(l.net_revenue) AS net_revenue,
       SUM(l.cost) AS cost, COUNT(l.cost) = COUNT(*) AS cost_known,
       SUM(l.net_revenue) FILTER (WHERE l.cost IS NOT NULL) AS net_revenue_with_cost,
       min(o.shipping_cost) AS shipping, min(o.payment_method) AS payment_method
FROM fact.sales_lines l
JOIN orders o ON o.order_id = l.order_id
GROUP BY l.order_id, l.order_kind;
ANALYZE fact.sales_orders;
