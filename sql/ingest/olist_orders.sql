-- format: olist_orders
-- header: order_id,customer_id,order_status,order_purchase_timestamp
-- currency: BRL
-- source: olist
-- Olist orders: the customer is the person behind Olist's per-order customer_id (load the
-- customers file first: the inbox loads customers, products, orders, items in that order);
-- canceled and unavailable orders are Cancelled, every other status (delivered, shipped,
-- invoiced, ...) Completed; the order date is the purchase date, and a purchase after the load
-- date is rejected; every order ships to Brazil (ship_country). An order_id given twice: the
-- later line wins, the earlier is set aside naming it.
-- Reconciliation: orders loaded and orders per order_status, from the file's rows and from the
-- shop tables (ingest.key_map.last_file_id = this file).
UPDATE load SET status = 'rejected', reason = x.reason
FROM (SELECT l.line_no, CASE
        WHEN coalesce(trim(l.order_id), '') = '' THEN 'missing order_id'
        WHEN ingest.parse_timestamp(l.order_purchase_timestamp) IS NULL THEN format('order_purchase_timestamp %L is not a date', l.order_purchase_timestamp)
        WHEN CAST(ingest.parse_timestamp(l.order_purchase_timestamp) AS date) > CURRENT_DATE
            THEN format('order_purchase_timestamp %s is after the load date %s (order_id %s)', trim(l.order_purchase_timestamp), CURRENT_DATE, l.order_id)
        WHEN NOT EXISTS (SELECT 1 FROM ingest.key_map k WHERE k.source = 'olist' AND k.entity = 'customer_id' AND k.external_id = trim(l.customer_id))
            THEN format('unknown customer_id %s (not in a loaded Olist customers file)', l.customer_id)
      END AS reason FROM load l) x
WHERE load.line_no = x.line_no AND x.reason IS NOT NULL;

UPDATE load SET status = 'set_aside', reason = format('order_id %s appears again on line %s, which is loaded', trim(load.order_id), x.last_line)
FROM (SELECT line_no, max(line_no) OVER (PARTITION BY trim(order_id)) AS last_line FROM load WHERE status IS NULL) x
WHERE load.line_no = x.line_no AND x.last_line > x.line_no;

-- inserted or, when it exists, taken over by this file in one upsert (through the primary key,
-- whatever key_map's statistics say; issue 30)
INSERT INTO ingest.key_map (source, entity, external_id, last_file_id)
SELECT DISTINCT 'olist', 'order', trim(order_id), CAST(current_setting('ecombi.file_id') AS bigint) FROM load WHERE status IS NULL
ON CONFLICT (source, entity, external_id) DO UPDATE SET last_file_id = EXCLUDED.last_file_id;
SELECT ingest.analyze_when_stale('ingest.key_map');

INSERT INTO orders (order_id, customer_id, order_date, order_status, order_kind, ship_country, shipping_cost, discount_amount)
SELECT DISTINCT ON (o.id) o.id, c.id, CAST(ingest.parse_timestamp(l.order_purchase_timestamp) AS date),
       CASE WHEN trim(l.order_status) IN ('canceled', 'unavailable') THEN 'Cancelled' ELSE 'Completed' END, 'sale', 'Brazil', 0, 0
FROM load l
JOIN ingest.key_map o ON o.source = 'olist' AND o.entity = 'order' AND o.external_id = trim(l.order_id)
JOIN ingest.key_map c ON c.source = 'olist' AND c.entity = 'customer_id' AND c.external_id = trim(l.customer_id)
WHERE l.status IS NULL
ORDER BY o.id, l.line_no DESC
ON CONFLICT (order_id) DO UPDATE SET customer_id = EXCLUDED.customer_id, order_date = EXCLUDED.order_date, order_status = EXCLUDED.order_status,
    ship_country = EXCLUDED.ship_country;

-- a customer registered no later than their first order
UPDATE customers c SET registration_date = f.first_order
FROM (SELECT customer_id, min(order_date) AS first_order FROM orders GROUP BY customer_id) f
WHERE f.customer_id = c.customer_id AND f.first_order < c.registration_date;


UPDATE ingest.files SET source_totals = (
    SELECT jsonb_build_object('orders', count(*), 'by_status', (SELECT coalesce(jsonb_object_agg(st, n), '{}') FROM (
               SELECT CASE WHEN trim(order_status) IN ('canceled', 'unavailable') THEN 'Cancelled' ELSE 'Completed' END AS st, count(*) AS n
               FROM load WHERE status IS NULL GROUP BY 1) x))
    FROM load WHERE status IS NULL)
WHERE file_id = CAST(current_setting('ecombi.file_id') AS bigint);

-- statistics of what this file just wrote, in this transaction: the plan of the UPDATE below must not rest on
-- what a crash left (after a killed load autovacuum had left the shop tables at 0 rows on pages of dead ones,
-- and the UPDATE, planned for empty tables, ran minutes instead of a second; issue 31)
SELECT ingest.analyze_when_stale('orders');

UPDATE ingest.files SET loaded_totals = (
    SELECT jsonb_build_object('orders', count(*), 'by_status', (SELECT coalesce(jsonb_object_agg(order_status, n), '{}') FROM (
               SELECT o.order_status, count(*) AS n FROM ingest.key_map k JOIN orders o ON o.order_id = k.id
               WHERE k.source = 'olist' AND k.entity = 'order' AND k.last_file_id = CAST(current_setting('ecombi.file_id') AS bigint) GROUP BY 1) x))
    FROM ingest.key_map k JOIN orders o ON o.order_id = k.id
    WHERE k.source = 'olist' AND k.entity = 'order' AND k.last_file_id = CAST(current_setting('ecombi.file_id') AS bigint))
WHERE file_id = CAST(current_setting('ecombi.file_id') AS bigint);
