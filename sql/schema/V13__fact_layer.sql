-- The fact layer (sql/fact/*.sql) is rebuilt by every run from the shop tables, as of the run's
-- date. Its tables live in the schema fact; fact.params holds the run's bound parameters so the
-- fact files can read them in plain CREATE TABLE ... AS statements (which take no bind
-- parameters themselves).
CREATE SCHEMA fact;
CREATE TABLE fact.params (
    run_id      bigint,
    as_of       date NOT NULL,
    churn_days  integer NOT NULL,
    min_orders  integer NOT NULL
);
