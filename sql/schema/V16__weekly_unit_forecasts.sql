-- Weekly units forecasts of the top categories (issue 14, demand). A week is the 7 days ending on
-- the as-of date's weekday (week_start .. week_end, both included).
-- bi.weekly_unit_forecasts: the published forecast of each run, one row per category and week ahead.
CREATE TABLE bi.weekly_unit_forecasts (
    run_id      bigint NOT NULL REFERENCES bi.pipeline_runs (run_id) ON DELETE CASCADE,
    category    text NOT NULL,
    rank        integer NOT NULL,          -- 1 = the most net revenue in the trailing 12 months
    week_start  date NOT NULL,
    week_end    date NOT NULL,
    step        integer NOT NULL,          -- 1 = the week after the as-of date
    model       text NOT NULL,             -- the published model (the naive, last week's units, when none beat it)
    forecast    double precision NOT NULL,
    lo80        double precision NOT NULL,
    hi80        double precision NOT NULL,
    lo95        double precision NOT NULL,
    hi95        double precision NOT NULL,
    PRIMARY KEY (run_id, category, week_end)
);

-- bi.weekly_unit_backtests: the rolling-origin backtest of every candidate per category;
-- mase = the model's MAE / the naive's (last week's units) MAE over the same points.
CREATE TABLE bi.weekly_unit_backtests (
    run_id          bigint NOT NULL REFERENCES bi.pipeline_runs (run_id) ON DELETE CASCADE,
    category        text NOT NULL,
    model           text NOT NULL,
    origins         integer NOT NULL,
    horizon         integer NOT NULL,      -- weeks
    points          integer NOT NULL,
    mae             double precision,
    mape_pct        double precision,      -- over actuals <> 0 only
    smape_pct       double precision,
    mase            double precision,
    coverage80_pct  double precision,      -- leave-one-origin-out
    coverage95_pct  double precision,
    published       boolean NOT NULL,
    error           text,                  -- why the model could not run (e.g. too short a history)
    PRIMARY KEY (run_id, category, model)
);
