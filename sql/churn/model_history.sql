-- The history of churn models for the model report, newest first (bi.churn_model_history, migration
-- V40): per trained model its date, cross-validated AUC, base rate, whether it was published, and the
-- drift measured when it scored (largest feature PSI and its feature, PSI of the scores against the
-- previous scoring run). The last 20 up to this run.
SELECT run_id, as_of, published, cv_auc_mean, cv_auc_sd, base_rate, max_feature_psi, most_drifted_feature, score_psi
FROM bi.churn_model_history
WHERE run_id <= (SELECT run_id FROM fact.params)
ORDER BY run_id DESC
LIMIT 20
