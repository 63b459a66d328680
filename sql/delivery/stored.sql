-- One delivery as it was claimed, for bin/ecombi deliver: its status, attempts and what it sends.
SELECT d.run_id, d.channel, d.mode, d.status, d.attempts, p.idempotency_key, p.payload
FROM bi.deliveries d
LEFT JOIN outbox.payloads p ON p.run_id = d.run_id AND p.channel = d.channel
WHERE d.run_id = :#runId AND (CAST(:#channel AS text) IS NULL OR d.channel = :#channel)
ORDER BY d.channel
