-- POST /api/runs: the run is recorded at once as 'queued' with its trigger, so the caller gets its
-- id; it becomes 'running' when it takes the run lock (RunLifecycle), behind a run in progress.
INSERT INTO bi.pipeline_runs (trigger, host, status) VALUES (:#trigger, :#host, 'queued') RETURNING run_id
