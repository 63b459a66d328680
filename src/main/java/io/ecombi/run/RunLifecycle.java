package io.ecombi.run;

import io.ecombi.Settings;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
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
    private static final String LOCK_PROPERTY = "ecombiRunLock";
    private static final Logger LOG = LoggerFactory.getLogger(RunLifecycle.class);

    private final DataSource ds;
    private final RunRecorder recorder;
    private final Path reportsDir;
    private final Duration lockWait;

    public RunLifecycle(DataSource ds, Settings settings) {
        this.ds = ds;
        this.recorder = new RunRecorder(ds);
        this.reportsDir = settings.path("ecombi.reports.dir", "reports");
        this.lockWait = Duration.ofSeconds(settings.getInt("ecombi.run.lock-wait-seconds", 3600));
    }

    public void open(Exchange exchange) {
        String trigger = exchange.getMessage().getHeader(TRIGGER_HEADER, "direct", String.class);
        Object requested = exchange.getMessage().getHeader(AS_OF_HEADER);
        RunLock lock = RunLock.acquire(ds, lockWait, recorder::describeRunning);
        exchange.setProperty(LOCK_PROPERTY, lock);
        long id = recorder.open(trigger);
        try {
            LocalDate asOf = requested == null ? latestOrderDate() : toDate(requested);
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

    public void succeed(Exchange exchange) {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        run.finish("succeeded", null);
        recorder.close(run.id(), "succeeded", null);
        LOG.info("run {} succeeded in {} s", run.id(), String.format("%.1f",
                Duration.between(run.startedAt(), java.time.Instant.now()).toMillis() / 1000.0));
    }

    /** Records the failure (stage, cause) and rethrows, so the trigger (file, CLI) sees it too. */
    public void fail(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        if (e instanceof PipelineFailedException pfe) throw pfe;   // already recorded
        if (run == null) throw new PipelineFailedException("Run failed: " + ErrorText.of(e), e);
        String where = run.stages().stream().filter(s -> "running".equals(s.status())).map(s ->
                "stage '" + s.name() + "'" + (s.detail() == null ? "" : " (" + s.detail() + ")")).findFirst().orElse("the pipeline");
        String message = where + " failed: " + ErrorText.of(e);
        run.failOpenStages(ErrorText.of(e));
        run.finish("failed", message);
        recorder.close(run.id(), "failed", message);
        LOG.error("run {} failed: {}", run.id(), message);
        throw new PipelineFailedException("Run " + run.id() + " failed: " + message, e);
    }

    public void release(Exchange exchange) {
        RunLock lock = exchange.getProperty(LOCK_PROPERTY, RunLock.class);
        if (lock != null) {
            lock.close();
            exchange.removeProperty(LOCK_PROPERTY);
        }
    }

    private LocalDate latestOrderDate() {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT max(order_date) FROM orders WHERE order_status = 'Completed'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            java.sql.Date d = rs.getDate(1);
            if (d == null) {
                throw new IllegalStateException("the shop tables are empty (no completed order in 'orders'): "
                        + "load data first (java -jar target/ecombi.jar demo, or drop CSV exports into inbox/data/)");
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
