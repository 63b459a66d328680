-- A queued run takes the run lock and starts: its start time is now, not when it was asked for.
UPDATE bi.pipeline_runs SET status = 'running', started_at = now(), host = :#host
WHERE run_id = :#runId AND status = 'queued'
RETURNING run_id
