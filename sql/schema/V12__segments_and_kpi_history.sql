-- Issue 12: customer segments a CRM can pick up, and every KPI table of a run kept for BI tools.

-- The RFM segment rules a run applied, copied from sql/kpi/rfm_segment_rules.sql (the file an
-- analyst edits) at every run, so each run's segments can be read with the rules that made them.
-- A customer gets the segment of the first rule (lowest priority) whose score ranges hold.
CREATE TABLE bi.rfm_segment_rules (
    run_id      bigint NOT NULL REFERENCES bi.pipeline_runs (run_id) ON DELETE CASCADE,
    priority    integer NOT NULL,
    segment     text NOT NULL,
    r_min       integer NOT NULL, r_max integer NOT NULL,
    f_min       integer NOT NULL, f_max integer NOT NULL,
    m_min       integer NOT NULL, m_max integer NOT NULL,
    action      text NOT NULL,
    PRIMARY KEY (run_id, priority),
    UNIQUE (run_id, segment)
);

-- Per customer and run: the RFM values (all history), scores (1-5 over the customers active in the
-- scoring window) and segment. For an e-mail tool or CRM: bi.rfm_customers_latest.
CREATE TABLE bi.rfm_customers (
    run_id        bigint NOT NULL REFERENCES bi.pipeline_runs (run_id) ON DELETE CASCADE,
    as_of         date NOT NULL,
    customer_id   bigint NOT NULL,
    recency_days  integer NOT NULL,
    frequency     bigint NOT NULL,
    monetary      numeric NOT NULL,
    r_score       smallint NOT NULL CHECK (r_score BETWEEN 1 AND 5),
    f_score       smallint NOT NULL CHECK (f_score BETWEEN 1 AND 5),
    m_score       smallint NOT NULL CHECK (m_score BETWEEN 1 AND 5),
    segment       text NOT NULL,
    PRIMARY KEY (run_id, customer_id)
);

-- The segments of the latest succeeded run that scored customers.
CREATE VIEW bi.rfm_customers_latest AS
SELECT c.*
FROM bi.rfm_customers c
WHERE c.run_id = (SELECT max(r.run_id) FROM bi.pipeline_runs r
                  WHERE r.status = 'succeeded' AND EXISTS (SELECT 1 FROM bi.rfm_customers x WHERE x.run_id = r.run_id));

-- Every KPI table of a run (sql/kpi/*.sql and the churn tables), one row per table row as jsonb
-- keyed by column name (values as the CSV writes them: text; cast in the query). The last
-- ecombi.bi.keep-runs runs are kept. Join bi.pipeline_runs and keep status = 'succeeded' for history.
CREATE TABLE bi.kpi_tables (
    run_id     bigint NOT NULL REFERENCES bi.pipeline_runs (run_id) ON DELETE CASCADE,
    as_of      date NOT NULL,
    kpi        text NOT NULL,
    columns    text[] NOT NULL,
    row_count  bigint NOT NULL,
    stored     boolean NOT NULL,           -- false: more rows than ecombi.bi.store-max-rows, see note
    note       text,
    PRIMARY KEY (run_id, kpi)
);

CREATE TABLE bi.kpi_rows (
    run_id   bigint NOT NULL,
    kpi      text NOT NULL,
    row_no   integer NOT NULL,
    row      jsonb NOT NULL,
    PRIMARY KEY (run_id, kpi, row_no),
    FOREIGN KEY (run_id, kpi) REFERENCES bi.kpi_tables (run_id, kpi) ON DELETE CASCADE
);
