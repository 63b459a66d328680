-- format: superstore
-- header: Order ID,Order Date,Customer ID,Customer Name,Segment,Country,Product ID,Category,Sub-Category,Product Name,Sales,Quantity,Discount,Profit
-- currency: USD
-- dates: Order Date
-- date-order: by-file, else month-first
-- Superstore-style order lines (Tableau's sample and its kind). Sales is after the line's
-- Discount rate, so the list price is Sales / (1 - Discount) / Quantity and the line's discount
-- (order_items.discount_amount) is list price x Quantity - Sales; the order-level discount is 0.
-- cost = Sales - Profit, so unit_cost = (Sales - Profit) / Quantity. Prices and costs are kept
-- at full precision (never rounded at load), so for every line
--     Quantity x unit_price - discount_amount = Sales and that - Quantity x unit_cost = Profit.
-- Every order is Completed, of kind 'sale'; its Country is the order's ship_country, and its
-- Region, State and City (columns read when the file has them: Tableau's sample does, other
-- exports may not) are ship_region, ship_state, ship_city; an empty value is NULL.
-- Exact duplicates: a line equal in every column of the file (Row ID included, when the file
-- has it) to an earlier line is a copy and is set aside naming the first line. A line dated
-- after the load date is rejected; an order with a rejected line is not loaded at all (its
-- earlier version, if any, stays), and its other lines say so. Orders in the file replace their
-- earlier version.
-- Reconciliation (ingest.files.source_totals vs loaded_totals, to 1/100 of a cent, the file's
-- precision): Σ Sales, Σ Profit, lines and orders, in all, per Category and per Region.

CREATE TEMPORARY TABLE staged ON COMMIT DROP AS
WITH parsed AS MATERIALIZED (
    SELECT l.*, trim(l.order_id) AS order_key, trim(l.product_id) AS product_key,
           -- optional columns: to_jsonb gives NULL for a column the file does not have
           nullif(trim(j.row ->> 'region'), '') AS ship_region, nullif(trim(j.row ->> 'state'), '') AS ship_state,
           nullif(trim(j.row ->> 'city'), '') AS ship_city,
           ingest.parse_timestamp(l.order_date) AS ordered_at,
           ingest.decimal_problem(l.sales) AS sales_problem, ingest.integer_problem(l.quantity) AS quantity_problem,
           ingest.decimal_problem(l.discount) AS discount_problem, ingest.decimal_problem(l.profit) AS profit_problem,
           min(l.line_no) OVER (PARTITION BY j.row - 'line_no' - 'status' - 'reason') AS first_line
    FROM load l CROSS JOIN LATERAL (SELECT to_jsonb(l) AS row) j
), checked AS (
    SELECT p.*,
        CASE
            WHEN coalesce(trim(p.order_id), '') = '' THEN format('missing Order ID (Product ID %s)', p.product_id)
            WHEN coalesce(trim(p.customer_id), '') = '' THEN format('missing Customer ID (Order ID %s)', p.order_id)
            WHEN coalesce(trim(p.product_id), '') = '' THEN format('missing Product ID (Order ID %s)', p.order_id)
            WHEN p.ordered_at IS NULL THEN format('Order Date %L is not a date (Order ID %s)', p.order_date, p.order_id)
            WHEN CAST(p.ordered_at AS date) > CURRENT_DATE THEN format('Order Date %s is after the load date %s (Order ID %s, Product ID %s)', trim(p.order_date), CURRENT_DATE, p.order_id, p.product_id)
            WHEN p.sales_problem IS NOT NULL THEN format('Sales %L %s (Order ID %s, Product ID %s)', p.sales, p.sales_problem, p.order_id, p.product_id)
            WHEN p.quantity_problem IS NOT NULL THEN format('Quantity %L %s (Order ID %s, Product ID %s)', p.quantity, p.quantity_problem, p.order_id, p.product_id)
            WHEN p.discount_problem IS NOT NULL THEN format('Discount %L %s (Order ID %s, Product ID %s)', p.discount, p.discount_problem, p.order_id, p.product_id)
            WHEN p.profit_problem IS NOT NULL THEN format('Profit %L %s (Order ID %s, Product ID %s)', p.profit, p.profit_problem, p.order_id, p.product_id)
            WHEN CAST(trim(p.quantity) AS integer) <= 0 THEN format('Quantity %s is not positive (Order ID %s, Product ID %s)', p.quantity, p.order_id, p.product_id)
            WHEN CAST(trim(p.sales) AS numeric) < 0 THEN format('negative Sales %s (Order ID %s, Product ID %s)', p.sales, p.order_id, p.product_id)
            WHEN CAST(trim(p.discount) AS numeric) < 0 OR CAST(trim(p.discount) AS numeric) >= 1
                THEN format('Discount %s is not a rate from 0 to below 1 (Order ID %s, Product ID %s)', p.discount, p.order_id, p.product_id)
        END AS problem
    FROM parsed p
)
SELECT c.line_no, c.order_key, c.product_key, c.problem, c.first_line, CAST(c.ordered_at AS date) AS order_date,
       trim(c.customer_id) AS customer_key, trim(c.customer_name) AS customer_name, trim(c.segment) AS segment, trim(c.country) AS country,
       c.ship_region, c.ship_state, c.ship_city,
       trim(c.category) AS category, trim(c.sub_category) AS subcategory,
       regexp_replace(trim(c.product_name), '\s+', ' ', 'g') AS product_name,
       CASE WHEN c.sales_problem IS NULL THEN CAST(trim(c.sales) AS numeric) END AS sales,
       CASE WHEN c.problem IS NULL THEN CAST(trim(c.quantity) AS integer) END AS quantity,
       CASE WHEN c.problem IS NULL THEN CAST(trim(c.discount) AS numeric) END AS discount,
       CASE WHEN c.profit_problem IS NULL THEN CAST(trim(c.profit) AS numeric) END AS profit,
       min(c.line_no) FILTER (WHERE c.problem IS NOT NULL) OVER (PARTITION BY c.order_key) AS first_rejected_line,
       CASE WHEN c.problem IS NOT NULL THEN 'rejected' WHEN c.first_line < c.line_no THEN 'duplicate' ELSE 'line' END AS kind
FROM checked c;
ANALYZE staged;

UPDATE load SET status = x.status, reason = x.reason
FROM (SELECT s.line_no,
        CASE WHEN s.kind = 'duplicate' THEN 'set_aside' ELSE 'rejected' END AS status,
        CASE s.kind
            WHEN 'rejected' THEN s.problem
            WHEN 'duplicate' THEN format('exact duplicate of line %s (every column the same)', s.first_line)
            ELSE format('Order ID %s is not loaded because line %s of the same order is rejected', s.order_key, s.first_rejected_line)
        END
        || CASE WHEN s.kind = 'duplicate' THEN ''
                WHEN k.id IS NULL THEN format('; order %s is not loaded', s.order_key)
                ELSE format('; order %s keeps its earlier version', s.order_key) END AS reason
      FROM staged s
      LEFT JOIN ingest.key_map k ON k.source = 'superstore' AND k.entity = 'order' AND k.external_id = s.order_key AND s.first_rejected_line IS NOT NULL
      WHERE s.kind <> 'line' OR s.first_rejected_line IS NOT NULL) x
WHERE load.line_no = x.line_no;

CREATE TEMPORARY TABLE good ON COMMIT DROP AS
SELECT line_no, order_key, order_date, customer_key, customer_name, segment, country, ship_region, ship_state, ship_city,
       product_key, category, subcategory, product_name,
       sales, quantity, discount, profit,
       sales / (1 - discount) / quantity AS unit_price,
       (sales - profit) / quantity AS unit_cost
FROM staged WHERE kind = 'line' AND first_rejected_line IS NULL;
ANALYZE good;

INSERT INTO ingest.key_map (source, entity, external_id)
SELECT DISTINCT 'superstore', e.entity, e.key
FROM good g, LATERAL (VALUES ('customer', g.customer_key), ('product', g.product_key)) AS e(entity, key)
ON CONFLICT DO NOTHING;
-- an order's key is inserted or, when it exists, taken over by this file in the same statement:
-- an upsert goes through the primary key row by row, so no plan rests on key_map's statistics,
-- which until the ANALYZE below know only the shop's earlier loads (issue 30: a separate UPDATE
-- ... IN (SELECT ... FROM good) planned for 1 row became a nested loop over good per order)
INSERT INTO ingest.key_map (source, entity, external_id, last_file_id)
SELECT DISTINCT 'superstore', 'order', order_key, CAST(current_setting('ecombi.file_id') AS bigint) FROM good
ON CONFLICT (source, entity, external_id) DO UPDATE SET last_file_id = EXCLUDED.last_file_id;
-- fresh rows have no statistics yet: without them the joins below go quadratic
SELECT ingest.analyze_when_stale('ingest.key_map');

