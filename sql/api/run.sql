-- GET /api/runs/{id}: one run with its stages (rows and timings) in the order they started; no row
-- when the run does not exist. A queued run has no stages yet.
SELECT json_build_object(
           'id', r.run_id, 'status', r.status, 'trigger', r.trigger, 'asOf', r.as_of,
           'startedAt', r.started_at, 'finishedAt', r.finished_at,
           'seconds', ROUND(CAST(EXTRACT(EPOCH FROM (COALESCE(r.finished_at, now()) - r.started_at)) AS numeric), 1),
           'error', r.error_text,
           'stages', COALESCE((
               SELECT json_agg(json_build_object(
                          'seq', s.seq, 'name', s.stage, 'status', s.status, 'rows', s.row_count,
                          'startedAt', s.started_at, 'finishedAt', s.finished_at,
                          'seconds', ROUND(CAST(EXTRACT(EPOCH FROM (COALESCE(s.finished_at, now()) - s.started_at)) AS numeric), 2),
                          'detail', s.detail) ORDER BY s.seq)
               FROM bi.run_stages s WHERE s.run_id = r.run_id), json_build_array())) AS run,
       r.status, r.report_dir
FROM bi.pipeline_runs r
WHERE r.run_id = :#runId
