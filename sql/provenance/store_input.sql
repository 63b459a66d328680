-- One loaded file the run read (bi.run_inputs, V39).
INSERT INTO bi.run_inputs (run_id, file_id, file_name, sha256, rows_loaded)
VALUES (:#runId, :#fileId, :#fileName, :#sha256, :#rows)
ON CONFLICT (run_id, file_id) DO NOTHING
