-- Recommendations and model drift (issue 34).

-- Recommendations (io.ecombi.recommend, sql/recommend): one row per run, the time-split check
-- (each customer's last sale order held out) of the co-purchase rules against the most-popular
-- baseline, and whether the rules were published (only when they beat the baseline).
CREATE TABLE bi.recommend_runs (
    run_id                      bigint PRIMARY KEY REFERENCES bi.pipeline_runs (run_id) ON DELETE CASCADE,
    as_of                       date NOT NULL,
    top_n                       integer NOT NULL,         -- the k of hit rate at k
    held_out_customers          integer NOT NULL,         -- customers with 2+ sale orders: their last one held out
    judged_customers            integer NOT NULL,         -- of those, whose held-out order has a product new to them
    judged_with_recommendations integer NOT NULL,         -- of those, given at least one recommendation by the rules
    rule_hits                   integer NOT NULL,         -- judged customers with a top-k rule recommendation in the held-out order
    popular_hits                integer NOT NULL,         -- the same for the k most popular products they had not bought
    check_rules                 integer NOT NULL,         -- rules learnt without the held-out orders
    published                   boolean NOT NULL,
    verdict                     text NOT NULL             -- why published or not, in words
);

-- The published rules ("bought antecedent -> also buys consequent"), learnt from every basket.
CREATE TABLE bi.recommend_rules (
    run_id        bigint NOT NULL REFERENCES bi.recommend_runs (run_id) ON DELETE CASCADE,
    antecedent    bigint NOT NULL,                         -- product X
    consequent    bigint NOT NULL,                         -- product Y
    both_baskets  integer NOT NULL,                        -- baskets with X and Y
    support       double precision NOT NULL,               -- both_baskets / baskets
    confidence    double precision NOT NULL,               -- both_baskets / baskets with X
    lift          double precision NOT NULL,               -- confidence / (baskets with Y / baskets)
    PRIMARY KEY (run_id, antecedent, consequent)
);

-- The published recommendations: per known customer the top products co-bought with their history
-- that they have not bought; because_of = the product of theirs behind the strongest rule.
CREATE TABLE bi.recommendations (
    run_id       bigint NOT NULL REFERENCES bi.recommend_runs (run_id) ON DELETE CASCADE,
    customer_id  bigint NOT NULL,
    rank         smallint NOT NULL,
    product_id   bigint NOT NULL,
    score        double precision NOT NULL,                -- sum of the rules' confidences
    because_of   bigint NOT NULL,
    PRIMARY KEY (run_id, customer_id, rank)
);

-- Drift at scoring (io.ecombi.churn): per feature the population stability index (PSI) of the
-- customers scored against the population the model was trained on, and '(score)': this run's
-- churn probabilities against the previous scoring run's. level by ecombi.drift.psi-moderate /
-- psi-major: 'stable', 'moderate', 'major'.
CREATE TABLE bi.churn_drift (
    run_id        bigint NOT NULL REFERENCES bi.churn_models (run_id) ON DELETE CASCADE,
    measure       text NOT NULL,                           -- a feature, or '(score)'
    compared_with text NOT NULL,                           -- 'training population as of <cutoff>' or 'scores of run <id>'
    bins          integer NOT NULL,
    psi           double precision NOT NULL,
    level         text NOT NULL CHECK (level IN ('stable', 'moderate', 'major')),
    PRIMARY KEY (run_id, measure)
);

-- The history of churn models: one row per trained model, newest first in the model report.
CREATE VIEW bi.churn_model_history AS
SELECT m.run_id, m.as_of, m.created_at, m.published,
       CAST(m.metadata->>'cv_auc_mean' AS double precision) AS cv_auc_mean,
       CAST(m.metadata->>'cv_auc_sd' AS double precision) AS cv_auc_sd,
       CAST(m.metadata->>'base_rate' AS double precision) AS base_rate,
       (SELECT MAX(d.psi) FROM bi.churn_drift d WHERE d.run_id = m.run_id AND d.measure <> '(score)') AS max_feature_psi,
       (SELECT d.measure FROM bi.churn_drift d WHERE d.run_id = m.run_id AND d.measure <> '(score)'
        ORDER BY d.psi DESC, d.measure LIMIT 1) AS most_drifted_feature,
       (SELECT d.psi FROM bi.churn_drift d WHERE d.run_id = m.run_id AND d.measure = '(score)') AS score_psi
FROM bi.churn_models m;