INSERT INTO customers (customer_id, first_name, last_name, registration_date, country, customer_segment)
SELECT k.id, split_part(min(g.customer_name), ' ', 1), nullif(substr(min(g.customer_name), length(split_part(min(g.customer_name), ' ', 1)) + 2), ''),
       min(g.order_date), min(g.country), min(g.segment)
FROM good g JOIN ingest.key_map k ON k.source = 'superstore' AND k.entity = 'customer' AND k.external_id = g.customer_key
GROUP BY k.id
ON CONFLICT (customer_id) DO UPDATE SET registration_date = least(customers.registration_date, EXCLUDED.registration_date),
    customer_segment = EXCLUDED.customer_segment, country = EXCLUDED.country;

-- the catalogue's list price and cost (a product's typical line; the lines keep their own)
INSERT INTO products (product_id, product_name, category, subcategory, unit_price, unit_cost)
SELECT k.id, mode() WITHIN GROUP (ORDER BY g.product_name), min(g.category), min(g.subcategory),
       CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY g.unit_price) AS numeric(12,2)),
       CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY g.unit_cost) AS numeric(12,2))
FROM good g JOIN ingest.key_map k ON k.source = 'superstore' AND k.entity = 'product' AND k.external_id = g.product_key
GROUP BY k.id
ON CONFLICT (product_id) DO UPDATE SET product_name = EXCLUDED.product_name, category = EXCLUDED.category,
    subcategory = EXCLUDED.subcategory, unit_price = EXCLUDED.unit_price, unit_cost = EXCLUDED.unit_cost;

