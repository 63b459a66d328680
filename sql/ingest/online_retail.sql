-- format: online_retail
-- header: InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
-- currency: GBP
-- dates: InvoiceDate
-- date-order: by-file, else month-first
-- The UCI "Online Retail" export. Runs on the file's rows in the temporary table load (text
-- columns named like the header in snake_case, plus line_no, status, reason): it marks the rows
-- it rejects or sets aside (status, reason); every other row is loaded.
--
-- Mapping:
-- * an invoice is an order; its Country is the order's ship_country;
-- * a C invoice (a cancellation after invoicing) is an order of kind 'credit_note', status
--   Completed, with its customer, products and country, quantities stored positive: it reduces
--   the revenue of its customer, product, country and day (the fact layer gives the sign);
-- * a row without CustomerID is a sale all the same, with orders.customer_id NULL;
-- * stock codes that are not products: POST, DOT (postage) and C2 (carriage) are the order's
--   shipping_cost, not revenue; D (discount) is the order's discount_amount; S (samples), B (bad
--   debt), BANK CHARGES, AMAZONFEE, CRUK (commission) and gift_0001_* (gift vouchers: a
--   prepayment, not a sale) are set aside with the code in the reason;
-- * M (Manual) is one rule on both sides: a line of its invoice like a product's (the product M,
--   "Manual"), money charged on a sale and money given back on a C invoice. So a manual charge and
--   the credit note that reverses it net to nothing (548813 and C548830 five minutes later, the
--   same four amounts), and a manual credit reversing a product sale takes that revenue back
--   (C556445 of 38,970 reverses sale 556444). Before, a manual charge was set aside and its
--   reversal netted from revenue: -£4,037.77 for that pair alone.
-- * amounts keep the source's precision. For a credit note the stored amounts are what it
--   credits: quantity = -Quantity, shipping_cost = -(Quantity x UnitPrice) of its postage lines,
--   discount_amount = Quantity x UnitPrice of its D lines (negative: the D lines of the file
--   stand on their own C invoices, and such a credit note credits -discount_amount). So for
--   every order: value = sum(quantity x unit_price) - discount_amount, times -1 for a credit
--   note, is its effect on revenue, and shipping_cost (times -1 for a credit note) its postage.
-- * exact duplicates: a row equal in all eight columns to an earlier row is a copy (the export
--   has no line number to tell two real lines apart) and is set aside naming the first line;
-- * a line dated after the load date is rejected; an invoice with a rejected line is not
--   loaded at all (its earlier version, if any, stays as it was), and its other lines say so;
-- * no cost column: unit_cost stays NULL and the margin KPIs say cost is unknown.
-- Orders in the file replace their earlier version (re-dropping the same file changes nothing;
-- a newer export updates the orders it holds).
--
-- Reconciliation: source_totals (from the file's rows) and loaded_totals (from the shop tables,
-- for the orders this file loaded) in ingest.files; every key of loaded_totals must equal the
-- same key of source_totals, or the file fails. Amounts are sums of Quantity x UnitPrice, in the
-- file's signs: sales, credit_notes (negative), shipping, discounts, set_aside, rejected.

