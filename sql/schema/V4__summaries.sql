-- The executive summary of each run: who wrote it and why, the Claude call's facts (never the
-- key), and the check of its figures. headline keeps the run's main figures for the next run's
-- comparison.
CREATE TABLE bi.run_summaries (
    run_id             bigint PRIMARY KEY REFERENCES bi.pipeline_runs (run_id) ON DELETE CASCADE,
    writer             text NOT NULL CHECK (writer IN ('claude', 'offline')),
    reason             text,                 -- why offline, or a note on Claude's answer
    model              text,
    request_id         text,
    input_tokens       integer,
    output_tokens      integer,
    attempts           integer NOT NULL DEFAULT 0,
    stop_reason        text,
    prompt_chars       integer,
    figures_checked    integer,
    figures_unmatched  integer,
    headline           jsonb
);
