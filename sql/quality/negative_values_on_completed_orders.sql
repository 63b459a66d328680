-- severity: error
-- check: lines of completed orders with a quantity below 1 or a negative price or cost
SELECT i.order_item_id, i.order_id, i.quantity, i.unit_price, i.unit_cost
FROM order_items i
JOIN orders o ON o.order_id = i.order_id
WHERE o.order_status = 'Completed' AND (i.quantity < 1 OR i.unit_price < 0 OR i.unit_cost < 0)
ORDER BY i.order_item_id
