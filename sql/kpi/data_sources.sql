-- The files this shop's data came from, one row per loaded file, oldest first: rows read, loaded,
-- rejected and set aside (rows read = loaded + rejected + set aside), and the reasons of the rows
-- not loaded with their counts ("reason (count); ..."). The rows themselves are in
-- data/row_issues.csv. Empty when the shop tables were filled without ecombi's loader.
SELECT f.file_id, f.file_name, f.format, CAST(f.received_at AS date) AS received_on,
       f.rows_read, f.rows_loaded, f.rows_rejected, f.rows_set_aside,
       (SELECT string_agg(reason_count, '; ' ORDER BY n DESC, reason_count)
        FROM (SELECT CASE kind WHEN 'rejected' THEN 'rejected: ' ELSE 'set aside: ' END || reason
                     || ' (' || to_char(count(*), 'FM999,999,999') || ')' AS reason_count, count(*) AS n
              FROM ingest.row_issues i WHERE i.file_id = f.file_id GROUP BY kind, reason) r) AS reasons
FROM ingest.files f
WHERE f.status = 'loaded'
ORDER BY f.received_at, f.file_id
