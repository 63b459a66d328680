-- The churn probabilities of this run (current true) and of the latest earlier succeeded run that
-- scored customers (current false), to compare the two distributions (drift of the scores,
-- io.ecombi.churn.Drift; bi.churn_drift measure '(score)'). No earlier rows: the first scoring run.
WITH previous AS (
    SELECT MAX(s.run_id) AS run_id
    FROM bi.churn_scores s
    JOIN bi.pipeline_runs r ON r.run_id = s.run_id AND r.status = 'succeeded'
    WHERE s.run_id < (SELECT run_id FROM fact.params)
)
SELECT s.run_id, s.run_id = (SELECT run_id FROM fact.params) AS current, s.churn_probability
FROM bi.churn_scores s
WHERE s.run_id = (SELECT run_id FROM fact.params) OR s.run_id = (SELECT run_id FROM previous)
