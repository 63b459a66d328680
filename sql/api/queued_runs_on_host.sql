-- At start: runs queued on this host (host = '<hostname>/<pid>', RunRecorder.host). Those whose
-- process has ended never started and are marked interrupted (fail_queued_run.sql); queued runs of
-- a live process, or of another host, may still be waiting in their own process and are left alone.
SELECT run_id, host FROM bi.pipeline_runs WHERE status = 'queued' AND split_part(host, '/', 1) = :#hostname
