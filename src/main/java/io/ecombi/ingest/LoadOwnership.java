package io.ecombi.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Who owns a load, visible to every ecombi process on the database: the loader's session holds a
 * PostgreSQL advisory lock (KEY, file_id) from the statement that inserts the 'loading' row until
 * the row says how the load ended. PostgreSQL drops the lock with the session, so a 'loading' row
 * without its lock is a load whose process (or connection) is gone; a live load of another
 * process or node always holds it and is never touched.
 */
public final class LoadOwnership {
    private static final Logger LOG = LoggerFactory.getLogger(LoadOwnership.class);
    /** First key of the two-int advisory lock ("ecom"); a different key space from the run lock's bigint key. */
    static final int KEY = 0x65636f6d;
    /** How often the loader's backend checks that the loader is still connected during a statement. */
    static final int CLIENT_CHECK_MS = 2000;

    private LoadOwnership() {}

    /**
     * Inserts the 'loading' row and takes its lock in one statement on the loader's own connection
     * (autocommit): the row is visible to others only once committed, and by then the lock is held,
     * so no other process can see the row without its owner.
     */
    static long claim(Connection c, String fileName, String sha256, String loader) throws SQLException {
        // a backend busy with a long statement notices a dead client only when it next talks to it: with this
        // (PostgreSQL 14+) it checks every few seconds, ends, and its lock goes with it
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("SET client_connection_check_interval = '" + CLIENT_CHECK_MS + "ms'");
        } catch (SQLException e) {
            LOG.debug("client_connection_check_interval not set: {}", e.getMessage());
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ingest.files (file_name, sha256, status, loader) VALUES (?, ?, 'loading', ?) "
                + "RETURNING file_id, pg_advisory_lock(?, CAST(file_id % 2147483648 AS integer))")) {
            ps.setString(1, fileName);
            ps.setString(2, sha256);
            ps.setString(3, loader);
            ps.setInt(4, KEY);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Gives the lock up once the row says how the load ended; false when the session could not (drop the connection then). */
    static boolean release(Connection c, long fileId) {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?, CAST(? % 2147483648 AS integer))")) {
            ps.setInt(1, KEY);
            ps.setLong(2, fileId);
            ps.execute();
            try (java.sql.Statement s = c.createStatement()) {
                s.execute("RESET client_connection_check_interval");
            }
            return true;
        } catch (SQLException e) {
            LOG.warn("could not release the ownership of load {} ({}); its connection is dropped instead", fileId, e.getMessage());
            return false;
        }
    }

    /**
     * Marks 'interrupted' every 'loading' row whose lock no session holds (its loader died or lost its
     * connection; its transaction was rolled back with it), with the time and the reason. Returns how many.
     */
    public static long interruptOrphans(DataSource ds, String reason) {
        String sql = "UPDATE ingest.files f SET status = 'interrupted', finished_at = now(), "
                + "error_text = ? || ' (load started ' || to_char(f.received_at, 'YYYY-MM-DD HH24:MI:SS TZ') || ' by ' || coalesce(f.loader, 'an ecombi') || ')' "
                + "WHERE f.status = 'loading' AND NOT EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted "
                + "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                + "AND l.objsubid = 2 AND CAST(l.classid AS bigint) = ? AND CAST(l.objid AS bigint) = f.file_id % 2147483648) "
                + "RETURNING f.file_id, f.file_name, f.loader";
        long n = 0;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, reason);
            ps.setLong(2, KEY);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    n++;
                    LOG.warn("load {} of {} (by {}) was still marked loading but its loader is gone: now interrupted, nothing of it was kept; {}",
                            rs.getLong(1), rs.getString(2), rs.getString(3), reason);
                }
            }
        } catch (SQLException e) {
            LOG.warn("could not check for loads whose loader is gone: {}", e.getMessage());
        }
        return n;
    }
}
