-- RFM segment movement. Grain: one row per (previous segment, current segment) pair with
-- customers. Compares this run's bi.rfm_customers with those of the previous succeeded run that
-- scored customers (previous_run_id, previous_as_of). On a first run (no such run) every customer
-- is counted from '(no previous run)' to its segment, previous_run_id empty. A customer
-- scored now but not then is 'new in the window'; one scored then but not now is 'left the window'
-- (no sale in the trailing ecombi.rfm.window-months months any more).
WITH prev AS (
    SELECT max(r.run_id) AS run_id FROM bi.pipeline_runs r
    WHERE r.run_id < (SELECT run_id FROM fact.params) AND r.status = 'succeeded'
      AND EXISTS (SELECT 1 FROM bi.rfm_customers x WHERE x.run_id = r.run_id)
),
now_c AS (SELECT customer_id, segment FROM bi.rfm_customers WHERE run_id = (SELECT run_id FROM fact.params)),
then_c AS (SELECT customer_id, segment FROM bi.rfm_customers WHERE run_id = (SELECT run_id FROM prev))
SELECT (SELECT run_id FROM prev) AS previous_run_id,
       (SELECT as_of FROM bi.pipeline_runs WHERE run_id = (SELECT run_id FROM prev)) AS previous_as_of,
       COALESCE(t.segment, CASE WHEN (SELECT run_id FROM prev) IS NULL THEN '(no previous run)' ELSE 'new in the window' END) AS previous_segment,
       COALESCE(n.segment, 'left the window') AS current_segment,
       COUNT(*) AS customers
FROM now_c n
FULL JOIN then_c t ON t.customer_id = n.customer_id
GROUP BY 3, 4
ORDER BY 3, 4
