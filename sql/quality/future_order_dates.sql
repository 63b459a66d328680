-- severity: error
-- check: orders dated after today (clock or import errors)
SELECT order_id, customer_id, order_date
FROM orders
WHERE order_date > CURRENT_DATE
ORDER BY order_date DESC, order_id
