-- severity: warn
-- check: orders that have no order lines (they count as orders nowhere: the KPIs join the lines)
SELECT o.order_id, o.customer_id, o.order_date, o.order_status
FROM orders o
WHERE NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.order_id)
ORDER BY o.order_id
