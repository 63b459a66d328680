-- A delivery of a run to a channel happens once: the first caller claims (run, channel), keeps what it
-- will send (outbox.payloads) and sends; a second call for the same pair (a retry of the whole step,
-- a second node) gets no row and sends nothing. Returns the claim, or no row when the pair was
-- claimed before.
WITH claimed AS (
    INSERT INTO bi.deliveries (run_id, channel, mode, status) VALUES (:#runId, :#channel, :#mode, 'sending')
    ON CONFLICT (run_id, channel) DO NOTHING
    RETURNING run_id, channel
)
INSERT INTO outbox.payloads (run_id, channel, idempotency_key, payload)
SELECT run_id, channel, :#idempotencyKey, :#payload FROM claimed
RETURNING run_id
