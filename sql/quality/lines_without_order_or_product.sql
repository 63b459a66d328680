-- severity: error
-- check: order lines whose order or product does not exist (missing keys; ecombi's schema prevents
-- them with foreign keys, a database without them may not). While both validated foreign keys of
-- order_items exist the answer is known to be empty, and PostgreSQL skips the scan (one-time filter).
SELECT i.order_item_id, i.order_id, i.product_id,
       CASE WHEN o.order_id IS NULL THEN 'no such order' ELSE 'no such product' END AS problem
FROM order_items i
LEFT JOIN orders o ON o.order_id = i.order_id
LEFT JOIN products p ON p.product_id = i.product_id
WHERE (o.order_id IS NULL OR p.product_id IS NULL)
  AND (SELECT count(DISTINCT f.confrelid) FROM pg_constraint f
       WHERE f.conrelid = 'order_items'::regclass AND f.contype = 'f' AND f.convalidated
         AND f.confrelid IN ('orders'::regclass, 'products'::regclass)) < 2
ORDER BY i.order_item_id
