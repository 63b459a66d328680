-- Forecasts and anomalies (issue 14).
-- bi.forecasts: the published forecast of each run, one row per series and future day, with the
-- model that made it and its 80 % / 95 % bands (from the backtest's errors per horizon step).
CREATE TABLE bi.forecasts (
    run_id      bigint NOT NULL REFERENCES bi.pipeline_runs (run_id) ON DELETE CASCADE,
    series      text NOT NULL,             -- net_revenue | orders
    day         date NOT NULL,
    step        integer NOT NULL,          -- 1 = the day after the as-of date
    model       text NOT NULL,             -- the published model (seasonal naive when no model beat it)
    forecast    double precision NOT NULL,
    lo80        double precision NOT NULL,
    hi80        double precision NOT NULL,
    lo95        double precision NOT NULL,
    hi95        double precision NOT NULL,
    closed_day  boolean NOT NULL,          -- a weekday the shop does not trade on: forecast 0
    PRIMARY KEY (run_id, series, day)
);

-- bi.forecast_backtests: the rolling-origin backtest of every candidate model per series.
-- mase = the model's MAE over the backtest / the seasonal naive's MAE over the same points.
CREATE TABLE bi.forecast_backtests (
    run_id          bigint NOT NULL REFERENCES bi.pipeline_runs (run_id) ON DELETE CASCADE,
    series          text NOT NULL,
    model           text NOT NULL,
    origins         integer NOT NULL,
    horizon         integer NOT NULL,
    points          integer NOT NULL,      -- forecasts compared with an actual
    mae             double precision,
    mape_pct        double precision,      -- over actuals <> 0 only
    smape_pct       double precision,      -- over points where actual or forecast <> 0
    mase            double precision,
    coverage80_pct  double precision,      -- share of actuals inside the 80 % band (leave-one-origin-out)
    coverage95_pct  double precision,
    published       boolean NOT NULL,
    PRIMARY KEY (run_id, series, model)
);

-- bi.anomalies: every anomaly found, kept across runs. An anomaly (metric, day) is raised as new
-- by the first run that finds it (first_run_id); later runs only update last_run_id and its figures.
CREATE TABLE bi.anomalies (
    metric          text NOT NULL,         -- net_revenue | orders | aov | category:<name> | all (data gap)
    day             date NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('spike', 'drop', 'data_gap')),
    actual          double precision NOT NULL,
    expected        double precision NOT NULL,
    lower_bound     double precision NOT NULL,
    upper_bound     double precision NOT NULL,
    deviation_pct   double precision,
    robust_z        double precision,
    severity        text NOT NULL CHECK (severity IN ('Critical', 'High', 'Medium', 'Low')),
    iforest_score   double precision,      -- Isolation Forest score of the day (0..1, higher = more isolated)
    iforest_agrees  boolean,
    first_run_id    bigint NOT NULL,
    last_run_id     bigint NOT NULL,
    PRIMARY KEY (metric, day)
);
CREATE INDEX anomalies_first_run_idx ON bi.anomalies (first_run_id);
