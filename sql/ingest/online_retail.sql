-- format: online_retail
-- header: InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
-- The UCI "Online Retail" export. Runs on the file's rows in the temporary table load (text
-- columns named like the header in snake_case, plus line_no, status, reason): it marks the rows
-- it rejects or sets aside (status, reason); every other row is loaded.
-- Mapping: an invoice is an order (a C invoice is a cancellation: status Cancelled, quantities
-- made positive); CustomerID 17850.0 is customer 17850; a stock code is a product (name = its most
-- frequent description, no category); there is no cost column, so unit_cost stays NULL and the
-- margin KPIs say cost is unknown. Orders in the file replace their earlier version (re-dropping
-- the same file changes nothing; a newer export updates the orders it holds).

-- rows that are wrong: the reason names the value
UPDATE load SET status = 'rejected', reason = x.reason
FROM (SELECT line_no, CASE
        WHEN coalesce(trim(invoice_no), '') = '' THEN 'missing InvoiceNo'
        WHEN coalesce(trim(stock_code), '') = '' THEN 'missing StockCode'
        WHEN NOT pg_input_is_valid(trim(quantity), 'integer') THEN format('Quantity %L is not a whole number', quantity)
        WHEN NOT pg_input_is_valid(trim(unit_price), 'numeric') THEN format('UnitPrice %L is not a number', unit_price)
        WHEN ingest.parse_timestamp(invoice_date) IS NULL THEN format('InvoiceDate %L is not a date (YYYY-MM-DD HH:MM:SS or M/D/YYYY H:MM)', invoice_date)
        WHEN coalesce(trim(customer_id), '') <> '' AND trim(customer_id) !~ '^\d+(\.0*)?$' THEN format('CustomerID %L is not a whole number', customer_id)
        WHEN CAST(trim(unit_price) AS numeric) < 0 THEN format('negative UnitPrice %s', unit_price)
      END AS reason FROM load) x
WHERE load.line_no = x.line_no AND x.reason IS NOT NULL;

-- rows that are not sales of a known customer: kept apart with the reason
UPDATE load SET status = 'set_aside', reason = x.reason
FROM (SELECT line_no, CASE
        WHEN coalesce(trim(customer_id), '') = '' THEN 'no CustomerID (guest or unknown customer)'
        WHEN upper(trim(invoice_no)) NOT LIKE 'C%' AND CAST(trim(quantity) AS integer) <= 0 THEN 'quantity <= 0 without a C invoice (stock adjustment or damage)'
        WHEN CAST(trim(unit_price) AS numeric) = 0 THEN 'zero UnitPrice (free item or adjustment)'
      END AS reason FROM load WHERE status IS NULL) x
WHERE load.line_no = x.line_no AND x.reason IS NOT NULL;

CREATE TEMPORARY TABLE good ON COMMIT DROP AS
SELECT line_no,
       upper(trim(invoice_no)) AS invoice,
       upper(trim(stock_code)) AS stock_code,
       trim(description) AS description,
       CAST(trim(quantity) AS integer) AS quantity,
       ingest.parse_timestamp(invoice_date) AS invoiced_at,
       CAST(trim(unit_price) AS numeric(12,2)) AS unit_price,
       CAST(CAST(trim(customer_id) AS numeric) AS bigint) AS customer_id,
       trim(country) AS country
FROM load WHERE status IS NULL;
ANALYZE good;

INSERT INTO ingest.key_map (source, entity, external_id)
SELECT DISTINCT 'online_retail', 'product', stock_code FROM good
ON CONFLICT DO NOTHING;
INSERT INTO ingest.key_map (source, entity, external_id)
SELECT DISTINCT 'online_retail', 'order', invoice FROM good
ON CONFLICT DO NOTHING;
-- fresh rows have no statistics yet: without them the joins below go quadratic
ANALYZE ingest.key_map;

INSERT INTO customers (customer_id, registration_date, country)
SELECT customer_id, CAST(min(invoiced_at) AS date), (array_agg(country ORDER BY invoiced_at DESC))[1]
FROM good GROUP BY customer_id
ON CONFLICT (customer_id) DO UPDATE
SET registration_date = least(customers.registration_date, EXCLUDED.registration_date), country = EXCLUDED.country;

INSERT INTO products (product_id, product_name, unit_price)
SELECT k.id, coalesce(mode() WITHIN GROUP (ORDER BY g.description), g.stock_code),
       CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY g.unit_price) AS numeric(12,2))
FROM good g JOIN ingest.key_map k ON k.source = 'online_retail' AND k.entity = 'product' AND k.external_id = g.stock_code
GROUP BY k.id, g.stock_code
ON CONFLICT (product_id) DO UPDATE SET product_name = EXCLUDED.product_name, unit_price = EXCLUDED.unit_price;

INSERT INTO orders (order_id, customer_id, order_date, order_status, shipping_cost, discount_amount)
SELECT k.id, min(g.customer_id), CAST(min(g.invoiced_at) AS date),
       CASE WHEN g.invoice LIKE 'C%' THEN 'Cancelled' ELSE 'Completed' END, 0, 0
FROM good g JOIN ingest.key_map k ON k.source = 'online_retail' AND k.entity = 'order' AND k.external_id = g.invoice
GROUP BY k.id, g.invoice
ON CONFLICT (order_id) DO UPDATE SET customer_id = EXCLUDED.customer_id, order_date = EXCLUDED.order_date, order_status = EXCLUDED.order_status;

DELETE FROM order_items WHERE order_id IN (
    SELECT k.id FROM ingest.key_map k WHERE k.source = 'online_retail' AND k.entity = 'order'
      AND k.external_id IN (SELECT invoice FROM good));

INSERT INTO order_items (order_item_id, order_id, product_id, quantity, unit_price, unit_cost)
SELECT (SELECT coalesce(max(order_item_id), 0) FROM order_items) + row_number() OVER (ORDER BY g.line_no),
       o.id, p.id, abs(g.quantity), g.unit_price, NULL
FROM good g
JOIN ingest.key_map o ON o.source = 'online_retail' AND o.entity = 'order' AND o.external_id = g.invoice
JOIN ingest.key_map p ON p.source = 'online_retail' AND p.entity = 'product' AND p.external_id = g.stock_code;

