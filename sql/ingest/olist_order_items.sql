-- format: olist_order_items
-- header: order_id,order_item_id,product_id,seller_id,price,freight_value
-- Olist order lines: one unit each at its price; no cost in the data (margins say so); the
-- freight of an order's lines is its shipping cost. A line whose order or product is not loaded
-- yet is rejected with the reason. The orders in the file get exactly these lines.
UPDATE load SET status = 'rejected', reason = x.reason
FROM (SELECT l.line_no, CASE
        WHEN NOT pg_input_is_valid(trim(l.price), 'numeric') THEN format('price %L is not a number', l.price)
        WHEN CAST(trim(l.price) AS numeric) < 0 THEN format('negative price %s', l.price)
        WHEN coalesce(trim(l.freight_value), '') <> '' AND NOT pg_input_is_valid(trim(l.freight_value), 'numeric') THEN format('freight_value %L is not a number', l.freight_value)
        WHEN NOT EXISTS (SELECT 1 FROM ingest.key_map k WHERE k.source = 'olist' AND k.entity = 'order' AND k.external_id = trim(l.order_id))
            THEN format('unknown order_id %s (not in a loaded Olist orders file)', l.order_id)
        WHEN NOT EXISTS (SELECT 1 FROM ingest.key_map k WHERE k.source = 'olist' AND k.entity = 'product' AND k.external_id = trim(l.product_id))
            THEN format('unknown product_id %s (not in a loaded Olist products file)', l.product_id)
      END AS reason FROM load l) x
WHERE load.line_no = x.line_no AND x.reason IS NOT NULL;

CREATE TEMPORARY TABLE good ON COMMIT DROP AS
SELECT l.line_no, o.id AS order_id, p.id AS product_id, CAST(trim(l.price) AS numeric(12,2)) AS price,
       CAST(coalesce(nullif(trim(l.freight_value), ''), '0') AS numeric(12,2)) AS freight
FROM load l
JOIN ingest.key_map o ON o.source = 'olist' AND o.entity = 'order' AND o.external_id = trim(l.order_id)
JOIN ingest.key_map p ON p.source = 'olist' AND p.entity = 'product' AND p.external_id = trim(l.product_id)
WHERE l.status IS NULL;
ANALYZE good;

DELETE FROM order_items WHERE order_id IN (SELECT order_id FROM good);

INSERT INTO order_items (order_item_id, order_id, product_id, quantity, unit_price, unit_cost)
SELECT (SELECT coalesce(max(order_item_id), 0) FROM order_items) + row_number() OVER (ORDER BY line_no), order_id, product_id, 1, price, NULL
FROM good;

UPDATE orders o SET shipping_cost = f.freight
FROM (SELECT order_id, sum(freight) AS freight FROM good GROUP BY order_id) f
WHERE f.order_id = o.order_id;

