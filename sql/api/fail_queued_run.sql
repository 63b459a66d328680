-- A queued run that never started (ecombi stopped, or it was refused before it took the lock) ends
-- with the reason; a run that did start keeps the record its run wrote.
UPDATE bi.pipeline_runs SET status = :#status, finished_at = now(), error_text = :#reason
WHERE run_id = :#runId AND status = 'queued'
