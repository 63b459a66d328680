package io.ecombi.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A long load says how far it is, every so many seconds (ecombi.ingest.progress-seconds): rows
 * read and the share of the file's bytes read while it streams, then the step it is in. A load
 * shorter than the interval says nothing more than its result line.
 */
final class LoadProgress implements AutoCloseable {
    // ingest's log lines keep one logger name, IngestStep
    private static final Logger LOG = LoggerFactory.getLogger(IngestStep.class);
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ecombi-load-progress");
        t.setDaemon(true);
        return t;
    });

    private final ScheduledFuture<?> task;

    private LoadProgress(ScheduledFuture<?> task) {
        this.task = task;
    }

    /** Reports the load's progress every `seconds` (a fraction allowed) until closed; fileBytes: the file's size on disk (0: unknown). */
    static LoadProgress every(double seconds, LoadControl.Load load, long fileBytes, long t0) {
        long millis = Math.round(seconds * 1000);
        if (millis <= 0) return new LoadProgress(null);
        return new LoadProgress(TIMER.scheduleAtFixedRate(() -> LOG.info(line(load, fileBytes, (System.nanoTime() - t0) / 1e9)), millis, millis, TimeUnit.MILLISECONDS));
    }

    static String line(LoadControl.Load load, long fileBytes, double seconds) {
        String rows = String.format(Locale.US, "%,d rows read", load.rowsRead);
        String so = String.format(Locale.US, seconds < 10 ? "%.1f s so far" : "%.0f s so far", seconds);
        if (load.phase == LoadControl.Phase.READING && fileBytes > 0) {
            return String.format(Locale.US, "%s: %s, %.0f %% of the file, %s", load.name, rows, Math.min(100.0, 100.0 * load.bytesRead.get() / fileBytes), so);
        }
        String step = load.phase == LoadControl.Phase.MERGING && load.step != null ? ", " + load.step : "";
        return load.name + ": " + load.phase.text + " (" + rows + ")" + step + ", " + so;
    }

    @Override
    public void close() {
        if (task != null) task.cancel(false);
    }
}
