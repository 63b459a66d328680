-- The latest succeeded run: the one the dashboard at reports/latest shows, and the default run of
-- every API answer. No row before the first success.
SELECT run_id, as_of, report_dir
FROM bi.pipeline_runs
WHERE status = 'succeeded'
ORDER BY run_id DESC
LIMIT 1
