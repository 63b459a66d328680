-- Metrics: the anomalies a run raised as new (bi.anomalies.first_run_id), by severity.
SELECT severity, count(*) AS anomalies FROM bi.anomalies WHERE first_run_id = :#runId GROUP BY severity
