-- Readiness: the latest run (any status) and the latest succeeded run, with the age in hours of the
-- latter's end; no row for a shop that has never run. A run still queued or running is reported as
-- such; the age is what decides readiness (ecombi.health.max-run-age-hours).
SELECT l.run_id AS last_run_id, l.status AS last_status, l.trigger AS last_trigger, l.finished_at AS last_finished_at,
       l.error_text AS last_error,
       s.run_id AS succeeded_run_id, s.as_of AS succeeded_as_of, s.finished_at AS succeeded_finished_at,
       ROUND(CAST(EXTRACT(EPOCH FROM (now() - s.finished_at)) / 3600 AS numeric), 2) AS succeeded_age_hours
FROM (SELECT * FROM bi.pipeline_runs ORDER BY run_id DESC LIMIT 1) l
LEFT JOIN LATERAL (SELECT * FROM bi.pipeline_runs WHERE status = 'succeeded' ORDER BY run_id DESC LIMIT 1) s ON true
