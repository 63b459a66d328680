-- Which customers of a training set the model is fitted on. The churn model step puts
-- 'WITH features AS (churn/features_as_of.sql)' in front of this statement (training set, or the
-- out-of-time check's set one window earlier). Every row of the set comes back, so the whole set is
-- still written to data/churn_training_set.csv, and in_sample says which rows the step keeps:
-- all of them when the set has at most :maxRows customers (ecombi.churn.max-training-rows; 0 = no
-- cap), else a stratified random sample of exactly :maxRows, each class (churned or not) in
-- proportion to its size (the churned share rounded half up), so the churn share stays that of the
-- whole set. The draw is by a hash of :seed (ecombi.churn.seed) and the customer id: the same data
-- and seed give the same sample, and a customer's place in the draw does not depend on the others.
-- Drawn here and not in Java, so a large shop's set never has to fit in the JVM's memory. No WITH of
-- its own: it follows the step's 'WITH features AS (...)'.
SELECT q.*,
       CASE WHEN (SELECT churn_max_training_rows FROM fact.params) <= 0 OR q.set_size <= (SELECT churn_max_training_rows FROM fact.params) THEN true
            WHEN q.churned_next_window THEN q.draw <= q.churned_quota
            ELSE q.draw <= (SELECT churn_max_training_rows FROM fact.params) - q.churned_quota
       END AS in_sample
FROM (
    SELECT d.*, ROUND(CAST(d.set_churned AS numeric) * (SELECT churn_max_training_rows FROM fact.params) / d.set_size) AS churned_quota
    FROM (
        SELECT f.*,
               COUNT(*) OVER () AS set_size,
               COUNT(*) FILTER (WHERE f.churned_next_window) OVER () AS set_churned,
               ROW_NUMBER() OVER (PARTITION BY f.churned_next_window
                                  ORDER BY md5(CAST((SELECT churn_seed FROM fact.params) AS text) || ':' || CAST(f.customer_id AS text)), f.customer_id) AS draw
        FROM features f
    ) d
) q
ORDER BY q.customer_id
