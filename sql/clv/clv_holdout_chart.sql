-- The CLV hold-out check of this run for its chart (clv_holdout_chart.png): per bucket of repeat
-- purchases before the hold-out (0, 1, ..., 7+), the customers and their repeat purchases in the
-- hold-out per customer: actual, predicted by the BG/NBD fit on the calibration part, and by the
-- baseline "repeat at the past rate" (bi.clv_holdout, written by the clv step). Empty when the check
-- did not run. The totals per bucket are in data/clv_holdout.csv.
SELECT h.bucket_label AS calibration_repeat_purchases, h.customers,
       ROUND(CAST(h.actual_purchases / NULLIF(h.customers, 0) AS numeric), 3) AS actual_per_customer,
       ROUND(CAST(h.predicted_purchases / NULLIF(h.customers, 0) AS numeric), 3) AS predicted_per_customer,
       ROUND(CAST(h.baseline_purchases / NULLIF(h.customers, 0) AS numeric), 3) AS baseline_per_customer
FROM bi.clv_holdout h
WHERE h.run_id = (SELECT run_id FROM fact.params)
ORDER BY h.bucket
