-- The KPI tables a run stored, for the answer to an unknown KPI name.
SELECT kpi FROM bi.kpi_tables WHERE run_id = :#runId ORDER BY kpi
