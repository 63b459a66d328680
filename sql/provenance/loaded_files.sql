-- The files the shop's data came from (ingest.files, loaded), which the run's fact layer read:
-- every KPI of the run is built from them. Oldest first.
SELECT file_id, file_name, sha256, rows_loaded
FROM ingest.files
WHERE status = 'loaded'
ORDER BY received_at, file_id
