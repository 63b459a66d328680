package io.ecombi.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ecombi.Settings;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The database ecombi works on: the configured PostgreSQL (ecombi.db.url), or, when none is
 * configured, an embedded PostgreSQL whose data folder persists between runs. Migrations from
 * sql/schema are applied when it opens.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final EmbeddedServer embedded;
    private final HikariDataSource pool;

    private Database(EmbeddedServer embedded, HikariDataSource pool) {
        this.embedded = embedded;
        this.pool = pool;
    }

    public static Database open(Settings settings) {
        String url = settings.get("ecombi.db.url");
        EmbeddedServer embedded = null;
        String user = settings.get("ecombi.db.user");
        String password = settings.optional("ecombi.db.password");   // from ECOMBI_DB_PASSWORD only, never in the file
        if (password == null) password = "";   // no password (e.g. trust authentication)
        Path migrations = settings.path("ecombi.db.migrations");
        // before any server starts: a start from the wrong folder left the embedded PostgreSQL running behind it
        requireMigrations(migrations);
        if (url == null) {
            Path dataDir = settings.path("ecombi.db.embedded.data-dir");
            embedded = startEmbedded(dataDir, settings.getInt("ecombi.db.embedded.port"),
                    settings.getBoolean("ecombi.db.embedded.durable"));
            url = embedded.jdbcUrl("postgres");
            user = EmbeddedServer.SUPERUSER;
            password = "";
            LOG.info("No ecombi.db.url configured: using the embedded PostgreSQL on port {} with data in {}",
                    embedded.port(), dataDir.toAbsolutePath());
        } else {
            LOG.info("Using PostgreSQL at {}", redact(url));
        }
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(url);
        cfg.setUsername(user);
        cfg.setPassword(password);
        cfg.setPoolName("ecombi");
        // names this process's sessions (pg_stat_activity), so a stop can cancel the statements of its own run
        cfg.addDataSourceProperty("ApplicationName", applicationName());
        cfg.setMaximumPoolSize(settings.getInt("ecombi.db.pool-size"));
        cfg.setConnectionTimeout(settings.getInt("ecombi.db.connect-timeout-ms"));
        Database db;
        try {
            db = new Database(embedded, new HikariDataSource(cfg));
        } catch (RuntimeException e) {
            closeQuietly(embedded);
            throw new IllegalStateException("Cannot connect to PostgreSQL at " + redact(url)
                    + ": " + e.getMessage() + ". Check ecombi.db.url/ecombi.db.user and ECOMBI_DB_PASSWORD.", e);
        }
        try {
            db.migrate(migrations);
        } catch (RuntimeException e) {
            db.close();   // the pool and the embedded server with it: a failed start leaves no PostgreSQL behind
            throw e;
        }
        return db;
    }

    /**
     * The embedded PostgreSQL with ecombi's settings (also used by the benchmark): ecombi starts and
     * stops it itself; see {@link EmbeddedServer}. durable=true: fsync and synchronous commit on.
     */
    public static EmbeddedServer startEmbedded(Path dataDir, int port, boolean durable) {
        return EmbeddedServer.start(dataDir, port, durable);
    }

    private static void requireMigrations(Path location) {
        if (!Files.isDirectory(location)) {
            throw new IllegalStateException("Schema migrations folder " + location.toAbsolutePath()
                    + " is missing: run ecombi from the project folder (it needs config/, routes/ and sql/).");
        }
    }

    void migrate(Path location) {
        requireMigrations(location);
        MigrateResult r = Flyway.configure()
                .dataSource(pool)
                .locations("filesystem:" + location.toAbsolutePath())
                .load()
                .migrate();
        LOG.info("Database schema at version {} ({} migration(s) applied now)",
                r.targetSchemaVersion == null ? "current" : r.targetSchemaVersion, r.migrationsExecuted);
    }

    public DataSource dataSource() {
        return pool;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    /** Rows in a shop table; the name must be one of ours (it is not bound: identifiers cannot be). */
    public long count(String table) {
        if (!table.matches("[a-z_.]+")) throw new IllegalArgumentException("not a table name: " + table);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot count " + table + ": " + e.getMessage(), e);
        }
    }

    /** The application_name of this process's database sessions. */
    public static String applicationName() {
        return "ecombi/" + ProcessHandle.current().pid();
    }

    /** A JDBC URL without user information, for logs. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password|user)=[^&]*", "$1=***");
    }

    @Override
    public void close() {
        pool.close();
        closeQuietly(embedded);
    }

    private static void closeQuietly(EmbeddedServer pg) {
        if (pg != null) pg.close();
    }
}
