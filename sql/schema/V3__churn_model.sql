-- The churn model of each run: its terms (for scoring inside PostgreSQL and for comparing runs)
-- and its metadata, and the scores it gave.
CREATE TABLE bi.churn_models (
    run_id       bigint PRIMARY KEY REFERENCES bi.pipeline_runs (run_id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    cutoff_date  date NOT NULL,
    as_of        date NOT NULL,
    train_rows   integer NOT NULL,
    metadata     jsonb NOT NULL          -- features, label definition, settings, metrics
);

CREATE TABLE bi.churn_model_terms (
    run_id       bigint NOT NULL REFERENCES bi.churn_models (run_id) ON DELETE CASCADE,
    feature      text NOT NULL,          -- a column of churn/features_as_of.sql, or '(intercept)'
    mean         double precision NOT NULL,
    std_dev      double precision NOT NULL,
    coefficient  double precision NOT NULL,   -- per standard deviation of the feature
    PRIMARY KEY (run_id, feature)
);

CREATE TABLE bi.churn_scores (
    run_id             bigint NOT NULL REFERENCES bi.pipeline_runs (run_id) ON DELETE CASCADE,
    customer_id        bigint NOT NULL,
    churn_probability  double precision NOT NULL,
    risk_band          text NOT NULL CHECK (risk_band IN ('high', 'medium', 'low')),
    customer_value     numeric(14,2) NOT NULL,
    PRIMARY KEY (run_id, customer_id)
);
