-- fact.customer_sales: one row per known customer with a sale on or before the as-of date, all
-- history: sale orders, first and last sale, net revenue (credit notes subtracted), cost and profit
-- (profit NULL unless every line has a cost), and the customer's country and registration date.
DROP TABLE IF EXISTS fact.customer_sales;
CREATE UNLOGGED TABLE fact.customer_sales AS
SELECT s.customer_id, c.country, c.registration_date,
       COUNT(*) FILTER (WHERE s.is_sale) AS orders,
       min(s.day) FILTER (WHERE s.is_sale) AS first_order, max(s.day) FILTER (WHERE s.is_sale) AS last_order,
       SUM(s.gross_revenue) AS gross_revenue, SUM(s.discount) AS discount, SUM(s.net_revenue) AS net_revenue,
       SUM(s.cost) AS cost,
       CASE WHEN bool_and(s.cost_known) THEN SUM(s.net_revenue) - SUM(s.cost) END AS profit
FROM fact.sales_orders s
JOIN customers c ON c.customer_id = s.customer_id
GROUP BY s.customer_id, c.country, c.registration_date
HAVING COUNT(*) FILTER (WHERE s.is_sale) > 0;
ANALYZE fact.customer_sales;
