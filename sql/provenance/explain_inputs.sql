-- The loaded files a run read (bi.run_inputs), for ecombi explain.
SELECT file_id, file_name, sha256, rows_loaded FROM bi.run_inputs WHERE run_id = :#runId ORDER BY file_id