CREATE TEMPORARY TABLE staged ON COMMIT DROP AS
-- one pass of checks and a few hash joins, no sort of the whole file: a date is parsed once (UCI has
-- 23,260 dates on 541,909 lines), only the lines that fail a check are kept with their problem, and
-- copies are found by a hash aggregate. load's values are never NULL (each field reaches COPY quoted).
WITH dates AS MATERIALIZED (
    SELECT d.invoice_date, ingest.parse_timestamp(d.invoice_date) AS invoiced_at FROM (SELECT DISTINCT invoice_date FROM load) d
), problems AS MATERIALIZED (
    SELECT c.* FROM (
        SELECT l.line_no, upper(trim(l.invoice_no)) AS invoice,
            ingest.integer_problem(l.quantity) IS NULL AND ingest.decimal_problem(l.unit_price) IS NULL AS amount_ok,
            CASE
                WHEN coalesce(trim(l.invoice_no), '') = '' THEN format('missing InvoiceNo (StockCode %s)', l.stock_code)
                WHEN coalesce(trim(l.stock_code), '') = '' THEN format('missing StockCode (InvoiceNo %s)', l.invoice_no)
                WHEN ingest.integer_problem(l.quantity) IS NOT NULL
                    THEN format('Quantity %L %s (InvoiceNo %s, StockCode %s)', l.quantity, ingest.integer_problem(l.quantity), l.invoice_no, l.stock_code)
                WHEN ingest.decimal_problem(l.unit_price) IS NOT NULL
                    THEN format('UnitPrice %L %s (InvoiceNo %s, StockCode %s)', l.unit_price, ingest.decimal_problem(l.unit_price), l.invoice_no, l.stock_code)
                WHEN d.invoiced_at IS NULL THEN format('InvoiceDate %L is not a date (YYYY-MM-DD HH:MM:SS or M/D/YYYY H:MM) (InvoiceNo %s, StockCode %s)', l.invoice_date, l.invoice_no, l.stock_code)
                WHEN CAST(d.invoiced_at AS date) > CURRENT_DATE THEN format('InvoiceDate %s is after the load date %s (InvoiceNo %s, StockCode %s)', trim(l.invoice_date), CURRENT_DATE, l.invoice_no, l.stock_code)
                WHEN coalesce(trim(l.customer_id), '') <> '' AND trim(l.customer_id) !~ '^\d{1,15}(\.0*)?$' THEN format('CustomerID %L is not a whole number (InvoiceNo %s)', l.customer_id, l.invoice_no)
            END AS problem
        FROM load l LEFT JOIN dates d ON d.invoice_date = l.invoice_date) c
    WHERE c.problem IS NOT NULL
), first_rejected AS (
    SELECT invoice, min(line_no) AS first_rejected_line FROM problems GROUP BY invoice
), copies AS MATERIALIZED (
    -- copies: the same in all eight columns; every line of such a group after its first names the first
    SELECT unnest(g.lines[2:]) AS line_no, g.lines[1] AS first_line
    FROM (SELECT array_agg(line_no ORDER BY line_no) AS lines FROM load
          GROUP BY invoice_no, stock_code, description, quantity, invoice_date, unit_price, customer_id, country HAVING count(*) > 1) g
), typed AS (
    SELECT l.line_no, upper(trim(l.invoice_no)) AS invoice, upper(trim(l.stock_code)) AS code, p.problem, coalesce(cp.first_line, l.line_no) AS first_line,
           d.invoiced_at, trim(l.description) AS description, trim(l.country) AS country,
           CASE WHEN p.line_no IS NULL THEN CAST(trim(l.quantity) AS integer) END AS quantity,
           CASE WHEN p.line_no IS NULL THEN CAST(trim(l.unit_price) AS numeric) END AS unit_price,
           CASE WHEN p.line_no IS NULL OR p.amount_ok THEN CAST(trim(l.quantity) AS numeric) * CAST(trim(l.unit_price) AS numeric) END AS amount,
           CASE WHEN p.line_no IS NULL AND coalesce(trim(l.customer_id), '') <> '' THEN CAST(CAST(trim(l.customer_id) AS numeric) AS bigint) END AS customer_id,
           upper(trim(l.invoice_no)) LIKE 'C%' AS credit,
           l.invoice_no, l.stock_code, r.first_rejected_line
    FROM load l
    LEFT JOIN dates d ON d.invoice_date = l.invoice_date
    LEFT JOIN problems p ON p.line_no = l.line_no
    LEFT JOIN copies cp ON cp.line_no = l.line_no
    LEFT JOIN first_rejected r ON r.invoice = upper(trim(l.invoice_no))
)
SELECT t.*,
    CASE
        WHEN t.problem IS NOT NULL THEN 'rejected'
        WHEN t.first_line < t.line_no THEN 'duplicate'
        WHEN t.code IN ('S', 'B', 'BANK CHARGES', 'AMAZONFEE', 'CRUK') OR t.code LIKE 'GIFT\_0001\_%' THEN 'fee'
        WHEN t.unit_price < 0 THEN 'negative'
        WHEN t.unit_price = 0 THEN 'zero_price'
        WHEN NOT t.credit AND t.quantity <= 0 THEN 'adjustment'
        WHEN t.credit AND t.quantity >= 0 THEN 'positive_credit'
        WHEN t.code IN ('POST', 'DOT', 'C2') THEN 'shipping'
        WHEN t.code = 'D' THEN 'discount'
        ELSE 'product'
    END AS kind
