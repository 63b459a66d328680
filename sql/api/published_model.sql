-- POST /api/churn/predict: the churn model of the latest succeeded run (:#runId) with its terms
-- (per feature: training mean, standard deviation, coefficient on the standardized value; the
-- intercept as '(intercept)'), the same terms sql/churn/score.sql scored that run's customers with.
-- No term rows when the run has no model; published says whether it beat its baselines; stable
-- whether a term may be given as a reason (false: in the score, but not stated as why).
SELECT m.run_id, m.published, m.verdict,
       CAST(m.metadata->>'cv_auc_mean' AS double precision) AS cv_auc_mean,
       t.feature, t.mean, t.std_dev, t.coefficient, t.stable
FROM bi.churn_models m
JOIN bi.churn_model_terms t ON t.run_id = m.run_id
WHERE m.run_id = :#runId
ORDER BY t.feature
