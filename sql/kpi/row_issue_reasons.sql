-- Why rows of the loaded files were not loaded as they stood: one row per file, kind (rejected or
-- set aside) and reason, most rows first, with the value of those rows (quantity x unit price,
-- where the row as read has both as numbers; null where none has). A reason is grouped without its
-- particulars (line numbers, codes and notes in brackets): "exact duplicate of line N",
-- "StockCode ... is a fee or adjustment"; data/row_issues.csv has every row with its own reason.
WITH issues AS (
    SELECT i.file_id, i.kind,
           regexp_replace(regexp_replace(regexp_replace(i.reason, '\s*\([^)]*\)', '', 'g'), '[0-9]+', 'N', 'g'),
                          '^StockCode .* is a ', 'StockCode ... is a ') AS reason,
           CASE WHEN pg_input_is_valid(i.record ->> 'quantity', 'numeric') AND pg_input_is_valid(i.record ->> 'unit_price', 'numeric')
                THEN CAST(i.record ->> 'quantity' AS numeric) * CAST(i.record ->> 'unit_price' AS numeric) END AS amount
    FROM ingest.row_issues i
)
SELECT f.file_id, f.file_name, CASE i.kind WHEN 'set_aside' THEN 'set aside' ELSE i.kind END AS kind, i.reason,
       COUNT(*) AS rows, SUM(i.amount) AS amount
FROM issues i
JOIN ingest.files f ON f.file_id = i.file_id AND f.status = 'loaded'
GROUP BY f.received_at, f.file_id, f.file_name, i.kind, i.reason
ORDER BY f.received_at, f.file_id, COUNT(*) DESC, i.reason
