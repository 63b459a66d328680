-- format: olist_orders
-- header: order_id,customer_id,order_status,order_purchase_timestamp
-- Olist orders: the customer is the person behind Olist's per-order customer_id (load the
-- customers file first: the inbox loads customers, products, orders, items in that order);
-- canceled and unavailable orders are Cancelled, every other status (delivered, shipped,
-- invoiced, ...) Completed; the order date is the purchase date.
UPDATE load SET status = 'rejected', reason = x.reason
FROM (SELECT l.line_no, CASE
        WHEN coalesce(trim(l.order_id), '') = '' THEN 'missing order_id'
        WHEN ingest.parse_timestamp(l.order_purchase_timestamp) IS NULL THEN format('order_purchase_timestamp %L is not a date', l.order_purchase_timestamp)
        WHEN NOT EXISTS (SELECT 1 FROM ingest.key_map k WHERE k.source = 'olist' AND k.entity = 'customer_id' AND k.external_id = trim(l.customer_id))
            THEN format('unknown customer_id %s (not in a loaded Olist customers file)', l.customer_id)
      END AS reason FROM load l) x
WHERE load.line_no = x.line_no AND x.reason IS NOT NULL;

INSERT INTO ingest.key_map (source, entity, external_id)
SELECT DISTINCT 'olist', 'order', trim(order_id) FROM load WHERE status IS NULL
ON CONFLICT DO NOTHING;
ANALYZE ingest.key_map;

INSERT INTO orders (order_id, customer_id, order_date, order_status, shipping_cost, discount_amount)
SELECT DISTINCT ON (o.id) o.id, c.id, CAST(ingest.parse_timestamp(l.order_purchase_timestamp) AS date),
       CASE WHEN trim(l.order_status) IN ('canceled', 'unavailable') THEN 'Cancelled' ELSE 'Completed' END, 0, 0
FROM load l
JOIN ingest.key_map o ON o.source = 'olist' AND o.entity = 'order' AND o.external_id = trim(l.order_id)
JOIN ingest.key_map c ON c.source = 'olist' AND c.entity = 'customer_id' AND c.external_id = trim(l.customer_id)
WHERE l.status IS NULL
ORDER BY o.id, l.line_no DESC
ON CONFLICT (order_id) DO UPDATE SET customer_id = EXCLUDED.customer_id, order_date = EXCLUDED.order_date, order_status = EXCLUDED.order_status;

-- a customer registered no later than their first order
UPDATE customers c SET registration_date = f.first_order
FROM (SELECT customer_id, min(order_date) AS first_order FROM orders GROUP BY customer_id) f
WHERE f.customer_id = c.customer_id AND f.first_order < c.registration_date;

