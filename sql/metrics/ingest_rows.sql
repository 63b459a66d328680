-- Metrics: rows of the files loaded into the shop so far, by what became of them (ingest.files).
SELECT COALESCE(sum(rows_loaded), 0) AS loaded, COALESCE(sum(rows_rejected), 0) AS rejected,
       COALESCE(sum(rows_set_aside), 0) AS set_aside
FROM ingest.files WHERE status = 'loaded'
