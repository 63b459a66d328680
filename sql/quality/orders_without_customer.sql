-- severity: error
-- check: orders whose customer id is given but does not exist (missing keys); a sale without a customer (NULL) is allowed
SELECT o.order_id, o.customer_id, o.order_date
FROM orders o
WHERE o.customer_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.customer_id = o.customer_id)
ORDER BY o.order_id
