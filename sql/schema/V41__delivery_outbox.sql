-- A delivery survives the process that sent it (issue 32): what it sends is kept, so it can be
-- resumed or sent again exactly as it was, and a delivery whose process stopped does not stay
-- 'sending' for ever.

-- interrupted: the process stopped while an attempt was under way, so whether it arrived is not
-- known; it is not sent again by itself (bin/ecombi deliver sends it again on purpose).
ALTER TABLE bi.deliveries DROP CONSTRAINT deliveries_status_check;
ALTER TABLE bi.deliveries ADD CONSTRAINT deliveries_status_check CHECK (status IN ('sending', 'sent', 'failed', 'interrupted'));
ALTER TABLE bi.delivery_attempts DROP CONSTRAINT delivery_attempts_outcome_check;
ALTER TABLE bi.delivery_attempts ADD CONSTRAINT delivery_attempts_outcome_check CHECK (outcome IN ('sent', 'failed', 'interrupted'));
-- the attempt being sent right now (NULL between attempts), and when the delivery last moved
ALTER TABLE bi.deliveries ADD COLUMN in_flight integer;
ALTER TABLE bi.deliveries ADD COLUMN touched_at timestamptz NOT NULL DEFAULT now();
-- the process that sends it (its sessions' application_name, ecombi/<pid>)
ALTER TABLE bi.deliveries ADD COLUMN claimed_by text DEFAULT current_setting('application_name');

-- The bytes each delivery sends (the e-mail as a MIME message with its charts, the JSON of Slack and
-- the webhook) and the key it is sent with. Outside bi: the BI reader role does not see recipients.
CREATE SCHEMA outbox;
CREATE TABLE outbox.payloads (
    run_id          bigint NOT NULL,
    channel         text NOT NULL,
    idempotency_key text NOT NULL,
    payload         bytea NOT NULL,
    PRIMARY KEY (run_id, channel),
    FOREIGN KEY (run_id, channel) REFERENCES bi.deliveries (run_id, channel) ON DELETE CASCADE
);
