-- The files this shop's data came from, one row per loaded file, oldest first: rows read, loaded,
-- rejected and set aside (rows read = loaded + rejected + set aside). Why rows were not loaded is
-- row_issue_reasons; the rows themselves are row_issues (data/row_issues.csv). Empty when the shop
-- tables were filled without ecombi's loader.
SELECT f.file_id, f.file_name, f.format, CAST(f.received_at AS date) AS received_on,
       f.rows_read, f.rows_loaded, f.rows_rejected, f.rows_set_aside
FROM ingest.files f
WHERE f.status = 'loaded'
ORDER BY f.received_at, f.file_id
