-- GET /api/runs: the latest :#limit runs, newest first, one JSON object each (what GET /api/runs/{id}
-- says of a run, without its stages). seconds = wall time, start to end (or to now while it runs).
SELECT json_build_object(
           'id', r.run_id, 'status', r.status, 'trigger', r.trigger, 'asOf', r.as_of,
           'startedAt', r.started_at, 'finishedAt', r.finished_at,
           'seconds', ROUND(CAST(EXTRACT(EPOCH FROM (COALESCE(r.finished_at, now()) - r.started_at)) AS numeric), 1),
           'error', r.error_text) AS run
FROM bi.pipeline_runs r
ORDER BY r.run_id DESC
LIMIT :#limit
