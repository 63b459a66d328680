-- format: olist_products
-- header: product_id,product_category_name
-- currency: BRL
-- source: olist
-- Olist products: no name in the file, so the name is the category and the id's first characters;
-- the category is Portuguese until the translation file renames it; no price or cost (the price
-- is on each order line).
UPDATE load SET status = 'rejected', reason = 'missing product_id' WHERE coalesce(trim(product_id), '') = '';

INSERT INTO ingest.key_map (source, entity, external_id)
SELECT DISTINCT 'olist', 'product', trim(product_id) FROM load WHERE status IS NULL
ON CONFLICT DO NOTHING;
SELECT ingest.analyze_when_stale('ingest.key_map');

INSERT INTO products (product_id, product_name, category)
SELECT DISTINCT ON (k.id) k.id, coalesce(nullif(trim(l.product_category_name), ''), 'product') || ' ' || left(trim(l.product_id), 8),
       nullif(trim(l.product_category_name), '')
FROM load l JOIN ingest.key_map k ON k.source = 'olist' AND k.entity = 'product' AND k.external_id = trim(l.product_id)
WHERE l.status IS NULL
ORDER BY k.id, l.line_no DESC
ON CONFLICT (product_id) DO UPDATE SET category = coalesce(EXCLUDED.category, products.category);


-- Reconciliation: distinct product_id of the loaded rows = products they map to.
UPDATE ingest.files SET source_totals = (
    SELECT jsonb_build_object('products', count(DISTINCT trim(product_id))) FROM load WHERE status IS NULL)
WHERE file_id = CAST(current_setting('ecombi.file_id') AS bigint);

-- statistics of what this file just wrote, in this transaction: the plan of the UPDATE below must not rest on
-- what a crash left (after a killed load autovacuum had left the shop tables at 0 rows on pages of dead ones,
-- and the UPDATE, planned for empty tables, ran minutes instead of a second; issue 31)
SELECT ingest.analyze_when_stale('products');

UPDATE ingest.files SET loaded_totals = (
    SELECT jsonb_build_object('products', count(DISTINCT p.product_id))
    FROM load l JOIN ingest.key_map k ON k.source = 'olist' AND k.entity = 'product' AND k.external_id = trim(l.product_id)
    JOIN products p ON p.product_id = k.id
    WHERE l.status IS NULL)
WHERE file_id = CAST(current_setting('ecombi.file_id') AS bigint);
