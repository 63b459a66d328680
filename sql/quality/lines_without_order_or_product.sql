-- severity: error
-- check: order lines whose order or product does not exist (missing keys; ecombi's schema prevents
-- them with foreign keys, a database without them may not)
SELECT i.order_item_id, i.order_id, i.product_id,
       CASE WHEN o.order_id IS NULL THEN 'no such order' ELSE 'no such product' END AS problem
FROM order_items i
LEFT JOIN orders o ON o.order_id = i.order_id
LEFT JOIN products p ON p.product_id = i.product_id
WHERE o.order_id IS NULL OR p.product_id IS NULL
ORDER BY i.order_item_id
