-- Scores every active customer as of the as-of date inside PostgreSQL, so no customer is held in
-- memory: the churn model step puts 'WITH features AS (churn/features_as_of.sql), scored AS (...)'
-- in front of this statement, with featureDate = labelEnd = as-of. scored is features plus
-- linear: the published model's linear predictor, written out from the run's rows of
-- bi.churn_model_terms (per feature its training mean and standard deviation and its coefficient on
-- the standardized value, plus the intercept '(intercept)', already corrected from the balanced
-- training classes back to the base rate): intercept + sum of coefficient x (value - mean) / sd,
-- a missing feature value counting as the training mean. Risk bands on this (base-rate) probability:
-- high >= :bandHigh, medium >= :bandMedium (ecombi.churn.band-high / band-medium), else low; the
-- model report measures the precision and recall of exactly these bands.
-- Runs only for a published model (one that beat its baselines: see model_results.txt).
INSERT INTO bi.churn_scores (run_id, customer_id, churn_probability, risk_band, customer_value, expected_window_revenue)
SELECT CAST(:#runId AS bigint), s.customer_id, s.probability,
       CASE WHEN s.probability >= CAST(:#bandHigh AS double precision) THEN 'high'
            WHEN s.probability >= CAST(:#bandMedium AS double precision) THEN 'medium' ELSE 'low' END,
       s.customer_value, s.expected_window_revenue
FROM (
    SELECT customer_id, customer_value, expected_window_revenue, 1 / (1 + exp(-(linear))) AS probability
    FROM scored
) s
