-- The top three reasons for every churn score this run wrote: per scored customer, the model's
-- terms ranked by how far each moves the customer's log-odds from the average customer's, i.e.
-- coefficient x (value - training mean) / training sd, exactly the term sql/churn/score.sql adds
-- (same rows of bi.churn_model_terms, same scaling; a missing value counts as the mean and so is no
-- reason). Only the stable terms (bi.churn_model_terms.stable, the drivers of the model report) are
-- reasons: an unstable term's effect is not pinned down by the data, so it is in the score but is
-- not stated to a reader as why. What the unstable terms push together is said instead, in one more
-- row after the reasons (rank 4, feature '(unstable terms)', value = how many push, contribution =
-- their sum), so a reader sees when the stated reasons are not the whole score. Ranked by the size of the push either way (a low score has reasons too: what keeps it
-- low), ties by feature name; a push of exactly 0 is not a reason, so a customer may have fewer
-- than three. Grain: up to three rows of bi.churn_reasons per row of bi.churn_scores of the run.
-- Runs in the scoring transaction, after sql/churn/score.sql, on the temp table churn_features
-- (sql/churn/features_as_of.sql as of the as-of date). The words: bi.churn_reason (migration V38).
INSERT INTO bi.churn_reasons (run_id, customer_id, rank, feature, value, average, contribution, reason)
WITH terms AS MATERIALIZED (
    SELECT t.feature, t.mean, t.std_dev, t.coefficient, t.stable IS NOT FALSE AS stable
    FROM bi.churn_model_terms t
    WHERE t.run_id = (SELECT run_id FROM fact.params) AND t.feature <> '(intercept)'
),
customers AS (
    SELECT f.customer_id, to_jsonb(f) AS j FROM churn_features f
),
pushes AS (
    SELECT c.customer_id, t.feature, t.stable, v.value, t.mean,
           t.coefficient * COALESCE((v.value - t.mean) / NULLIF(t.std_dev, 0), 0) AS contribution,
           CAST(c.j ->> 'avg_days_per_order' AS double precision) AS usual_gap
    FROM customers c
    CROSS JOIN terms t
    CROSS JOIN LATERAL (SELECT CAST(c.j ->> t.feature AS double precision) AS value) v
    WHERE v.value IS NOT NULL
),
ranked AS (
    SELECT p.*, row_number() OVER (PARTITION BY p.customer_id ORDER BY abs(p.contribution) DESC, p.feature COLLATE "C") AS rank
    FROM pushes p
    WHERE p.contribution <> 0 AND p.stable
),
unstable AS (
    SELECT p.customer_id, COUNT(*) AS terms, SUM(p.contribution) AS contribution,
           string_agg(p.feature, ', ' ORDER BY abs(p.contribution) DESC, p.feature COLLATE "C") AS features
    FROM pushes p
    WHERE p.contribution <> 0 AND NOT p.stable
    GROUP BY p.customer_id
)
SELECT fp.run_id, r.customer_id, r.rank, r.feature, r.value, r.mean, r.contribution,
       bi.churn_reason(r.feature, r.value, r.mean, r.usual_gap, fp.churn_days, r.contribution)
FROM ranked r
CROSS JOIN fact.params fp
WHERE r.rank <= 3
UNION ALL
SELECT fp.run_id, u.customer_id, 4, '(unstable terms)', u.terms, 0, u.contribution,
       format('not stated: %s, whose effect the data does not pin down, push %s together', u.features,
              to_char(u.contribution, 'FMSG999990.00'))
FROM unstable u
CROSS JOIN fact.params fp;