FROM typed t;
ANALYZE staged;

-- the rows not loaded, with the reason (an invoice is loaded whole or not at all)
UPDATE load SET status = x.status, reason = x.reason
FROM (SELECT s.line_no,
        CASE WHEN s.kind IN ('rejected', 'negative') OR (s.first_rejected_line IS NOT NULL AND s.kind IN ('product', 'shipping', 'discount')) THEN 'rejected' ELSE 'set_aside' END AS status,
        CASE s.kind
            WHEN 'rejected' THEN s.problem
            WHEN 'negative' THEN format('negative UnitPrice %s (InvoiceNo %s, StockCode %s)', s.unit_price, s.invoice_no, s.stock_code)
            WHEN 'duplicate' THEN format('exact duplicate of line %s (all eight columns the same)', s.first_line)
            WHEN 'fee' THEN format('StockCode %s (%s) is a fee or adjustment, not a product sale', s.stock_code, s.description)
            WHEN 'zero_price' THEN format('zero UnitPrice (free item or adjustment, StockCode %s)', s.stock_code)
            WHEN 'adjustment' THEN format('Quantity %s without a C invoice (stock adjustment or damage, StockCode %s)', s.quantity, s.stock_code)
            WHEN 'positive_credit' THEN format('Quantity %s on cancellation invoice %s is not negative', s.quantity, s.invoice_no)
            ELSE format('InvoiceNo %s is not loaded because line %s of the same invoice is rejected', s.invoice_no, s.first_rejected_line)
        END
        || CASE WHEN s.kind IN ('rejected', 'negative') OR (s.first_rejected_line IS NOT NULL AND s.kind IN ('product', 'shipping', 'discount'))
                THEN CASE WHEN k.id IS NULL THEN format('; invoice %s is not loaded', s.invoice_no)
                          ELSE format('; invoice %s keeps its earlier version', s.invoice_no) END
                ELSE '' END AS reason
      FROM staged s
      LEFT JOIN ingest.key_map k ON k.source = 'online_retail' AND k.entity = 'order' AND k.external_id = s.invoice
                                AND s.first_rejected_line IS NOT NULL
      WHERE s.kind NOT IN ('product', 'shipping', 'discount') OR s.first_rejected_line IS NOT NULL) x
WHERE load.line_no = x.line_no;

CREATE TEMPORARY TABLE good ON COMMIT DROP AS
SELECT line_no, invoice, code AS stock_code, description, quantity, invoiced_at, unit_price, amount, customer_id, country, credit, kind
FROM staged WHERE kind IN ('product', 'shipping', 'discount') AND first_rejected_line IS NULL;
ANALYZE good;

INSERT INTO ingest.key_map (source, entity, external_id)
SELECT DISTINCT 'online_retail', 'product', stock_code FROM good WHERE kind = 'product'
ON CONFLICT DO NOTHING;
-- an order's key is inserted or, when it exists, taken over by this file in the same statement:
-- an upsert goes through the primary key row by row, so no plan rests on key_map's statistics,
-- which until the ANALYZE below know only the shop's earlier loads (a separate UPDATE ... IN
-- (SELECT invoice FROM good) after a Superstore load was planned for 1 row as a nested loop
-- scanning good's 541,909 rows per invoice: 314 s instead of 0.7 s, issue 30)
INSERT INTO ingest.key_map (source, entity, external_id, last_file_id)
SELECT DISTINCT 'online_retail', 'order', invoice, CAST(current_setting('ecombi.file_id') AS bigint) FROM good
ON CONFLICT (source, entity, external_id) DO UPDATE SET last_file_id = EXCLUDED.last_file_id;
-- fresh rows have no statistics yet: without them the joins below go quadratic
SELECT ingest.analyze_when_stale('ingest.key_map');

