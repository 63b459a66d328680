package io.ecombi.run;

import io.ecombi.Settings;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * Opens and closes a run around the pipeline route: takes the run lock, writes the run record,
 * resolves the as-of date, and on failure records which stage failed and why.
 */
public final class RunLifecycle {
    /** Who started the run: cli, cron, inbox:<file>, api. */
    public static final String TRIGGER_HEADER = "ecombiTrigger";
    /** Requested as-of date (LocalDate or ISO text); default: the latest completed order's date. */
    public static final String AS_OF_HEADER = "ecombiAsOf";
    /** The id of a run recorded 'queued' before it started (POST /api/runs): the run takes that record instead of opening one. */
    public static final String RUN_ID_HEADER = "ecombiRunId";
    /** Exchange property: true once the run was marked interrupted by a stop (its trigger goes back to the inbox). */
    public static final String INTERRUPTED_PROPERTY = "ecombiInterrupted";
    private static final String LOCK_PROPERTY = "ecombiRunLock";
    private static final String GATE_PROPERTY = "ecombiRunGate";
    private static final Logger LOG = LoggerFactory.getLogger(RunLifecycle.class);

    private final DataSource ds;
    private final RunRecorder recorder;
    private final Path reportsDir;
    private final Duration lockWait;
    private final int keepRuns;
    private final int maxDaysAfterData;
    private final RunGate gate;
    private final Path sqlDir;
    /** The exchange of the run in progress in this process, if any. */
    private volatile Exchange current;
    private volatile boolean stopping;
    private final Object idle = new Object();

    public RunLifecycle(DataSource ds, Settings settings) {
        this(ds, settings, new RunGate());
    }

    public RunLifecycle(DataSource ds, Settings settings, RunGate gate) {
        this.ds = ds;
        this.recorder = new RunRecorder(ds);
        this.reportsDir = io.ecombi.shop.Shop.of(settings).reportsDir();   // reports/<shop>/
        this.lockWait = Duration.ofSeconds(settings.getInt("ecombi.run.lock-wait-seconds"));
        this.keepRuns = Math.max(1, settings.getInt("ecombi.reports.keep-runs"));
        this.maxDaysAfterData = settings.getInt("ecombi.run.as-of-max-days-after-data");
        this.gate = gate;
        this.sqlDir = settings.path("ecombi.sql.dir");
    }

    public RunGate gate() { return gate; }

    /**
     * At start: when no run holds the run lock, every run still 'running' is dead (its process was
     * killed or stopped): mark it and its open stages interrupted and remove its partial folder.
     * (Loads are checked by their own lock: ingest.LoadOwnership.)
     */
    public void recoverAtStart() {
        RunLock lock = RunLock.tryAcquire(ds);
        if (lock == null) {
            LOG.info("a run is in progress on another ecombi: runs left 'running' are checked when the next run here takes the lock");
        } else {
            try {
                cleanUpAbandoned("found still running when ecombi started on " + RunRecorder.host() + "; its process had ended");
            } finally {
                lock.close();
            }
        }
    }

