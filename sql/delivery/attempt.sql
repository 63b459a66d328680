-- One attempt of a delivery: its number, outcome (sent | failed | interrupted), the error (host and
-- HTTP status or exception; never a URL or a password) and how long it took. It is no longer in flight.
INSERT INTO bi.delivery_attempts (run_id, channel, attempt, outcome, error_text, millis)
VALUES (:#runId, :#channel, :#attempt, :#outcome, :#error, :#millis);
UPDATE bi.deliveries SET attempts = :#attempt, in_flight = NULL, touched_at = now() WHERE run_id = :#runId AND channel = :#channel
