-- ecombi's own records: one row per pipeline run, one per stage of it.
CREATE SCHEMA bi;

CREATE TABLE bi.pipeline_runs (
    run_id       bigserial PRIMARY KEY,
    trigger      text NOT NULL,           -- cli | cron | inbox:<file> | api
    as_of        date,                    -- NULL until resolved (an empty database fails before)
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    status       text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
    error_text   text,
    report_dir   text,
    host         text
);

CREATE TABLE bi.run_stages (
    run_id       bigint NOT NULL REFERENCES bi.pipeline_runs (run_id) ON DELETE CASCADE,
    seq          integer NOT NULL,
    stage        text NOT NULL,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz,
    row_count    bigint,
    status       text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    detail       text,
    PRIMARY KEY (run_id, seq)
);

CREATE INDEX pipeline_runs_started_idx ON bi.pipeline_runs (started_at DESC);
