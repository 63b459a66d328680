-- Scores every active customer as of the as-of date inside PostgreSQL, so no customer is held in
-- memory: the churn model step puts 'WITH features AS (churn/features_as_of.sql)' in front of
-- this statement, with featureDate = labelEnd = as-of.
-- The model is the run's row set in bi.churn_model_terms: per feature its training mean and
-- standard deviation and its coefficient on the standardized value, plus the intercept (feature
-- '(intercept)', already corrected from the balanced training classes back to the base rate).
-- A missing feature value counts as the training mean. Risk bands on this (base-rate) probability:
-- high >= :bandHigh, medium >= :bandMedium (ecombi.churn.band-high / band-medium), else low; the
-- model report measures the precision and recall of exactly these bands.
-- Runs only for a published model (one that beat its baselines: see model_results.txt).
INSERT INTO bi.churn_scores (run_id, customer_id, churn_probability, risk_band, customer_value, expected_window_revenue)
SELECT CAST(:#runId AS bigint), s.customer_id, s.probability,
       CASE WHEN s.probability >= CAST(:#bandHigh AS double precision) THEN 'high'
            WHEN s.probability >= CAST(:#bandMedium AS double precision) THEN 'medium' ELSE 'low' END,
       s.customer_value, s.expected_window_revenue
FROM (
    SELECT f.customer_id, f.customer_value, f.expected_window_revenue,
           1 / (1 + exp(-(i.coefficient + SUM(m.coefficient *
                 COALESCE((CAST(kv.value AS double precision) - m.mean) / NULLIF(m.std_dev, 0), 0))))) AS probability
    FROM features f
    CROSS JOIN LATERAL jsonb_each_text(to_jsonb(f)) AS kv
    JOIN bi.churn_model_terms m ON m.run_id = CAST(:#runId AS bigint) AND m.feature = kv.key
    JOIN bi.churn_model_terms i ON i.run_id = CAST(:#runId AS bigint) AND i.feature = '(intercept)'
    GROUP BY f.customer_id, f.customer_value, f.expected_window_revenue, i.coefficient
) s
