package io.ecombi.api;

import io.ecombi.db.SqlFile;
import io.ecombi.run.RunGate;
import io.ecombi.run.RunLifecycle;
import io.ecombi.run.RunRecorder;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs asked for over the API (POST /api/runs). Each is recorded 'queued' at once (its id goes back
 * to the caller) and then goes through direct:run on a thread of its own queue, one after the other:
 * behind a run in progress it waits for the run lock like a trigger file does (up to
 * ecombi.run.lock-wait-seconds), and it passes the run gate like a command-line run, so it never
 * enters a route that an edit is replacing. A queued run that never starts (ecombi stops) is
 * recorded interrupted with the reason.
 */
public final class RunQueue {
    private static final Logger LOG = LoggerFactory.getLogger(RunQueue.class);
    private final DataSource ds;
    private final Path sqlDir;
    private final RunGate gate;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ecombi-api-runs");
        t.setDaemon(true);
        return t;
    });
    private final Set<Long> pending = ConcurrentHashMap.newKeySet();
    private volatile ProducerTemplate template;
    private volatile boolean stopping;

    public RunQueue(DataSource ds, Path sqlDir, RunGate gate) {
        this.ds = ds;
        this.sqlDir = sqlDir;
        this.gate = gate;
    }

    /** Once Camel runs: the template the queue sends runs with. */
    public void attach(CamelContext context) {
        this.template = context.createProducerTemplate();
    }

    /** Records the run 'queued' and queues it; returns its id. */
    public long submit(LocalDate asOf) throws Exception {
        if (stopping || template == null) throw new ApiProblem(503, "ecombi is stopping (or not started yet): no new run is accepted; ask again later");
        List<Map<String, Object>> rows = sql("create_queued_run.sql").rows(ds, Map.of("trigger", "api", "host", RunRecorder.host()));
        long id = ((Number) rows.get(0).get("run_id")).longValue();
        pending.add(id);
        LOG.info("run {} queued (trigger api{})", id, asOf == null ? "" : ", as of " + asOf);
        executor.execute(() -> execute(id, asOf));
        return id;
    }

    private void execute(long id, LocalDate asOf) {
        try {
            if (stopping) return;
            gate.beginWork();
            Exchange result;
            try {
                result = template.request("direct:run", ex -> {
                    ex.getMessage().setHeader(RunLifecycle.TRIGGER_HEADER, "api");
                    ex.getMessage().setHeader(RunLifecycle.RUN_ID_HEADER, id);
                    if (asOf != null) ex.getMessage().setHeader(RunLifecycle.AS_OF_HEADER, asOf);
                });
            } finally {
                gate.endWork();
            }
            // a run that did not get as far as starting (ecombi stopping, the lock wait ran out) keeps no 'queued' row
            if (result.getException() != null) endQueued(id, "failed", result.getException().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            endQueued(id, "interrupted", "ecombi stopped before the queued run started; ask for it again");
        } catch (Exception e) {
            LOG.warn("run {} (api) could not run: {}", id, e.getMessage());
            endQueued(id, "failed", e.getMessage());
        } finally {
            pending.remove(id);
        }
    }

    /** ecombi stops: no new run; the runs still waiting in the queue are recorded interrupted. */
    public void stop() {
        stopping = true;
        executor.shutdownNow();
        for (Long id : pending) endQueued(id, "interrupted", "ecombi stopped before the queued run started; ask for it again");
    }

    /** At start: runs queued on this host by a process that has ended never started: interrupted, with the reason. */
    public static void recoverAtStart(DataSource ds, Path sqlDir) {
        try {
            String host = RunRecorder.host();
            String hostname = host.contains("/") ? host.substring(0, host.indexOf('/')) : host;
            for (Map<String, Object> r : SqlFile.read(sqlDir.resolve("api/queued_runs_on_host.sql")).rows(ds, Map.of("hostname", hostname))) {
                String h = String.valueOf(r.get("host"));
                long pid;
                try {
                    pid = Long.parseLong(h.substring(h.indexOf('/') + 1));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
                long id = ((Number) r.get("run_id")).longValue();
                end(ds, sqlDir, id, "interrupted", "queued, and the ecombi process that queued it (" + h + ") ended before it started; ask for it again");
                LOG.warn("run {} was still queued by an ended process ({}): now interrupted", id, h);
            }
        } catch (Exception e) {
            LOG.warn("could not check for queued runs left by an ended process: {}", e.getMessage());
        }
    }

    private void endQueued(long id, String status, String reason) {
        end(ds, sqlDir, id, status, reason);
    }

    private static void end(DataSource ds, Path sqlDir, long id, String status, String reason) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("status", status);
        p.put("reason", reason);
        p.put("runId", id);
        try {
            SqlFile.read(sqlDir.resolve("api/fail_queued_run.sql")).execute(ds, p);
        } catch (Exception e) {
            LOG.warn("could not record queued run {} as {}: {}", id, status, e.getMessage());
        }
    }

    private SqlFile sql(String name) throws java.io.IOException {
        return SqlFile.read(sqlDir.resolve("api").resolve(name));
    }
}
