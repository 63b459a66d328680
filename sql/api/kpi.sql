-- GET /api/kpis/{name}: a KPI table of a run as the run stored it in bi.kpi_tables / bi.kpi_rows
-- (the same table its CSV file and the dashboard were written from), rows in their order.
-- No row when the run has no such KPI. stored = false: more rows than ecombi.bi.store-max-rows.
SELECT t.kpi, t.as_of, t.columns, t.row_count, t.stored, t.note,
       CAST(COALESCE((SELECT json_agg(k.row ORDER BY k.row_no) FROM bi.kpi_rows k
                      WHERE k.run_id = t.run_id AND k.kpi = t.kpi), json_build_array()) AS text) AS rows
FROM bi.kpi_tables t
WHERE t.run_id = :#runId AND t.kpi = :#kpi
