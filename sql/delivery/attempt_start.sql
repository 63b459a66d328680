-- An attempt is under way: if the process stops now, nobody knows whether it arrived.
UPDATE bi.deliveries SET in_flight = :#attempt, touched_at = now() WHERE run_id = :#runId AND channel = :#channel
