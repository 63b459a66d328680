-- severity: error
-- check: orders whose customer does not exist (missing keys)
SELECT o.order_id, o.customer_id, o.order_date
FROM orders o
WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.customer_id = o.customer_id)
ORDER BY o.order_id
