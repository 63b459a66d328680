-- Which customers of a training set the model is fitted on. Grain: one row per customer of
-- churn_features, the temp table sql/churn/features_as_of.sql writes just before on the same
-- connection (the training set as of as-of - churn_days, or the out-of-time check's set one window
-- earlier), so the population is fact.churn_population of that date. Every row of the set comes
-- back, in customer order, so the whole set is still written to data/churn_training_set.csv, and
-- in_sample says which rows the step keeps: all of them when the set has at most
-- churn_max_training_rows customers (ecombi.churn.max-training-rows; 0 = no cap), else a stratified
-- random sample of exactly that many, each class (churned or not) in proportion to its size (the
-- churned share rounded half up), so the churn share stays that of the whole set. The draw is by a
-- hash of churn_seed (ecombi.churn.seed) and the customer id: the same data and seed give the same
-- sample, and a customer's place in the draw does not depend on the others. Drawn here and not in
-- Java, so a large shop's set never has to fit in the JVM's memory.
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
        FROM churn_features f
    ) d
) q
ORDER BY q.customer_id
