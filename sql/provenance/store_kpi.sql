-- One KPI table's provenance (bi.kpi_provenance, V39), after bi.kpi_tables holds the table.
INSERT INTO bi.kpi_provenance (run_id, kpi, sql_file, sql_sha256, sql_text, parameters, row_count)
SELECT :#runId, :#kpi, :#sqlFile, :#sha256, :#sqlText, CAST(:#parameters AS jsonb), :#rows
WHERE EXISTS (SELECT 1 FROM bi.kpi_tables WHERE run_id = :#runId AND kpi = :#kpi)
ON CONFLICT (run_id, kpi) DO NOTHING