INSERT INTO orders (order_id, customer_id, order_date, order_status, order_kind, ship_country, ship_region, ship_state, ship_city, shipping_cost, discount_amount)
SELECT o.id, min(c.id), min(g.order_date), 'Completed', 'sale', min(g.country), min(g.ship_region), min(g.ship_state), min(g.ship_city), 0, 0
FROM good g
JOIN ingest.key_map o ON o.source = 'superstore' AND o.entity = 'order' AND o.external_id = g.order_key
JOIN ingest.key_map c ON c.source = 'superstore' AND c.entity = 'customer' AND c.external_id = g.customer_key
GROUP BY o.id
ON CONFLICT (order_id) DO UPDATE SET customer_id = EXCLUDED.customer_id, order_date = EXCLUDED.order_date, order_status = EXCLUDED.order_status,
    order_kind = EXCLUDED.order_kind, ship_country = EXCLUDED.ship_country, ship_region = EXCLUDED.ship_region,
    ship_state = EXCLUDED.ship_state, ship_city = EXCLUDED.ship_city, discount_amount = EXCLUDED.discount_amount;

-- fresh statistics of the shop tables, in this transaction, before the statements that plan on them: after a
-- killed load autovacuum had left orders and order_items at 0 rows on pages of dead ones, and this DELETE and
-- the loaded_totals UPDATE below, planned for empty tables, ran 80 s and 5 to 14 minutes instead of 1 s (issue 31)
SELECT ingest.analyze_when_stale('orders', 'order_items', 'products');

DELETE FROM order_items WHERE order_id IN (
    SELECT k.id FROM ingest.key_map k WHERE k.source = 'superstore' AND k.entity = 'order'
      AND k.external_id IN (SELECT order_key FROM good));

INSERT INTO order_items (order_item_id, order_id, product_id, quantity, unit_price, unit_cost, discount_amount)
SELECT (SELECT coalesce(max(order_item_id), 0) FROM order_items) + row_number() OVER (ORDER BY g.line_no),
       o.id, p.id, g.quantity, g.unit_price, g.unit_cost,
       CASE WHEN g.discount = 0 THEN 0 ELSE g.quantity * g.unit_price - g.sales END
