-- ecombi explain KPI [--run=N]: a KPI table's provenance in one run (the latest succeeded run that
-- has it when :#runId is 0), and the run's as-of date and status.
SELECT p.run_id, r.as_of, r.status, p.kpi, p.sql_file, p.sql_sha256, p.sql_text, CAST(p.parameters AS text) AS parameters, p.row_count
FROM bi.kpi_provenance p
JOIN bi.pipeline_runs r ON r.run_id = p.run_id
WHERE p.kpi = :#kpi AND (p.run_id = :#runId OR (:#runId = 0 AND r.status = 'succeeded'))
ORDER BY p.run_id DESC
LIMIT 1
