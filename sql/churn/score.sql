-- Scores every customer active on the as-of date inside PostgreSQL, so no customer is held in
-- memory. Grain: one row of bi.churn_scores per row of churn_features, the temp table
-- sql/churn/features_as_of.sql writes just before in the same transaction, run by the churn model
-- step with featureDate = labelEnd = as-of (in psql: BEGIN; that file with both dates the as-of
-- date; this file; COMMIT). Population: fact.churn_population(as-of), as that file says.
-- The probability is 1 / (1 + exp(-linear)), linear being the published model's linear predictor
-- from this run's rows of bi.churn_model_terms (per feature its training mean and standard
-- deviation and its coefficient on the standardized value, plus the intercept '(intercept)',
-- already corrected from the balanced training classes back to the base rate):
-- intercept + sum of coefficient x (value - mean) / sd, a missing value counting as the mean.
-- The terms are added in one fixed order (shorter feature names first, then by bytes), so the same
-- model and data give the same probabilities to the last bit. A term names a column of
-- churn_features; a name this file does not know stops the scoring with that name in the error.
-- Risk bands on this (base-rate) probability: high >= churn_band_high, medium >= churn_band_medium
-- (ecombi.churn.band-high / band-medium), else low; the model report measures the precision and
-- recall of exactly these bands.
-- Runs only for a published model (one that beat its baselines: see model_results.txt).
INSERT INTO bi.churn_scores (run_id, customer_id, churn_probability, risk_band, customer_value, expected_window_revenue)
WITH terms AS MATERIALIZED (
    SELECT t.feature, t.mean, t.std_dev, t.coefficient
    FROM bi.churn_model_terms t
    WHERE t.run_id = (SELECT run_id FROM fact.params)
)
SELECT p.run_id, f.customer_id, s.probability,
       CASE WHEN s.probability >= CAST(p.churn_band_high AS double precision) THEN 'high'
            WHEN s.probability >= CAST(p.churn_band_medium AS double precision) THEN 'medium' ELSE 'low' END,
       f.customer_value, f.expected_window_revenue
FROM churn_features f
CROSS JOIN fact.params p
CROSS JOIN LATERAL (
    SELECT 1 / (1 + exp(-(
               max(t.coefficient) FILTER (WHERE t.feature = '(intercept)')
             + sum(t.coefficient * COALESCE((v.value - t.mean) / NULLIF(t.std_dev, 0), 0)
                   ORDER BY octet_length(t.feature), t.feature COLLATE "C") FILTER (WHERE t.feature <> '(intercept)')))) AS probability
    FROM terms t
    CROSS JOIN LATERAL (
        SELECT CASE t.feature
                   WHEN '(intercept)' THEN NULL
                   WHEN 'total_orders' THEN CAST(f.total_orders AS double precision)
                   WHEN 'total_spent' THEN CAST(f.total_spent AS double precision)
                   WHEN 'avg_order_value' THEN CAST(f.avg_order_value AS double precision)
                   WHEN 'customer_tenure_days' THEN CAST(f.customer_tenure_days AS double precision)
                   WHEN 'days_since_last_order' THEN CAST(f.days_since_last_order AS double precision)
                   WHEN 'recent_support_tickets' THEN CAST(f.recent_support_tickets AS double precision)
                   WHEN 'avg_days_per_order' THEN CAST(f.avg_days_per_order AS double precision)
                   WHEN 'ticket_to_order_ratio' THEN CAST(f.ticket_to_order_ratio AS double precision)
                   WHEN 'orders_last_window' THEN CAST(f.orders_last_window AS double precision)
                   WHEN 'orders_prior_window' THEN CAST(f.orders_prior_window AS double precision)
                   WHEN 'customer_value' THEN CAST(f.customer_value AS double precision)
                   WHEN 'expected_window_revenue' THEN CAST(f.expected_window_revenue AS double precision)
                   -- an unknown term fails here: the text is not a number, and the error quotes it
                   ELSE CAST('churn model term ' || t.feature || ' is not a column sql/churn/score.sql scores' AS double precision)
               END AS value
    ) v
) s;

-- fresh statistics for the scores just written, so the queries reading them plan for their size
ANALYZE bi.churn_scores;
