-- The anomalies a run raised as new (bi.anomalies.first_run_id; the dashboard's "Did something
-- break?" alerts are the Critical and High ones of the last days), most severe and latest first.
SELECT metric, CAST(day AS text) AS day, kind, severity, actual, expected,
       ROUND(CAST(deviation_pct AS numeric), 1) AS deviation_pct, ROUND(CAST(robust_z AS numeric), 1) AS robust_z
FROM bi.anomalies
WHERE first_run_id = :#runId AND kind <> 'data_gap'
ORDER BY CASE severity WHEN 'Critical' THEN 1 WHEN 'High' THEN 2 WHEN 'Medium' THEN 3 ELSE 4 END, day DESC, metric
LIMIT :#limit
