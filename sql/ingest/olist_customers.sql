-- format: olist_customers
-- header: customer_id,customer_unique_id,customer_zip_code_prefix,customer_city,customer_state
-- currency: BRL
-- source: olist
-- Olist customers: customer_unique_id is the person (ecombi's customer); customer_id is Olist's
-- per-order id, kept in ingest.key_map as an alias of the person. Registration date is not in
-- the file: it is the first order's date once orders arrive (today until then). Country Brazil;
-- state = customer_state (upper case, e.g. SP) and city = customer_city of the person's rows (the
-- pair most of their rows give, ties to the first alphabetically): Olist gives the address per order id,
-- ecombi keeps one per person. A newer file updates them; an empty state or city is NULL. No region.
-- Reconciliation: distinct customer_unique_id of the loaded rows = customers they map to.
UPDATE load SET status = 'rejected', reason = x.reason
FROM (SELECT line_no, CASE
        WHEN coalesce(trim(customer_id), '') = '' THEN 'missing customer_id'
        WHEN coalesce(trim(customer_unique_id), '') = '' THEN 'missing customer_unique_id'
      END AS reason FROM load) x
WHERE load.line_no = x.line_no AND x.reason IS NOT NULL;

INSERT INTO ingest.key_map (source, entity, external_id)
SELECT DISTINCT 'olist', 'customer', trim(customer_unique_id) FROM load WHERE status IS NULL
ON CONFLICT DO NOTHING;
SELECT ingest.analyze_when_stale('ingest.key_map');

INSERT INTO ingest.key_map (source, entity, external_id, id)
SELECT DISTINCT ON (trim(l.customer_id)) 'olist', 'customer_id', trim(l.customer_id), k.id
FROM load l JOIN ingest.key_map k ON k.source = 'olist' AND k.entity = 'customer' AND k.external_id = trim(l.customer_unique_id)
WHERE l.status IS NULL
ON CONFLICT (source, entity, external_id) DO UPDATE SET id = EXCLUDED.id;

INSERT INTO customers (customer_id, registration_date, country, state, city)
SELECT DISTINCT ON (k.id) k.id, CURRENT_DATE, 'Brazil',
       upper(nullif(trim(l.customer_state), '')), nullif(trim(l.customer_city), '')
FROM load l JOIN ingest.key_map k ON k.source = 'olist' AND k.entity = 'customer' AND k.external_id = trim(l.customer_unique_id)
WHERE l.status IS NULL
GROUP BY k.id, upper(nullif(trim(l.customer_state), '')), nullif(trim(l.customer_city), '')
ORDER BY k.id, count(*) DESC, upper(nullif(trim(l.customer_state), '')), nullif(trim(l.customer_city), '')
ON CONFLICT (customer_id) DO UPDATE SET state = EXCLUDED.state, city = EXCLUDED.city;


UPDATE ingest.files SET source_totals = (
    SELECT jsonb_build_object('customers', count(DISTINCT trim(customer_unique_id)), 'customer_ids', count(DISTINCT trim(customer_id)))
    FROM load WHERE status IS NULL)
WHERE file_id = CAST(current_setting('ecombi.file_id') AS bigint);

-- statistics of what this file just wrote, in this transaction: the plan of the UPDATE below must not rest on
-- what a crash left (after a killed load autovacuum had left the shop tables at 0 rows on pages of dead ones,
-- and the UPDATE, planned for empty tables, ran minutes instead of a second; issue 31)
SELECT ingest.analyze_when_stale('customers');

UPDATE ingest.files SET loaded_totals = (
    SELECT jsonb_build_object('customers', count(DISTINCT c.customer_id), 'customer_ids', count(DISTINCT a.external_id))
    FROM load l
    JOIN ingest.key_map a ON a.source = 'olist' AND a.entity = 'customer_id' AND a.external_id = trim(l.customer_id)
    JOIN customers c ON c.customer_id = a.id
    WHERE l.status IS NULL)
WHERE file_id = CAST(current_setting('ecombi.file_id') AS bigint);
