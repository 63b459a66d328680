-- The delivery ends: sent, failed after its last attempt, or interrupted.
UPDATE bi.deliveries SET status = :#status, finished_at = now(), in_flight = NULL, touched_at = now()
WHERE run_id = :#runId AND channel = :#channel
