-- bi.kpi_rows loses its foreign key to bi.kpi_tables: it checked every row of a run's KPI tables one by one
-- (2.3 of the 3.8 s it took to store 180,199 rows at 1M order lines). ecombi writes and deletes a run's rows of both
-- tables in one transaction (KpiHistory), so the reference holds without the check; a run removed by hand from
-- bi.kpi_tables leaves its bi.kpi_rows, which bi.kpi_rows_orphaned lists.
ALTER TABLE bi.kpi_rows DROP CONSTRAINT IF EXISTS kpi_rows_run_id_kpi_fkey;

CREATE VIEW bi.kpi_rows_orphaned AS
SELECT r.run_id, r.kpi, count(*) AS rows
FROM bi.kpi_rows r
WHERE NOT EXISTS (SELECT 1 FROM bi.kpi_tables t WHERE t.run_id = r.run_id AND t.kpi = r.kpi)
GROUP BY r.run_id, r.kpi;
