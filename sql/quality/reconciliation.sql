-- severity: error
-- check: the facts every KPI reads reproduce the totals each loaded file was reconciled to at load
-- (ingest.files.loaded_totals), to the cent: UCI sales, credit notes and discounts; Superstore
-- sales and profit. Files whose orders were since replaced by a newer file, or reach past the
-- as-of date, are not compared. Olist: checked at load only (its totals cover every status).
WITH files AS (
    SELECT f.file_id, f.file_name, f.format, f.loaded_totals AS t
    FROM ingest.files f
    WHERE f.status = 'loaded' AND f.format IN ('online_retail', 'superstore') AND f.loaded_totals IS NOT NULL
),
file_orders AS (
    SELECT f.file_id, k.id AS order_id
    FROM files f
    JOIN ingest.key_map k ON k.source = f.format AND k.entity = 'order' AND k.last_file_id = f.file_id
),
comparable AS (   -- every order still the file's, none after the as-of date
    SELECT f.*
    FROM files f
    WHERE (SELECT count(*) FROM file_orders x WHERE x.file_id = f.file_id) = CAST(f.t ->> 'orders' AS bigint)
      AND NOT EXISTS (SELECT 1 FROM file_orders x JOIN orders o ON o.order_id = x.order_id
                      WHERE x.file_id = f.file_id AND o.order_date > (SELECT as_of FROM fact.params))
),
facts AS (
    SELECT x.file_id,
           SUM(l.gross_revenue) FILTER (WHERE l.order_kind = 'sale') AS sales,
           SUM(l.gross_revenue) FILTER (WHERE l.order_kind = 'credit_note') AS credit_notes,
           -SUM(l.discount) AS discounts,
           SUM(l.net_revenue) AS net,
           SUM(l.net_revenue - l.cost) AS profit
    FROM file_orders x JOIN fact.sales_lines l ON l.order_id = x.order_id
    GROUP BY x.file_id
),
compared AS (
    SELECT c.file_name, v.figure, v.loaded, v.in_facts
    FROM comparable c
    JOIN facts a ON a.file_id = c.file_id
    CROSS JOIN LATERAL (VALUES
        ('sales', CAST(c.t ->> 'sales' AS numeric), CASE WHEN c.format = 'superstore' THEN a.net ELSE a.sales END),
        ('credit_notes', CAST(c.t ->> 'credit_notes' AS numeric), COALESCE(a.credit_notes, 0)),
        ('discounts', CAST(c.t ->> 'discounts' AS numeric), COALESCE(a.discounts, 0)),
        ('profit', CAST(c.t ->> 'profit' AS numeric), a.profit)
    ) AS v (figure, loaded, in_facts)
    WHERE v.loaded IS NOT NULL
)
SELECT file_name, figure, ROUND(loaded, 2) AS loaded, ROUND(in_facts, 2) AS in_facts, ROUND(in_facts - loaded, 2) AS difference
FROM compared
WHERE ROUND(loaded, 2) <> ROUND(COALESCE(in_facts, 0), 2)
ORDER BY file_name, figure