    /** Under the run lock: mark dead runs interrupted, remove the folders of runs that did not succeed. */
    private void cleanUpAbandoned(String reason) {
        recorder.interruptAbandoned(reason);
        Path runs = reportsDir.resolve("runs");
        if (!Files.isDirectory(runs)) return;
        java.util.Set<String> unpublished = recorder.unpublishedRunIds();
        try (var dirs = Files.list(runs)) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                String name = d.getFileName().toString();
                if (!unpublished.contains(name) || isLatest(d)) continue;
                deleteTree(d);
                LOG.info("removed the partial folder {} of a run that did not succeed", d);
            }
        } catch (java.io.IOException e) {
            LOG.warn("could not clean up partial run folders in {}: {}", runs, e.getMessage());
        }
    }

    private boolean isLatest(Path runDir) {
        try {
            Path latest = reportsDir.resolve("latest");
            return Files.isSymbolicLink(latest) && latest.toRealPath().equals(runDir.toRealPath());
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        try (var walk = Files.walk(p)) {
            for (Path x : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) Files.deleteIfExists(x);
        }
    }

    /** ecombi is stopping: runs not yet started are refused (a trigger file stays in the inbox). */
    public void stopAccepting() {
        stopping = true;
    }

    public void open(Exchange exchange) {
        String trigger = exchange.getMessage().getHeader(TRIGGER_HEADER, "direct", String.class);
        Object requested = exchange.getMessage().getHeader(AS_OF_HEADER);
        if (stopping) {
            exchange.setProperty(INTERRUPTED_PROPERTY, Boolean.TRUE);
            throw new PipelineFailedException("ecombi is stopping: the run for trigger " + trigger + " was not started", null);
        }
        RunLock lock = RunLock.acquire(ds, lockWait, recorder::describeRunning);
        exchange.setProperty(LOCK_PROPERTY, lock);
        try {
            gate.enterRun();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PipelineFailedException("Run interrupted before it started", e);
        }
        exchange.setProperty(GATE_PROPERTY, Boolean.TRUE);
        if (stopping) {
            exchange.setProperty(INTERRUPTED_PROPERTY, Boolean.TRUE);
            throw new PipelineFailedException("ecombi is stopping: the run for trigger " + trigger + " was not started", null);
        }
        // holding the run lock: any other run still 'running' is dead
        cleanUpAbandoned("found still running by the next run, which holds the run lock; its process had ended or been stopped");
        Long queued = exchange.getMessage().getHeader(RUN_ID_HEADER, Long.class);
        long id = queued == null ? recorder.open(trigger) : claimQueued(queued);
        current = exchange;
        try {
            LocalDate asOf = requested == null ? latestOrderDate() : toDate(requested);
            if (requested != null) requireOrdersUpTo(asOf);
            Path dir = reportsDir.resolve("runs").resolve(String.valueOf(id));
            recorder.setAsOf(id, asOf, dir.toString());
            PipelineRun run = new PipelineRun(id, trigger, asOf, dir, recorder);
            exchange.setProperty(PipelineRun.PROPERTY, run);
            LOG.info("run {} started (trigger {}, as of {})", id, trigger, asOf);
        } catch (RuntimeException e) {
            recorder.close(id, "failed", e.getMessage());
            LOG.error("run {} failed before its first stage: {}", id, e.getMessage());
            throw new PipelineFailedException("Run " + id + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Records the run succeeded (committed) before its report is published: a run a stop has already
     * recorded interrupted is not succeeded and is not published (its trigger goes back to the inbox).
     */
    public void succeed(Exchange exchange) {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        if (!recorder.close(run.id(), "succeeded", null)) {
            exchange.setProperty(INTERRUPTED_PROPERTY, Boolean.TRUE);
            throw new PipelineFailedException("Run " + run.id() + " interrupted: ecombi is stopping; it ended after the stop's grace period, "
                    + "so it is recorded interrupted and not published", null);
        }
        run.finish("succeeded", null);
        try {
            long pruned = recorder.prune(keepRuns);
            if (pruned > 0) LOG.info("run {}: deleted {} per-run row(s) of runs older than the last {} kept", run.id(), pruned, keepRuns);
        } catch (RuntimeException e) {
            LOG.warn("run {}: could not prune old per-run rows: {}", run.id(), e.getMessage());
        }
        LOG.info("run {} succeeded in {} s", run.id(), String.format("%.1f",
                Duration.between(run.startedAt(), java.time.Instant.now()).toMillis() / 1000.0));
    }

    /** Records the failure (stage, cause) and rethrows, so the trigger (file, CLI) sees it too. */
    public void fail(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        if (e instanceof PipelineFailedException pfe) throw pfe;   // already recorded
        if (Boolean.TRUE.equals(exchange.getProperty(INTERRUPTED_PROPERTY))) {
            throw new PipelineFailedException("Run " + (run == null ? "" : run.id() + " ") + "interrupted: ecombi is stopping", e);
        }
        if (run == null) throw new PipelineFailedException("Run failed: " + ErrorText.of(e), e);
        // the branches and the KPI split wait for all their tasks, so by now a stage still open is one whose step failed
        Stage failedStage = run.stages().stream().filter(s -> "running".equals(s.status())).findFirst().orElse(null);
        String where = failedStage == null ? "the pipeline"
                : "stage '" + failedStage.name() + "'" + (failedStage.detail() == null ? "" : " (" + failedStage.detail() + ")");
        String message = where + " failed: " + ErrorText.of(e);
        run.failOpenStages(ErrorText.of(e));
        run.finish("failed", message);
        recorder.close(run.id(), "failed", message);
        LOG.error("run {} failed: {}", run.id(), message);
        throw new PipelineFailedException("Run " + run.id() + " failed: " + message, e);
    }

    public void release(Exchange exchange) {
        if (current == exchange) {
            synchronized (idle) {
                current = null;
                idle.notifyAll();
            }
        }
        if (exchange.removeProperty(GATE_PROPERTY) != null) gate.exitRun();
        RunLock lock = exchange.getProperty(LOCK_PROPERTY, RunLock.class);
        if (lock != null) {
            lock.close();
            exchange.removeProperty(LOCK_PROPERTY);
        }
    }

    /** The run in progress in this process, or null. */
    public PipelineRun currentRun() {
        Exchange ex = current;
        return ex == null ? null : ex.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
    }

    /** Waits up to the grace period for the run in progress (if any) to end; true when none is left. */
    public boolean awaitIdle(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (idle) {
            while (current != null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                idle.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    /**
     * ecombi is stopping and the run in progress did not end within the grace period: record it
     * interrupted with the reason (the database is still up: it stops last). The exchange is marked
     * so its trigger goes back to the inbox instead of inbox/failed/. Returns the run id, or -1.
     */
    public long interruptCurrent(String reason) {
        Exchange ex = current;
        if (ex == null) return -1;
        ex.setProperty(INTERRUPTED_PROPERTY, Boolean.TRUE);
        PipelineRun run = ex.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        if (run == null) return -1;
        if (!recorder.interrupt(run.id(), reason)) {
            // it ended (recorded succeeded or failed) a moment before: it keeps that end, and its trigger goes where it says
            ex.removeProperty(INTERRUPTED_PROPERTY);
            LOG.info("run {} had just ended as the grace period ran out: it keeps its own end, not interrupted", run.id());
            return run.id();
        }
        run.interrupt(reason);
        LOG.warn("run {} interrupted: {}", run.id(), reason);
        return run.id();
    }

    /** A run queued over the API starts: its record turns 'running'; a record no longer queued (interrupted meanwhile) is not run. */
    private long claimQueued(long id) {
        try {
            var rows = io.ecombi.db.SqlFile.read(sqlDir.resolve("api/claim_queued_run.sql")).rows(ds, java.util.Map.of("runId", id, "host", RunRecorder.host()));
            if (rows.isEmpty()) throw new PipelineFailedException("run " + id + " is no longer queued (it was interrupted or ended before it could start)", null);
            return id;
        } catch (java.io.IOException | SQLException e) {
            throw new PipelineFailedException("cannot start queued run " + id + ": " + e.getMessage(), e);
        }
    }

    /**
     * An explicit as-of date before every order, or more than ecombi.run.as-of-max-days-after-data
     * after the last one, is a failed run, not an empty report that replaces the latest one.
     */
    private void requireOrdersUpTo(LocalDate asOf) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FILTER (WHERE order_date <= ?), min(order_date), max(order_date) "
                     + "FROM orders WHERE order_status = 'Completed'")) {
            ps.setDate(1, java.sql.Date.valueOf(asOf));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    java.sql.Date first = rs.getDate(2);
                    throw new IllegalStateException("no orders on or before " + asOf + (first == null ? " (there are no completed orders at all)"
                            : " (the earliest completed order is of " + first.toLocalDate() + "): choose a later as-of date"));
                }
                LocalDate last = rs.getDate(3).toLocalDate();
                long after = java.time.temporal.ChronoUnit.DAYS.between(last, asOf);
                if (after > maxDaysAfterData) {
                    throw new IllegalStateException("no orders after " + last + ": as-of " + asOf + " is " + after + " days after the latest completed order "
                            + "(at most ecombi.run.as-of-max-days-after-data=" + maxDaysAfterData + "), so its report would be empty: "
                            + "choose an earlier as-of date, or load the newer orders first");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot check the orders up to " + asOf + ": " + e.getMessage(), e);
        }
    }

    private LocalDate latestOrderDate() {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT max(order_date) FROM orders WHERE order_status = 'Completed'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            java.sql.Date d = rs.getDate(1);
            if (d == null) {
                String shop = reportsDir.getFileName().toString();
                throw new IllegalStateException("the shop tables are empty (shop " + shop + ": no completed order in 'orders'): "
                        + "load data first (bin/ecombi load --shop " + shop + " FILE, or drop CSV exports into inbox/data/ while serve runs)");
            }
            return d.toLocalDate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the latest order date: " + e.getMessage(), e);
        }
    }

    static LocalDate toDate(Object value) {
        if (value instanceof LocalDate d) return d;
        try {
            return LocalDate.parse(value.toString().trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("as-of date '" + value + "' is not a date (expected YYYY-MM-DD)");
        }
    }
}
