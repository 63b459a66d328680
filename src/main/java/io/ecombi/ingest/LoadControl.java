package io.ecombi.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The loads of this process under stop and interrupt: at most one load is in progress; a stop
 * refuses new loads, waits for the one in progress, or interrupts it (its Java loop stops at the
 * next check, its statement is cancelled) unless it has committed.
 */
final class LoadControl {
    // ingest's log lines keep one logger name, IngestStep
    private static final Logger LOG = LoggerFactory.getLogger(IngestStep.class);

    private final DataSource ds;
    private volatile Load current;
    private boolean stopping;

    LoadControl(DataSource ds) {
        this.ds = ds;
    }

    /** What a load is doing, as its progress line says it. */
    enum Phase {
        STARTING("checking the file (checksum, text encoding)"), READING("reading"), MERGING("all rows read; checking and merging them into the shop"),
        RECORDING("recording counts and totals"), ANALYZING("refreshing the statistics of what it changed");
        final String text;
        Phase(String text) { this.text = text; }
    }

    /** The load in progress in this process: what a stop waits for, or interrupts, and how far it is. */
    static final class Load {
        final String name;
        volatile Phase phase = Phase.STARTING;
        volatile long rowsRead;
        /** Within a phase, the statement running (null: none named). */
        volatile String step;
        /** Bytes of the file (as stored, before gunzip) read so far. */
        final java.util.concurrent.atomic.AtomicLong bytesRead = new java.util.concurrent.atomic.AtomicLong();
        volatile int backendPid = -1;
        volatile boolean interrupted;
        volatile boolean committed;
        /** In its transaction: a cancel can only hit the load's own statements. */
        volatile boolean working;
        volatile String reason;

        Load(String name) { this.name = name; }

        void started(int pid) { backendPid = pid; }

        /** Between statements and every so many rows: an interrupted load stops here. */
        void check() {
            if (interrupted) throw new IngestStep.LoadInterrupted(name + ": " + reason);
        }

        /** Commits the load's transaction unless it was interrupted: an interrupt and the commit never cross. */
        synchronized void commit(Connection c) throws SQLException {
            check();
            working = false;
            c.commit();
            committed = true;
        }
    }

    /** The load of the named file starts; refused while ecombi is stopping. */
    synchronized Load begin(String name) {
        if (stopping) throw new IngestStep.LoadInterrupted(name + ": not loaded because ecombi is stopping; it is loaded at the next start");
        Load load = new Load(name);
        current = load;
        return load;
    }

    /** The load in progress ended, however it ended. */
    synchronized void end() {
        current = null;
        notifyAll();
    }

    /** ecombi is stopping: a load not yet started is refused (its file stays in, or goes back to, the inbox). */
    synchronized void stopAccepting() {
        stopping = true;
    }

    /** The name of the file being loaded now, or null. */
    String currentLoad() {
        Load l = current;
        return l == null ? null : l.name;
    }

    /** Waits up to the grace period for the load in progress (if any) to end; true when none is left. */
    synchronized boolean awaitIdle(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        while (current != null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /**
     * Marks the load in progress interrupted, unless it has committed; returns the file name, or null
     * when no uncommitted load was left.
     */
    String interruptCurrent(String reason) {
        Load l = current;
        if (l == null) return null;
        synchronized (l) {
            if (l.committed) return null;
            l.reason = reason;
            l.interrupted = true;
        }
        return l.name;
    }

    /** Cancels the statement of the interrupted load (until it ends: one statement may start after the flag). */
    void cancelInterrupted() {
        Load l = current;
        if (l == null || !l.interrupted || l.committed || !l.working || l.backendPid < 0) return;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT pg_cancel_backend(?)")) {
            ps.setInt(1, l.backendPid);
            ps.execute();
        } catch (SQLException e) {
            LOG.warn("could not cancel the interrupted load of {}: {}", l.name, e.getMessage());
        }
    }
}
