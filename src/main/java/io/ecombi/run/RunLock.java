package io.ecombi.run;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * One run at a time across every ecombi process sharing the database: a PostgreSQL session-level
 * advisory lock held on a dedicated connection for the whole run. A trigger that arrives during a
 * run waits (queues) for it, up to a limit, and says so in the log.
 */
public final class RunLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);
    /** "ecombi" run lock key; any constant works as long as every process uses the same one. */
    static final long KEY = 0x65636f6d6269L;

    private final DataSource ds;
    private final Connection connection;

    private RunLock(DataSource ds, Connection connection) {
        this.ds = ds;
        this.connection = connection;
    }

    public static RunLock acquire(DataSource ds, Duration maxWait, Supplier<String> holder) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        Connection c = null;
        try {
            c = ds.getConnection();
            boolean logged = false;
            while (true) {
                if (tryLock(c)) return new RunLock(ds, c);
                if (!logged) {
                    LOG.info("A run is in progress ({}); this trigger is queued and starts when it ends (waits up to {} s)",
                            holder.get(), maxWait.toSeconds());
                    logged = true;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Gave up waiting " + maxWait.toSeconds()
                            + " s for the run in progress (" + holder.get() + ") to finish; setting ecombi.run.lock-wait-seconds");
                }
                Thread.sleep(250);
            }
        } catch (SQLException e) {
            closeQuietly(c);
            throw new IllegalStateException("Cannot take the run lock: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            closeQuietly(c);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the run lock", e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /**
     * For a reader that takes the fact layer apart inside its own transaction (Explore): the run
     * lock shared until that transaction ends, or false while a run holds it. A run then waits for
     * the reader (acquire polls), and the reader never starts under a run: the two would otherwise
     * take the fact tables' locks in opposite orders and deadlock (a run failed so).
     */
    public static boolean tryShareInTransaction(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_xact_lock_shared(?)")) {
            ps.setLong(1, KEY);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The lock if no run holds it now, else null (never waits). */
    public static RunLock tryAcquire(DataSource ds) {
        Connection c = null;
        try {
            c = ds.getConnection();
            if (tryLock(c)) return new RunLock(ds, c);
            closeQuietly(c);
            return null;
        } catch (SQLException e) {
            closeQuietly(c);
            throw new IllegalStateException("Cannot take the run lock: " + e.getMessage(), e);
        }
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, KEY);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    @Override
    public void close() {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            ps.setLong(1, KEY);
            ps.execute();
        } catch (SQLException e) {
            // a pooled connection keeps its session (and the lock): drop it from the pool instead
            LOG.warn("Could not release the run lock cleanly ({}); dropping its connection releases it", e.getMessage());
            if (ds instanceof com.zaxxer.hikari.HikariDataSource pool) pool.evictConnection(connection);
        } finally {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // the lock goes with the session
        }
    }
}
