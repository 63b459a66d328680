-- GET /api/customers/{id}: one customer as the latest succeeded run (:#runId) saw it, from the run's
-- own tables, so the answer matches that run's page and CSV files to the digit:
--   RFM (bi.rfm_customers: the customer is scored only with a sale in the RFM window),
--   churn (bi.churn_scores, only when the run's model was published; bi.churn_models says which model
--   and its cross-validated AUC, or why no usable model),
--   lifetime value (the run's customer_lifetime_value KPI rows in bi.kpi_rows),
--   the retention expected value, by sql/churn/retention_targets.sql's rule:
--   probability x expected net revenue x win-back rate - contact cost (:#winBackRate, :#contactCost),
--   the score's top three reasons (bi.churn_reasons, sql/churn/reasons.sql) as a JSON array.
-- One row; every part NULL that the run does not have for this customer.
SELECT (SELECT EXISTS (SELECT 1 FROM customers WHERE customer_id = :#customerId)) AS known,
       rc.segment, rc.recency_days, rc.frequency, rc.monetary, rc.r_score, rc.f_score, rc.m_score,
       m.run_id AS model_run_id, m.published, m.verdict,
       CAST(m.metadata->>'cv_auc_mean' AS double precision) AS cv_auc_mean,
       CAST(m.metadata->>'cv_auc_sd' AS double precision) AS cv_auc_sd,
       CAST(m.metadata->>'cv_folds' AS integer) AS cv_folds,
       s.churn_probability, s.risk_band, s.customer_value, s.expected_window_revenue,
       CASE WHEN s.run_id IS NOT NULL THEN
           ROUND(CAST(s.churn_probability * s.expected_window_revenue * CAST(:#winBackRate AS double precision)
                      - CAST(:#contactCost AS double precision) AS numeric), 2) END AS retention_expected_value,
       CAST(clv.row AS text) AS lifetime_value,
       (SELECT CAST(json_agg(json_build_object('reason', cr.reason, 'feature', cr.feature, 'value', cr.value,
                                              'average', cr.average, 'contribution', round(CAST(cr.contribution AS numeric), 4))
                             ORDER BY cr.rank) AS text)
        FROM bi.churn_reasons cr WHERE cr.run_id = s.run_id AND cr.customer_id = s.customer_id) AS reasons
FROM (SELECT CAST(:#runId AS bigint) AS run_id) r
LEFT JOIN bi.rfm_customers rc ON rc.run_id = r.run_id AND rc.customer_id = :#customerId
LEFT JOIN bi.churn_models m ON m.run_id = r.run_id
LEFT JOIN bi.churn_scores s ON s.run_id = r.run_id AND s.customer_id = :#customerId
LEFT JOIN bi.kpi_rows clv ON clv.run_id = r.run_id AND clv.kpi = 'customer_lifetime_value'
                         AND clv.row->>'customer_id' = CAST(:#customerId AS text)
