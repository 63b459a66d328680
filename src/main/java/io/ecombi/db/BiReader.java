package io.ecombi.db;

import io.ecombi.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The read-only role of BI tools (Metabase, Superset; setting ecombi.bi.reader): it may connect to
 * the shop's database and read the bi schema, nothing else (no shop table, no ingest record, no
 * writes). On the embedded PostgreSQL ecombi creates it as a login when ECOMBI_BI_READER_PASSWORD
 * is set; on another server an administrator creates it, and ecombi grants it the rest at each start.
 */
public final class BiReader {
    private static final Logger LOG = LoggerFactory.getLogger(BiReader.class);
    public static final String PASSWORD_ENV = "ECOMBI_BI_READER_PASSWORD";

    private BiReader() {}

    /** Creates the role where it can (embedded, password given) and grants it bi in this shop's database; a role that does not exist: a note, nothing else. */
    static void ensure(Settings settings, EmbeddedServer embedded, DataSource shopDb) {
        String role = settings.get("ecombi.bi.reader");
        if (role == null) return;
        if (!role.matches("[a-z_][a-z0-9_]{0,62}") || role.equals(EmbeddedServer.SUPERUSER)) {
            throw new IllegalArgumentException("ecombi.bi.reader '" + role + "' is not a role name for BI tools (lower-case letters, digits and _, not postgres)");
        }
        String password = settings.secret(PASSWORD_ENV);
        if (embedded != null && password != null) embedded.ensureLoginRole(role, password);
        try (Connection c = shopDb.getConnection()) {
            if (!exists(c, role)) {
                // most shops use no BI tool: a hint for those that do, not a line at every start
                LOG.debug("No BI reader: the role {} (ecombi.bi.reader) does not exist; {}", role, embedded != null
                        ? "set " + PASSWORD_ENV + " and ecombi creates it at the next start"
                        : "an administrator creates it (CREATE ROLE " + role + " LOGIN PASSWORD '...'), and ecombi grants it read access to bi at the next start");
                return;
            }
            grant(c, role);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot grant the BI reader " + role + " read access to bi: " + e.getMessage(), e);
        }
    }

    private static boolean exists(Connection c, String role) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?)")) {
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Connect, use bi, read its tables and views, and those made later by ecombi's role (the runs' views). The server quotes the name (format %I). */
    private static void grant(Connection c, String role) throws SQLException {
        String[] templates = {
                "GRANT CONNECT ON DATABASE %I TO %I",
                "GRANT USAGE ON SCHEMA bi TO %2$I",
                "GRANT SELECT ON ALL TABLES IN SCHEMA bi TO %2$I",
                "ALTER DEFAULT PRIVILEGES IN SCHEMA bi GRANT SELECT ON TABLES TO %2$I"};
        for (String template : templates) {
            String sql;
            try (PreparedStatement ps = c.prepareStatement("SELECT format(?, current_database(), ?)")) {
                ps.setString(1, template);
                ps.setString(2, role);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    sql = rs.getString(1);
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }
        LOG.info("BI reader {}: reads the bi schema of this shop (views bi.latest_<kpi>), nothing else", role);
    }
}
