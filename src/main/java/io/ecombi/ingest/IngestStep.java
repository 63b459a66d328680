package io.ecombi.ingest;

import io.ecombi.Settings;
import io.ecombi.run.ErrorText;
import io.ecombi.run.RunLifecycle;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Loads a CSV (or .csv.gz) dropped into inbox/data: the bean "ingest" of route ingest-drop (load,
 * failed, rethrowFailure), the one entry for a file loaded from the command line or a test
 * (load(file, issuesBase)), and what a stop calls to wait for or interrupt the load in progress.
 * A file is recognised by its header (a sql/ingest format, or one of ecombi's own tables by file
 * name), streamed with COPY into a staging table, its rows rejected, set aside or loaded by the
 * format's set-based SQL, checked (rows read = loaded + rejected + set aside) and recorded in
 * ingest.files, in one transaction per file (FileLoad): it loads whole or not at all. Rejected and
 * set-aside rows are kept in ingest.row_issues and written beside the done file with their line
 * and reason.
 */
public final class IngestStep {
    public static final String RUN_AFTER_LOAD_PROPERTY = "ingestRunAfterLoad";
    public static final String FAILURE_PROPERTY = "ingestFailure";
    private static final Logger LOG = LoggerFactory.getLogger(IngestStep.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    /** What one file gave: the counts that must add up. */
    public record Result(long fileId, String format, long read, long loaded, long rejected, long setAside, double seconds, boolean duplicate) {}

    /** Thrown for a file that is refused as a whole: the message names the file and says why. */
    public static final class FileRefused extends IllegalArgumentException {
        public FileRefused(String message, Throwable cause) { super(message, cause); }
    }

    /** A load stopped because ecombi is stopping: not a failure of the file, which goes back to the inbox. */
    public static final class LoadInterrupted extends IllegalStateException {
        public LoadInterrupted(String message) { super(message); }
    }

    private final Path inbox;
    private final java.util.concurrent.atomic.AtomicInteger batchFailed = new java.util.concurrent.atomic.AtomicInteger();
    private final io.ecombi.shop.Shop shop;
    private final boolean runAfterLoad;
    private final LoadControl control;
    private final FileLoad fileLoad;
    /** A file of the current inbox batch loaded rows: the batch's last file starts the run. */
    private final AtomicBoolean runPending = new AtomicBoolean();

    public IngestStep(DataSource ds, Settings s) {
        Path formatsDir = s.path("ecombi.sql.dir").resolve("ingest");
        this.inbox = s.path("ecombi.inbox.dir").resolve("data");
        this.shop = io.ecombi.shop.Shop.of(s);
        this.runAfterLoad = s.getBoolean("ecombi.ingest.run-after-load");
        StagedLoad staged = new StagedLoad(formatsDir, s.get("ecombi.report.currency"), shop.name(), s.getBoolean("ecombi.ingest.accept-mixed"));
        this.fileLoad = new FileLoad(ds, staged, s.get("ecombi.ingest.work-mem"), s.getDouble("ecombi.ingest.progress-seconds"));
        this.control = new LoadControl(ds);
    }

    /** Route entry: the dropped file is named by the file consumer's headers. */
    public void load(Exchange exchange) throws Exception {
        String stamp = LocalDateTime.now().format(STAMP);
        exchange.setProperty(TriggerFiles.STAMP_PROPERTY, stamp);
        Path file = Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class));
        String name = file.getFileName().toString();
        exchange.setProperty(TriggerFiles.FAILED_TARGET_PROPERTY, "failed/" + stamp + "-" + name);
        exchange.getMessage().setHeader(RunLifecycle.TRIGGER_HEADER, "inbox-data:" + name);
        Result r = load(file, inbox.resolve("done").resolve(stamp + "-" + name));
        exchange.setProperty("ingestResult", r);
        if (!r.duplicate() && r.loaded() > 0) runPending.set(true);
        decideRun(exchange);
    }

    /** Files dropped together are one batch (one poll of the inbox): its last file, loaded or not, starts the one run. */
    private void decideRun(Exchange exchange) {
        boolean last = !Boolean.FALSE.equals(exchange.getProperty(Exchange.BATCH_COMPLETE, Boolean.class));
        boolean run = runAfterLoad && last && runPending.getAndSet(false);
        exchange.setProperty(RUN_AFTER_LOAD_PROPERTY, run);
        Integer size = exchange.getProperty(Exchange.BATCH_SIZE, Integer.class);
        if (last && size != null && size > 1) {
            // the batch's summary counts what failed: "loaded" must not cover a file that went to failed/
            int failed = batchFailed.getAndSet(0);
            String counts = failed == 0 ? "all taken" : (size - failed) + " taken, " + failed + " not loaded (each with its reason in " + inbox.resolve("failed") + ")";
            if (run) exchange.getMessage().setHeader(RunLifecycle.TRIGGER_HEADER, "inbox-data:" + size + " files");
            String line = "the " + size + " files dropped together: " + counts + (run ? "; one run for them" : "; no run (nothing new was loaded)");
            if (failed > 0) LOG.warn(line);
            else LOG.info(line);
        }
    }

    /** Route entry after a failure: the error file beside the file in failed/, and the rethrow that sends it there. */
    public void failed(Exchange exchange) throws IOException {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        String stamp = exchange.getProperty(TriggerFiles.STAMP_PROPERTY, String.class);
        exchange.setProperty(FAILURE_PROPERTY, e);
        if (interrupted(e)) {
            // not the file's fault: it goes back into the inbox (under a name that keeps its own) and loads at the next start
            String back = TriggerFiles.putBackName(name, stamp);
            exchange.setProperty(TriggerFiles.FAILED_TARGET_PROPERTY, back);
            exchange.setProperty(RUN_AFTER_LOAD_PROPERTY, false);
            LOG.warn("data file {} was not loaded because ecombi is stopping: put back as {} (it loads at the next start)", name, inbox.resolve(back));
            return;
        }
        Path failedDir = inbox.resolve("failed");
        Files.createDirectories(failedDir);
        Path errorFile = failedDir.resolve(stamp + "-" + name + ".error.txt");
        TriggerFiles.writeWhole(errorFile, "Data file " + name + " was not loaded (nothing of it is in the database)\n" + ErrorText.of(e) + "\n");
        LOG.error("data file {} not loaded: {} (moved to {}, reason in {})", name, ErrorText.of(e), failedDir.resolve(stamp + "-" + name), errorFile);
        batchFailed.incrementAndGet();
        decideRun(exchange);
    }

    /** Route entry after the batch's run: a file that failed fails its exchange, which moves it to failed/. */
    public void rethrowFailure(Exchange exchange) {
        Exception e = exchange.getProperty(FAILURE_PROPERTY, Exception.class);
        if (e == null) return;
        if (e instanceof RuntimeException re) throw re;
        throw new IllegalStateException(ErrorText.of(e), e);
    }

    private static boolean interrupted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof LoadInterrupted) return true;
        return false;
    }

    /** Loads one file; rejects and set-aside rows go to issuesBase + ".rejects.csv" / ".set-aside.csv". */
    public Result load(Path file, Path issuesBase) throws Exception {
        long t0 = System.nanoTime();
        // a file put back by a stop keeps its own name inside (interrupted-<stamp>-orders.csv loads as orders.csv)
        String name = TriggerFiles.originalName(file.getFileName().toString());
        if (!name.toLowerCase(java.util.Locale.ROOT).matches(".*\\.csv(\\.gz)?")) {
            LOG.warn("{}: not a CSV export (ecombi loads .csv and .csv.gz files); not loaded", name);
            throw new FileRefused(name + ": not a CSV export: ecombi loads .csv and .csv.gz files (rename it if it is CSV text)", null);
        }
        if (shop.isDemo()) {
            // the demo shop is ecombi's generated data: a real file would mix with it (or replace it)
            throw new FileRefused(name + ": the shop demo holds ecombi's generated demo data and takes no files: load it into your own shop "
                    + "(without --shop it goes into the shop default; another shop: --shop NAME)", null);
        }
        LoadControl.Load load = control.begin(name);
        try {
            return fileLoad.load(file, name, issuesBase, load, t0);
        } finally {
            control.end();
        }
    }

    /** ecombi is stopping: a load not yet started is refused (its file stays in, or goes back to, the inbox). */
    public void stopAccepting() {
        control.stopAccepting();
    }

    /** The name of the file being loaded now, or null. */
    public String currentLoad() {
        return control.currentLoad();
    }

    /** Waits up to the grace period for the load in progress (if any) to end; true when none is left. */
    public boolean awaitIdle(Duration grace) throws InterruptedException {
        return control.awaitIdle(grace);
    }

    /**
     * ecombi is stopping and the load in progress did not finish within the grace period: it is
     * rolled back (its statement cancelled, its Java loop stopped), recorded interrupted, and its
     * file goes back to the inbox. A load already committed is left to finish. Returns the file
     * name, or null when no uncommitted load was left.
     */
    public String interruptCurrent(String reason) {
        return control.interruptCurrent(reason);
    }

    /** Cancels the statement of the interrupted load (until it ends: one statement may start after the flag). */
    public void cancelInterrupted() {
        control.cancelInterrupted();
    }
}
