-- format: superstore
-- header: Order ID,Order Date,Customer ID,Customer Name,Segment,Country,Product ID,Category,Sub-Category,Product Name,Sales,Quantity,Discount,Profit
-- Superstore-style order lines (Tableau's sample and its kind): Sales is after the line's
-- Discount rate, so the list price is Sales / (1 - Discount) / Quantity and the order's discount is
-- the difference; cost = Sales - Profit. Every order is Completed. Orders in the file replace their
-- earlier version.

UPDATE load SET status = 'rejected', reason = x.reason
FROM (SELECT line_no, CASE
        WHEN coalesce(trim(order_id), '') = '' THEN 'missing Order ID'
        WHEN coalesce(trim(customer_id), '') = '' THEN 'missing Customer ID'
        WHEN coalesce(trim(product_id), '') = '' THEN 'missing Product ID'
        WHEN ingest.parse_timestamp(order_date) IS NULL THEN format('Order Date %L is not a date', order_date)
        WHEN NOT pg_input_is_valid(trim(sales), 'numeric') THEN format('Sales %L is not a number', sales)
        WHEN NOT pg_input_is_valid(trim(quantity), 'integer') THEN format('Quantity %L is not a whole number', quantity)
        WHEN NOT pg_input_is_valid(trim(discount), 'numeric') THEN format('Discount %L is not a number', discount)
        WHEN NOT pg_input_is_valid(trim(profit), 'numeric') THEN format('Profit %L is not a number', profit)
        WHEN CAST(trim(quantity) AS integer) <= 0 THEN format('Quantity %s is not positive', quantity)
        WHEN CAST(trim(sales) AS numeric) < 0 THEN format('negative Sales %s', sales)
        WHEN CAST(trim(discount) AS numeric) < 0 OR CAST(trim(discount) AS numeric) >= 1 THEN format('Discount %s is not a rate from 0 to below 1', discount)
      END AS reason FROM load) x
WHERE load.line_no = x.line_no AND x.reason IS NOT NULL;

CREATE TEMPORARY TABLE good ON COMMIT DROP AS
SELECT line_no, trim(order_id) AS order_key, CAST(ingest.parse_timestamp(order_date) AS date) AS order_date,
       trim(customer_id) AS customer_key, trim(customer_name) AS customer_name, trim(segment) AS segment, trim(country) AS country,
       trim(product_id) AS product_key, trim(category) AS category, trim(sub_category) AS subcategory,
       regexp_replace(trim(product_name), '\s+', ' ', 'g') AS product_name,
       CAST(trim(sales) AS numeric) AS sales, CAST(trim(quantity) AS integer) AS quantity,
       CAST(trim(discount) AS numeric) AS discount, CAST(trim(profit) AS numeric) AS profit
FROM load WHERE status IS NULL;
ANALYZE good;

INSERT INTO ingest.key_map (source, entity, external_id)
SELECT DISTINCT 'superstore', e.entity, e.key
FROM good g, LATERAL (VALUES ('customer', g.customer_key), ('product', g.product_key), ('order', g.order_key)) AS e(entity, key)
ON CONFLICT DO NOTHING;
-- fresh rows have no statistics yet: without them the joins below go quadratic
ANALYZE ingest.key_map;

INSERT INTO customers (customer_id, first_name, last_name, registration_date, country, customer_segment)
SELECT k.id, split_part(min(g.customer_name), ' ', 1), nullif(substr(min(g.customer_name), length(split_part(min(g.customer_name), ' ', 1)) + 2), ''),
       min(g.order_date), min(g.country), min(g.segment)
FROM good g JOIN ingest.key_map k ON k.source = 'superstore' AND k.entity = 'customer' AND k.external_id = g.customer_key
GROUP BY k.id
ON CONFLICT (customer_id) DO UPDATE SET registration_date = least(customers.registration_date, EXCLUDED.registration_date),
    customer_segment = EXCLUDED.customer_segment, country = EXCLUDED.country;

INSERT INTO products (product_id, product_name, category, subcategory, unit_price, unit_cost)
SELECT k.id, mode() WITHIN GROUP (ORDER BY g.product_name), min(g.category), min(g.subcategory),
       CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY g.sales / (1 - g.discount) / g.quantity) AS numeric(12,2)),
       CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY (g.sales - g.profit) / g.quantity) AS numeric(12,2))
FROM good g JOIN ingest.key_map k ON k.source = 'superstore' AND k.entity = 'product' AND k.external_id = g.product_key
GROUP BY k.id
ON CONFLICT (product_id) DO UPDATE SET product_name = EXCLUDED.product_name, category = EXCLUDED.category,
    subcategory = EXCLUDED.subcategory, unit_price = EXCLUDED.unit_price, unit_cost = EXCLUDED.unit_cost;

INSERT INTO orders (order_id, customer_id, order_date, order_status, shipping_cost, discount_amount)
SELECT o.id, min(c.id), min(g.order_date), 'Completed', 0,
       round(sum(round(g.sales / (1 - g.discount) / g.quantity, 2) * g.quantity - g.sales), 2)
FROM good g
JOIN ingest.key_map o ON o.source = 'superstore' AND o.entity = 'order' AND o.external_id = g.order_key
JOIN ingest.key_map c ON c.source = 'superstore' AND c.entity = 'customer' AND c.external_id = g.customer_key
GROUP BY o.id
ON CONFLICT (order_id) DO UPDATE SET customer_id = EXCLUDED.customer_id, order_date = EXCLUDED.order_date,
    discount_amount = EXCLUDED.discount_amount;

DELETE FROM order_items WHERE order_id IN (
    SELECT k.id FROM ingest.key_map k WHERE k.source = 'superstore' AND k.entity = 'order'
      AND k.external_id IN (SELECT order_key FROM good));

INSERT INTO order_items (order_item_id, order_id, product_id, quantity, unit_price, unit_cost)
SELECT (SELECT coalesce(max(order_item_id), 0) FROM order_items) + row_number() OVER (ORDER BY g.line_no),
       o.id, p.id, g.quantity, round(g.sales / (1 - g.discount) / g.quantity, 2), round((g.sales - g.profit) / g.quantity, 2)
FROM good g
JOIN ingest.key_map o ON o.source = 'superstore' AND o.entity = 'order' AND o.external_id = g.order_key
JOIN ingest.key_map p ON p.source = 'superstore' AND p.entity = 'product' AND p.external_id = g.product_key;

