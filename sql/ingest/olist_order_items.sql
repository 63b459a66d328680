-- format: olist_order_items
-- header: order_id,order_item_id,product_id,seller_id,price,freight_value
-- currency: BRL
-- source: olist
-- Olist order lines: one unit each at its price (kept exact); no cost in the data (margins say
-- so); the freight of an order's lines is its shipping_cost (not revenue). A line whose order or
-- product is not loaded yet is rejected with the reason. The orders in the file get exactly
-- these lines; an order with a rejected line keeps its earlier lines (none of its lines in this
-- file are loaded, and they say so). Exact duplicates (every column the same as an earlier line)
-- are set aside naming the first line.
-- Reconciliation: Σ price, Σ freight_value and lines of the loaded rows (source_totals) against
-- the shop tables for the orders this file loaded (loaded_totals).
CREATE TEMPORARY TABLE staged ON COMMIT DROP AS
WITH checked AS (
    SELECT l.line_no, trim(l.order_id) AS order_key, trim(l.product_id) AS product_key, l.price, l.freight_value,
           min(l.line_no) OVER (PARTITION BY to_jsonb(l) - 'line_no' - 'status' - 'reason') AS first_line,
           CASE
            WHEN coalesce(trim(l.order_id), '') = '' THEN 'missing order_id'
            WHEN ingest.decimal_problem(l.price) IS NOT NULL THEN format('price %L %s (order_id %s, order_item_id %s)', l.price, ingest.decimal_problem(l.price), l.order_id, l.order_item_id)
            WHEN CAST(trim(l.price) AS numeric) < 0 THEN format('negative price %s (order_id %s, order_item_id %s)', l.price, l.order_id, l.order_item_id)
            WHEN coalesce(trim(l.freight_value), '') <> '' AND ingest.decimal_problem(l.freight_value) IS NOT NULL
                THEN format('freight_value %L %s (order_id %s, order_item_id %s)', l.freight_value, ingest.decimal_problem(l.freight_value), l.order_id, l.order_item_id)
            WHEN o.id IS NULL THEN format('unknown order_id %s (not in a loaded Olist orders file)', l.order_id)
            WHEN p.id IS NULL THEN format('unknown product_id %s (not in a loaded Olist products file; order_id %s)', l.product_id, l.order_id)
           END AS problem,
           o.id AS order_id, p.id AS product_id
    FROM load l
    LEFT JOIN ingest.key_map o ON o.source = 'olist' AND o.entity = 'order' AND o.external_id = trim(l.order_id)
    LEFT JOIN ingest.key_map p ON p.source = 'olist' AND p.entity = 'product' AND p.external_id = trim(l.product_id)
)
SELECT c.*,
       CASE WHEN c.problem IS NULL THEN CAST(trim(c.price) AS numeric) END AS price_value,
       CASE WHEN c.problem IS NULL THEN CAST(coalesce(nullif(trim(c.freight_value), ''), '0') AS numeric) END AS freight,
       CASE WHEN c.problem IS NOT NULL THEN 'rejected' WHEN c.first_line < c.line_no THEN 'duplicate' ELSE 'line' END AS kind,
       min(c.line_no) FILTER (WHERE c.problem IS NOT NULL) OVER (PARTITION BY c.order_key) AS first_rejected_line
FROM checked c;
ANALYZE staged;

UPDATE load SET status = x.status, reason = x.reason
FROM (SELECT s.line_no, CASE WHEN s.kind = 'duplicate' THEN 'set_aside' ELSE 'rejected' END AS status,
        CASE s.kind
            WHEN 'rejected' THEN s.problem
            WHEN 'duplicate' THEN format('exact duplicate of line %s (every column the same)', s.first_line)
            ELSE format('order_id %s is not loaded because line %s of the same order is rejected', s.order_key, s.first_rejected_line)
        END
        || CASE WHEN s.kind = 'duplicate' OR s.order_id IS NULL THEN ''
                WHEN EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = s.order_id) THEN format('; order %s keeps its earlier lines', s.order_key)
                ELSE format('; order %s gets no lines from this file', s.order_key) END AS reason
      FROM staged s WHERE s.kind <> 'line' OR s.first_rejected_line IS NOT NULL) x
WHERE load.line_no = x.line_no;

CREATE TEMPORARY TABLE good ON COMMIT DROP AS
SELECT line_no, order_id, product_id, price_value AS price, freight
FROM staged WHERE kind = 'line' AND first_rejected_line IS NULL;
ANALYZE good;

-- fresh statistics of the shop tables, in this transaction, before the statements that plan on them: after a
-- killed load autovacuum had left orders and order_items at 0 rows on pages of dead ones, and this DELETE and
-- the loaded_totals UPDATE below, planned for empty tables, ran 80 s and 5 to 14 minutes instead of 1 s (issue 31)
SELECT ingest.analyze_when_stale('orders', 'order_items');

DELETE FROM order_items WHERE order_id IN (SELECT order_id FROM good);

INSERT INTO order_items (order_item_id, order_id, product_id, quantity, unit_price, unit_cost)
SELECT (SELECT coalesce(max(order_item_id), 0) FROM order_items) + row_number() OVER (ORDER BY line_no), order_id, product_id, 1, price, NULL
FROM good;

UPDATE orders o SET shipping_cost = f.freight
FROM (SELECT order_id, sum(freight) AS freight FROM good GROUP BY order_id) f
WHERE f.order_id = o.order_id;

UPDATE ingest.files SET source_totals = (
    SELECT jsonb_build_object(
        'price', coalesce(sum(price_value) FILTER (WHERE kind = 'line' AND first_rejected_line IS NULL), 0),
        'freight', coalesce(sum(freight) FILTER (WHERE kind = 'line' AND first_rejected_line IS NULL), 0),
        'lines', count(*) FILTER (WHERE kind = 'line' AND first_rejected_line IS NULL),
        'orders', count(DISTINCT order_key) FILTER (WHERE kind = 'line' AND first_rejected_line IS NULL))
    FROM staged)
WHERE file_id = CAST(current_setting('ecombi.file_id') AS bigint);

-- and again for the rows this file wrote: a shop that was empty before a killed load has pages of dead rows
-- and, analysed, a density of 0 rows per page, which this UPDATE would plan as empty however much was loaded
SELECT ingest.analyze_when_stale('orders', 'order_items');

UPDATE ingest.files SET loaded_totals = (
    SELECT jsonb_build_object(
        'price', coalesce((SELECT sum(i.quantity * i.unit_price) FROM order_items i WHERE i.order_id IN (SELECT order_id FROM good)), 0),
        'freight', coalesce((SELECT sum(o.shipping_cost) FROM orders o WHERE o.order_id IN (SELECT order_id FROM good)), 0),
        'lines', (SELECT count(*) FROM order_items i WHERE i.order_id IN (SELECT order_id FROM good)),
        'orders', (SELECT count(*) FROM orders o WHERE o.order_id IN (SELECT order_id FROM good))))
WHERE file_id = CAST(current_setting('ecombi.file_id') AS bigint);
