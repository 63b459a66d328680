-- fact.sales_orders: one row per sale order or credit note with lines, from fact.sales_lines.
-- is_sale: a sale order (counted as an order); a credit note reduces revenue but is not an order.
-- gross_revenue, discount, net_revenue, cost: the sums of its lines (credit notes negative);
-- net_revenue_with_cost: net revenue of its lines that have a cost; product_net_revenue: of its
-- product lines (not of an order-level discount line); cost_known: every product line has a cost.
-- country, region, state: the order's (its lines share them). shipping and payment_method come from the order.
DROP TABLE IF EXISTS fact.sales_orders;
CREATE UNLOGGED TABLE fact.sales_orders AS
SELECT l.order_id, l.order_kind = 'sale' AS is_sale, min(l.customer_id) AS customer_id, min(l.day) AS day,
       min(l.country) AS country, min(l.region) AS region, min(l.state) AS state, COUNT(l.product_id) AS lines, SUM(l.units) AS units,
       SUM(l.gross_revenue) AS gross_revenue, SUM(l.discount) AS discount, SUM(l.net_revenue) AS net_revenue,
       SUM(l.cost) AS cost,
       SUM(l.net_revenue) FILTER (WHERE l.cost IS NOT NULL) AS net_revenue_with_cost,
       SUM(l.net_revenue) FILTER (WHERE l.product_id IS NOT NULL) AS product_net_revenue,
       COUNT(l.cost) = COUNT(l.product_id) AS cost_known,
       min(o.shipping_cost) AS shipping, min(o.payment_method) AS payment_method
FROM fact.sales_lines l
JOIN orders o ON o.order_id = l.order_id
GROUP BY l.order_id, l.order_kind;
ANALYZE fact.sales_orders;
