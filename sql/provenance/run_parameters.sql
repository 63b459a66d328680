-- The run's own parameters, which every KPI file reads (not bound: fact.params and the report
-- window, fact.report_window), as one JSON object for the provenance of each table.
SELECT CAST(to_jsonb(p) || to_jsonb(w) AS text) AS parameters
FROM fact.params p CROSS JOIN fact.report_window w