FROM good g
JOIN ingest.key_map o ON o.source = 'superstore' AND o.entity = 'order' AND o.external_id = g.order_key
JOIN ingest.key_map p ON p.source = 'superstore' AND p.entity = 'product' AND p.external_id = g.product_key;

-- what the file holds, from its rows
UPDATE ingest.files SET source_totals = (
    SELECT jsonb_build_object(
        'sales', round(coalesce(sum(sales) FILTER (WHERE kind = 'line' AND first_rejected_line IS NULL), 0), 4),
        'profit', round(coalesce(sum(profit) FILTER (WHERE kind = 'line' AND first_rejected_line IS NULL), 0), 4),
        'lines', count(*) FILTER (WHERE kind = 'line' AND first_rejected_line IS NULL),
        'orders', count(DISTINCT order_key) FILTER (WHERE kind = 'line' AND first_rejected_line IS NULL),
        'by_category', (SELECT coalesce(jsonb_object_agg(category, jsonb_build_object('sales', round(s, 4), 'profit', round(p, 4), 'lines', n)), '{}')
                        FROM (SELECT category, sum(sales) AS s, sum(profit) AS p, count(*) AS n FROM staged
                              WHERE kind = 'line' AND first_rejected_line IS NULL GROUP BY category) x),
        'by_region', (SELECT coalesce(jsonb_object_agg(region, jsonb_build_object('sales', round(s, 4), 'lines', n)), '{}')
                      FROM (SELECT coalesce(ship_region, '(none)') AS region, sum(sales) AS s, count(*) AS n FROM staged
                            WHERE kind = 'line' AND first_rejected_line IS NULL GROUP BY 1) x),
        'set_aside_sales', coalesce(sum(sales) FILTER (WHERE kind = 'duplicate'), 0),
        'rejected_sales', coalesce(sum(sales) FILTER (WHERE kind = 'rejected' OR (kind = 'line' AND first_rejected_line IS NOT NULL)), 0),
        'total_sales', coalesce(sum(sales), 0))
    FROM staged)
WHERE file_id = CAST(current_setting('ecombi.file_id') AS bigint);

-- and again for the rows this file wrote: a shop that was empty before a killed load has pages of dead rows
-- and, analysed, a density of 0 rows per page, which this UPDATE would plan as empty however much was loaded
SELECT ingest.analyze_when_stale('orders', 'order_items', 'products');

-- the same, from the shop tables, for the orders this file loaded
UPDATE ingest.files SET loaded_totals = (
    WITH lines AS (
        SELECT o.order_id, p.category, coalesce(o.ship_region, '(none)') AS region, i.quantity * i.unit_price - i.discount_amount AS net, i.quantity * i.unit_price - i.discount_amount - i.quantity * i.unit_cost AS profit
        FROM ingest.key_map k
        JOIN orders o ON o.order_id = k.id
        JOIN order_items i ON i.order_id = o.order_id
        JOIN products p ON p.product_id = i.product_id
        WHERE k.source = 'superstore' AND k.entity = 'order' AND k.last_file_id = CAST(current_setting('ecombi.file_id') AS bigint))
    SELECT jsonb_build_object(
        'sales', round(coalesce(sum(net), 0), 4),
        'profit', round(coalesce(sum(profit), 0), 4),
        'lines', count(*),
        'orders', count(DISTINCT order_id),
        'by_category', (SELECT coalesce(jsonb_object_agg(category, jsonb_build_object('sales', round(s, 4), 'profit', round(p, 4), 'lines', n)), '{}')
                        FROM (SELECT category, sum(net) AS s, sum(profit) AS p, count(*) AS n FROM lines GROUP BY category) x),
        'by_region', (SELECT coalesce(jsonb_object_agg(region, jsonb_build_object('sales', round(s, 4), 'lines', n)), '{}')
                      FROM (SELECT region, sum(net) AS s, count(*) AS n FROM lines GROUP BY region) x))
    FROM lines)
WHERE file_id = CAST(current_setting('ecombi.file_id') AS bigint);
