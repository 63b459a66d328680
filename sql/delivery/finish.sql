-- The delivery ends: sent, or failed after its last attempt.
UPDATE bi.deliveries SET status = :#status, finished_at = now() WHERE run_id = :#runId AND channel = :#channel
