-- Predictive customer lifetime value (issue 34): BG/NBD (purchase frequency and dropout) and
-- Gamma-Gamma (spend per purchase) fitted by maximum likelihood at every run (io.ecombi.clv). Times
-- in weeks, money in the run's currency. (V34: numbered after its issue, as V32 of issue 32 is, so
-- migrations of branches in flight do not collide.)

-- One row per run: what the page and the summary say. method 'predicted' when both models converged
-- and the hold-out check beat the past-rate baseline; else 'historical' with the reason.
CREATE TABLE bi.clv_runs (
    run_id                  bigint PRIMARY KEY REFERENCES bi.pipeline_runs (run_id) ON DELETE CASCADE,
    as_of                   date NOT NULL,
    method                  text NOT NULL CHECK (method IN ('predicted', 'historical')),
    reason                  text,                      -- why historical (NULL when predicted)
    customers               integer NOT NULL,          -- known customers with a purchase to the as-of date
    discount_rate_annual_pct double precision NOT NULL,
    holdout_start           date,                      -- the hold-out is (calibration_end, as_of]
    holdout_end             date,
    holdout_customers       integer,                   -- customers in the calibration part
    model_mae               double precision,          -- mean absolute error per customer, repeat purchases in the hold-out
    baseline_mae            double precision,          -- the same for the baseline "each repeats at their past rate"
    model_bucket_error_pct  double precision,          -- sum over frequency buckets of |predicted - actual| / all actual
    baseline_bucket_error_pct double precision
);

-- The fits of a run: 'full' (to the as-of date: the published predictions) and 'calibration' (to
-- the hold-out's start: the check). NULL parameters when a fit could not run.
CREATE TABLE bi.clv_models (
    run_id              bigint NOT NULL REFERENCES bi.pipeline_runs (run_id) ON DELETE CASCADE,
    fit                 text NOT NULL CHECK (fit IN ('full', 'calibration')),
    period_end          date NOT NULL,
    customers           integer NOT NULL,
    bgnbd_r             double precision, bgnbd_alpha double precision, bgnbd_a double precision, bgnbd_b double precision,
    bgnbd_log_likelihood double precision,
    bgnbd_converged     boolean NOT NULL,
    bgnbd_problem       text,
    gg_customers        integer NOT NULL,          -- repeat buyers with a positive mean value
    gg_p                double precision, gg_q double precision, gg_gamma double precision,
    gg_log_likelihood   double precision,
    gg_converged        boolean NOT NULL,
    gg_problem          text,
    PRIMARY KEY (run_id, fit)
);

-- The hold-out check per bucket of calibration frequency (0, 1, ..., 6, 7+): customers and their
-- repeat purchases in the hold-out, actual, predicted by the calibration fit and by the baseline.
CREATE TABLE bi.clv_holdout (
    run_id              bigint NOT NULL REFERENCES bi.pipeline_runs (run_id) ON DELETE CASCADE,
    bucket              integer NOT NULL,          -- calibration repeat purchases; the last bucket holds that many or more
    bucket_label        text NOT NULL,             -- '0', '1', ..., '7+'
    customers           integer NOT NULL,
    actual_purchases    double precision NOT NULL,
    predicted_purchases double precision NOT NULL,
    baseline_purchases  double precision NOT NULL,
    PRIMARY KEY (run_id, bucket)
);

-- Per customer and run: the history, the predictions (NULL when the run used historical value) and
-- the historical value. The last ecombi.reports.keep-runs runs are kept. For a CRM: bi.clv_customers_latest.
CREATE TABLE bi.clv_customers (
    run_id                  bigint NOT NULL REFERENCES bi.pipeline_runs (run_id) ON DELETE CASCADE,
    as_of                   date NOT NULL,
    customer_id             bigint NOT NULL,
    frequency               integer NOT NULL,          -- repeat purchases (purchase days after the first)
    recency_weeks           double precision NOT NULL,
    age_weeks               double precision NOT NULL,
    monetary                double precision,          -- mean repeat purchase value
    net_revenue             numeric NOT NULL,          -- all history: the historical value
    net_revenue_12m         numeric NOT NULL,
    p_alive                 double precision,
    expected_purchases_90d  double precision,
    expected_purchases_12m  double precision,
    expected_order_value    double precision,
    clv_12m                 double precision,          -- discounted net revenue of the next 12 months
    method                  text NOT NULL,
    PRIMARY KEY (run_id, customer_id)
);

CREATE VIEW bi.clv_customers_latest AS
SELECT c.*
FROM bi.clv_customers c
WHERE c.run_id = (SELECT max(r.run_id) FROM bi.pipeline_runs r
                  WHERE r.status = 'succeeded' AND EXISTS (SELECT 1 FROM bi.clv_customers x WHERE x.run_id = r.run_id));