INSERT INTO customers (customer_id, registration_date, country)
SELECT customer_id, CAST(min(invoiced_at) AS date), (array_agg(country ORDER BY invoiced_at DESC))[1]
FROM good WHERE customer_id IS NOT NULL GROUP BY customer_id
ON CONFLICT (customer_id) DO UPDATE
SET registration_date = least(customers.registration_date, EXCLUDED.registration_date), country = EXCLUDED.country;

INSERT INTO products (product_id, product_name, unit_price)
SELECT k.id, coalesce(mode() WITHIN GROUP (ORDER BY g.description), g.stock_code),
       CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY g.unit_price) AS numeric(12,2))
FROM good g JOIN ingest.key_map k ON k.source = 'online_retail' AND k.entity = 'product' AND k.external_id = g.stock_code
WHERE g.kind = 'product'
GROUP BY k.id, g.stock_code
ON CONFLICT (product_id) DO UPDATE SET product_name = EXCLUDED.product_name, unit_price = EXCLUDED.unit_price;

INSERT INTO orders (order_id, customer_id, order_date, order_status, order_kind, ship_country, shipping_cost, discount_amount)
SELECT k.id, min(g.customer_id), CAST(min(g.invoiced_at) AS date), 'Completed',
       CASE WHEN bool_or(g.credit) THEN 'credit_note' ELSE 'sale' END,
       mode() WITHIN GROUP (ORDER BY g.country),
       coalesce(sum(CASE WHEN g.credit THEN -g.amount ELSE g.amount END) FILTER (WHERE g.kind = 'shipping'), 0),
       coalesce(sum(CASE WHEN g.credit THEN g.amount ELSE -g.amount END) FILTER (WHERE g.kind = 'discount'), 0)
FROM good g JOIN ingest.key_map k ON k.source = 'online_retail' AND k.entity = 'order' AND k.external_id = g.invoice
GROUP BY k.id
ON CONFLICT (order_id) DO UPDATE SET customer_id = EXCLUDED.customer_id, order_date = EXCLUDED.order_date, order_status = EXCLUDED.order_status,
    order_kind = EXCLUDED.order_kind, ship_country = EXCLUDED.ship_country, shipping_cost = EXCLUDED.shipping_cost, discount_amount = EXCLUDED.discount_amount;

-- fresh statistics of the shop tables, in this transaction, before the statements that plan on them: after a
-- killed load autovacuum had left orders and order_items at 0 rows on pages of dead ones, and this DELETE and
-- the loaded_totals UPDATE below, planned for empty tables, ran 80 s and 5 to 14 minutes instead of 1 s (issue 31)
SELECT ingest.analyze_when_stale('orders', 'order_items');

DELETE FROM order_items WHERE order_id IN (
    SELECT k.id FROM ingest.key_map k WHERE k.source = 'online_retail' AND k.entity = 'order'
      AND k.external_id IN (SELECT invoice FROM good));

INSERT INTO order_items (order_item_id, order_id, product_id, quantity, unit_price, unit_cost)
SELECT (SELECT coalesce(max(order_item_id), 0) FROM order_items) + row_number() OVER (ORDER BY g.line_no),
       o.id, p.id, abs(g.quantity), g.unit_price, NULL
FROM good g
JOIN ingest.key_map o ON o.source = 'online_retail' AND o.entity = 'order' AND o.external_id = g.invoice
JOIN ingest.key_map p ON p.source = 'online_retail' AND p.entity = 'product' AND p.external_id = g.stock_code
WHERE g.kind = 'product';

