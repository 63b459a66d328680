-- Per-customer reasons for a churn score (issue 34): for each scored customer the three stable features
-- that move their log-odds most away from the average customer's (the training means), each term
-- being coefficient x (value - training mean) / training sd, the very term sql/churn/score.sql adds
-- into the probability. Written by sql/churn/reasons.sql right after the scores, read by the
-- retention list (sql/churn/retention_targets.sql) and GET /api/customers/{id}.
-- Whether a term is stable enough to be stated as a driver (ChurnModel: variance inflation at most
-- ecombi.churn.driver.max-vif, the same sign in ecombi.churn.driver.min-same-sign of the cross-validation
-- fits, not against the feature's own direction). An unstable term still counts in the score, but is not
-- given as a reason, as the model report does not call it a driver. NULL: a model saved before it was recorded.
ALTER TABLE bi.churn_model_terms ADD COLUMN stable boolean;

CREATE TABLE bi.churn_reasons (
    run_id        bigint NOT NULL,
    customer_id   bigint NOT NULL,
    rank          smallint NOT NULL CHECK (rank >= 1),        -- 1 = the largest push, either way
    feature       text NOT NULL,                              -- a term of bi.churn_model_terms
    value         double precision NOT NULL,                  -- the customer's value of the feature
    average       double precision NOT NULL,                  -- the training mean (the average customer)
    contribution  double precision NOT NULL,                  -- log-odds: > 0 towards churn, < 0 away from it
    reason        text NOT NULL,                              -- the same in plain words (bi.churn_reason)
    PRIMARY KEY (run_id, customer_id, rank),
    FOREIGN KEY (run_id, customer_id) REFERENCES bi.churn_scores (run_id, customer_id) ON DELETE CASCADE
);

-- A reason in plain words: what the customer's value is, next to the average customer's, and which
-- way it pushes the score ("no order for 94 days, usual gap 21: raises the risk"). usual_gap is the
-- customer's own average days between orders (NULL with one order), window_days the churn window.
-- The one wording of a reason: sql/churn/reasons.sql (stored reasons) and sql/api/predict_reasons.sql
-- (POST /api/churn/predict) both call it. A feature it does not know gets its name in words.
CREATE FUNCTION bi.churn_reason(feature text, value double precision, average double precision,
                                usual_gap double precision, window_days integer, contribution double precision)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    -- whole numbers for counts and days (v0, a0, g0), one or two places otherwise; pl: the plural's s
    SELECT CASE feature
               WHEN 'days_since_last_order' THEN
                   CASE WHEN usual_gap IS NULL THEN format('no order for %s day%s (average customer %s)', v0, pl, a0)
                        ELSE format('no order for %s day%s, usual gap %s', v0, pl, g0) END
               WHEN 'avg_days_per_order' THEN format('usually %s day%s between orders (average customer %s)', v0, pl, a0)
               WHEN 'total_orders' THEN format('%s order%s in all (average customer %s)', v0, pl, a1)
               WHEN 'total_spent' THEN format('spent %s in all (average customer %s)', v2, a2)
               WHEN 'avg_order_value' THEN format('orders worth %s on average (average customer %s)', v2, a2)
               WHEN 'customer_tenure_days' THEN format('a customer for %s day%s (average customer %s)', v0, pl, a0)
               WHEN 'recent_support_tickets' THEN format('%s support ticket%s in the last %s days (average customer %s)', v0, pl, window_days, a1)
               WHEN 'ticket_to_order_ratio' THEN format('%s support tickets per order (average customer %s)', v2, a2)
               WHEN 'orders_last_window' THEN format('%s order%s in the last %s days (average customer %s)', v0, pl, window_days, a1)
               WHEN 'orders_prior_window' THEN format('%s order%s in the %s days before those (average customer %s)', v0, pl, window_days, a1)
               ELSE format('%s %s (average customer %s)', replace(feature, '_', ' '), v2, a2)
           END
           || CASE WHEN contribution > 0 THEN ': raises the risk' WHEN contribution < 0 THEN ': lowers the risk' ELSE '' END
    FROM (SELECT CAST(round(CAST(value AS numeric)) AS text) AS v0, CAST(round(CAST(value AS numeric), 2) AS text) AS v2,
                 CAST(round(CAST(average AS numeric)) AS text) AS a0, CAST(round(CAST(average AS numeric), 1) AS text) AS a1,
                 CAST(round(CAST(average AS numeric), 2) AS text) AS a2, CAST(round(CAST(usual_gap AS numeric)) AS text) AS g0,
                 CASE WHEN round(CAST(value AS numeric)) = 1 THEN '' ELSE 's' END AS pl) x
$$;
