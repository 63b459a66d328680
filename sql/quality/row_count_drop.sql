-- severity: error
-- check: a shop table has lost more than :max_row_drop_pct percent (ecombi.quality.max-row-drop-pct) of
-- its rows since this shop's last succeeded run: data went missing upstream (if you emptied the shop on
-- purpose, `bin/ecombi reset --shop NAME` starts it over; ecombi.quality.severity.row_count_drop=warn lets the run go on)
-- (the quality gate records this run's counts in bi.table_counts before the checks run)

-- Like with like: each shop is a database of its own, so this compares only with runs of the same
-- shop; a shop just created or reset has no succeeded run yet, and a first real load (into the shop
-- default, never the demo shop) is compared with nothing.
WITH now AS (
    SELECT table_name, row_count FROM bi.table_counts WHERE run_id = (SELECT run_id FROM fact.params)
),
before AS (
    SELECT t.table_name, t.row_count, t.run_id
    FROM bi.table_counts t
    WHERE t.run_id = (SELECT MAX(r.run_id) FROM bi.pipeline_runs r
                      WHERE r.status = 'succeeded' AND r.run_id < (SELECT run_id FROM fact.params)
                        AND EXISTS (SELECT 1 FROM bi.table_counts c WHERE c.run_id = r.run_id))
)
SELECT n.table_name, b.row_count AS rows_before, n.row_count AS rows_now, b.run_id AS compared_with_run,
       ROUND(100.0 * (b.row_count - n.row_count) / b.row_count, 2) AS drop_pct
FROM now n JOIN before b ON b.table_name = n.table_name
WHERE b.row_count > 0 AND 100.0 * (b.row_count - n.row_count) / b.row_count > CAST((SELECT max_row_drop_pct FROM fact.params) AS numeric)
ORDER BY drop_pct DESC
