-- bin/ecombi deliver takes a delivery up again: back to 'sending' unless it is sending now (no row then).
UPDATE bi.deliveries SET status = 'sending', finished_at = NULL, in_flight = NULL, touched_at = now(), claimed_by = current_setting('application_name')
WHERE run_id = :#runId AND channel = :#channel AND status <> 'sending'
RETURNING run_id
