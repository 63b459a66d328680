-- Issue 33: where every KPI table of a run comes from. bi.kpi_provenance: the SQL file, a SHA-256
-- of the text that ran, the text, the parameters (the ones bound to the file, and the run's: fact.params
-- and the report window) and the row count; bi.run_inputs: the loaded files (ingest.files) the run's
-- fact layer read, with their checksums and rows. Kept and deleted with bi.kpi_tables' runs.
CREATE TABLE bi.kpi_provenance (
    run_id      bigint NOT NULL,
    kpi         text NOT NULL,
    sql_file    text NOT NULL,
    sql_sha256  text NOT NULL,
    sql_text    text NOT NULL,
    parameters  jsonb NOT NULL,
    row_count   bigint NOT NULL,
    PRIMARY KEY (run_id, kpi),
    FOREIGN KEY (run_id, kpi) REFERENCES bi.kpi_tables (run_id, kpi) ON DELETE CASCADE
);

CREATE TABLE bi.run_inputs (
    run_id       bigint NOT NULL REFERENCES bi.pipeline_runs (run_id) ON DELETE CASCADE,
    file_id      bigint NOT NULL,
    file_name    text NOT NULL,
    sha256       text NOT NULL,
    rows_loaded  bigint,
    PRIMARY KEY (run_id, file_id)
);