-- what the file holds, from its rows
UPDATE ingest.files SET source_totals = (
    SELECT jsonb_build_object(
        'sales', coalesce(sum(amount) FILTER (WHERE kind = 'product' AND NOT credit AND first_rejected_line IS NULL), 0),
        'credit_notes', coalesce(sum(amount) FILTER (WHERE kind = 'product' AND credit AND first_rejected_line IS NULL), 0),
        'shipping', coalesce(sum(amount) FILTER (WHERE kind = 'shipping' AND first_rejected_line IS NULL), 0),
        'discounts', coalesce(sum(amount) FILTER (WHERE kind = 'discount' AND first_rejected_line IS NULL), 0),
        'sales_without_customer', coalesce(sum(amount) FILTER (WHERE kind = 'product' AND NOT credit AND first_rejected_line IS NULL AND customer_id IS NULL), 0),
        'set_aside', coalesce(sum(amount) FILTER (WHERE kind NOT IN ('product', 'shipping', 'discount', 'rejected', 'negative')), 0),
        'rejected', coalesce(sum(amount) FILTER (WHERE kind IN ('rejected', 'negative') OR (kind IN ('product', 'shipping', 'discount') AND first_rejected_line IS NOT NULL)), 0),
        'rejected_rows_without_amount', count(*) FILTER (WHERE amount IS NULL),
        'total', coalesce(sum(amount), 0),
        'orders', count(DISTINCT invoice) FILTER (WHERE kind IN ('product', 'shipping', 'discount') AND first_rejected_line IS NULL),
        'credit_note_orders', count(DISTINCT invoice) FILTER (WHERE kind IN ('product', 'shipping', 'discount') AND first_rejected_line IS NULL AND credit),
        'order_lines', count(*) FILTER (WHERE kind = 'product' AND first_rejected_line IS NULL))
    FROM staged)
WHERE file_id = CAST(current_setting('ecombi.file_id') AS bigint);

-- and again for the rows this file wrote: a shop that was empty before a killed load has pages of dead rows
-- and, analysed, a density of 0 rows per page, which this UPDATE would plan as empty however much was loaded
SELECT ingest.analyze_when_stale('orders', 'order_items');

-- the same, from the shop tables, for the orders this file loaded
UPDATE ingest.files SET loaded_totals = (
    SELECT jsonb_build_object(
        'sales', coalesce(sum(i.value) FILTER (WHERE o.order_kind = 'sale'), 0),
        'credit_notes', coalesce(-sum(i.value) FILTER (WHERE o.order_kind = 'credit_note'), 0),
        'shipping', coalesce(sum(CASE WHEN o.order_kind = 'credit_note' THEN -o.shipping_cost ELSE o.shipping_cost END), 0),
        'discounts', coalesce(sum(CASE WHEN o.order_kind = 'credit_note' THEN o.discount_amount ELSE -o.discount_amount END), 0),
        'sales_without_customer', coalesce(sum(i.value) FILTER (WHERE o.order_kind = 'sale' AND o.customer_id IS NULL), 0),
        'orders', count(*),
        'credit_note_orders', count(*) FILTER (WHERE o.order_kind = 'credit_note'),
        'order_lines', coalesce(sum(i.lines), 0))
    FROM ingest.key_map k
    JOIN orders o ON o.order_id = k.id
    LEFT JOIN (SELECT order_id, sum(quantity * unit_price) AS value, count(*) AS lines FROM order_items
               WHERE order_id IN (SELECT id FROM ingest.key_map WHERE source = 'online_retail' AND entity = 'order'
                                    AND last_file_id = CAST(current_setting('ecombi.file_id') AS bigint))
               GROUP BY order_id) i ON i.order_id = o.order_id
    WHERE k.source = 'online_retail' AND k.entity = 'order' AND k.last_file_id = CAST(current_setting('ecombi.file_id') AS bigint))
WHERE file_id = CAST(current_setting('ecombi.file_id') AS bigint);
