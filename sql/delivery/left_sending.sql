-- Deliveries another process left 'sending' and can no longer be sending: all of them when this
-- process has the database to itself (:#exclusive, the embedded PostgreSQL), else those that have not
-- moved for :#staleSeconds (longer than any attempt and wait can take). in_flight says whether an
-- attempt was under way.
SELECT d.run_id, d.channel, d.mode, d.attempts, d.in_flight, p.idempotency_key, p.payload
FROM bi.deliveries d
LEFT JOIN outbox.payloads p ON p.run_id = d.run_id AND p.channel = d.channel
WHERE d.status = 'sending' AND d.claimed_by IS DISTINCT FROM current_setting('application_name')
  AND (CAST(:#exclusive AS boolean) OR d.touched_at < now() - make_interval(secs => CAST(:#staleSeconds AS double precision)))
ORDER BY d.run_id, d.channel
