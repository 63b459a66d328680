-- The service face (issue 32). Numbered after the issue, not after V20, so that migrations other
-- branches add meanwhile (V21...) keep their numbers.
-- A run asked for over the API is recorded 'queued' at once, so the caller gets its id before it
-- starts; it becomes 'running' when it takes the run lock (behind a run in progress, like a trigger file).
ALTER TABLE bi.pipeline_runs DROP CONSTRAINT pipeline_runs_status_check;
ALTER TABLE bi.pipeline_runs ADD CONSTRAINT pipeline_runs_status_check
    CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'interrupted'));

-- Delivery of a run's results to a channel (email, slack, webhook): one row per (run, channel), the
-- claim that makes a delivery happen once however often it is retried or triggered again ...
CREATE TABLE bi.deliveries (
    run_id      bigint NOT NULL REFERENCES bi.pipeline_runs (run_id) ON DELETE CASCADE,
    channel     text NOT NULL,
    mode        text NOT NULL CHECK (mode IN ('digest', 'alert')),
    status      text NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
    claimed_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    attempts    integer NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, channel)
);

-- ... and one row per attempt: what happened and why (never a secret: the error names the channel's
-- host and the HTTP status or exception, not its URL).
CREATE TABLE bi.delivery_attempts (
    run_id      bigint NOT NULL,
    channel     text NOT NULL,
    attempt     integer NOT NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    outcome     text NOT NULL CHECK (outcome IN ('sent', 'failed')),
    error_text  text,
    millis      bigint,
    PRIMARY KEY (run_id, channel, attempt),
    FOREIGN KEY (run_id, channel) REFERENCES bi.deliveries (run_id, channel) ON DELETE CASCADE
);

-- GET /api/customers/{id} finds a customer's lifetime value row of a run without reading the table
CREATE INDEX kpi_rows_clv_customer_idx ON bi.kpi_rows (run_id, (row->>'customer_id'))
    WHERE kpi = 'customer_lifetime_value';
