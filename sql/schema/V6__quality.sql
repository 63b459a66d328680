-- The data-quality checks of each run, and the shop tables' row counts it saw (for the next
-- run's row-count-drop check).
CREATE TABLE bi.quality_results (
    run_id          bigint NOT NULL REFERENCES bi.pipeline_runs (run_id) ON DELETE CASCADE,
    check_name      text NOT NULL,
    severity        text NOT NULL CHECK (severity IN ('warn', 'error')),
    passed          boolean NOT NULL,
    offending_rows  bigint,
    sample          jsonb,
    detail          text,
    PRIMARY KEY (run_id, check_name)
);

CREATE TABLE bi.table_counts (
    run_id      bigint NOT NULL REFERENCES bi.pipeline_runs (run_id) ON DELETE CASCADE,
    table_name  text NOT NULL,
    row_count   bigint NOT NULL,
    PRIMARY KEY (run_id, table_name)
);
