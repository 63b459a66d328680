package io.ecombi.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ecombi.Settings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
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

    private final EmbeddedPostgres embedded;
    private final HikariDataSource pool;

    private Database(EmbeddedPostgres embedded, HikariDataSource pool) {
        this.embedded = embedded;
        this.pool = pool;
    }

    public static Database open(Settings settings) {
        String url = settings.get("ecombi.db.url");
        EmbeddedPostgres embedded = null;
        String user = settings.get("ecombi.db.user", "postgres");
        String password = settings.get("ecombi.db.password", "");
        if (url == null) {
            Path dataDir = settings.path("ecombi.db.embedded.data-dir", "data/pg");
            embedded = startEmbedded(dataDir, settings.getInt("ecombi.db.embedded.port", 0),
                    settings.getBoolean("ecombi.db.embedded.durable", true));
            url = embedded.getJdbcUrl("postgres", "postgres");
            user = "postgres";
            password = "";
            LOG.info("No ecombi.db.url configured: using the embedded PostgreSQL on port {} with data in {}",
                    embedded.getPort(), dataDir.toAbsolutePath());
        } else {
            LOG.info("Using PostgreSQL at {}", redact(url));
        }
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(url);
        cfg.setUsername(user);
        cfg.setPassword(password);
        cfg.setPoolName("ecombi");
        cfg.setMaximumPoolSize(settings.getInt("ecombi.db.pool-size", 6));
        cfg.setConnectionTimeout(settings.getInt("ecombi.db.connect-timeout-ms", 30_000));
        Database db;
        try {
            db = new Database(embedded, new HikariDataSource(cfg));
        } catch (RuntimeException e) {
            closeQuietly(embedded);
            throw new IllegalStateException("Cannot connect to PostgreSQL at " + redact(url)
                    + ": " + e.getMessage() + ". Check ecombi.db.url/ecombi.db.user and ECOMBI_DB_PASSWORD.", e);
        }
        db.migrate(settings.path("ecombi.db.migrations", "sql/schema"));
        return db;
    }

    /** An embedded PostgreSQL server with ecombi's settings (also used by the benchmark). */
    public static EmbeddedPostgres startEmbedded(Path dataDir, int port, boolean durable) {
        try {
            Files.createDirectories(dataDir);
            EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    // analytics settings; the server listens on localhost only
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("shared_buffers", "256MB")
                    .setServerConfig("work_mem", "64MB")
                    .setServerConfig("maintenance_work_mem", "256MB")
                    .setServerConfig("max_wal_size", "4GB")
                    .setServerConfig("synchronous_commit", "off")
                    // JIT compiling costs more than it saves on queries of a few seconds (measured: see bench notes)
                    .setServerConfig("jit", "off");
            if (!durable) b.setServerConfig("fsync", "off").setServerConfig("full_page_writes", "off");
            if (port > 0) b.setPort(port);
            return b.start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the embedded PostgreSQL with data in "
                    + dataDir.toAbsolutePath() + ": " + e.getMessage()
                    + ". If another ecombi is running on this folder, stop it or set ecombi.db.embedded.data-dir.", e);
        }
    }

    void migrate(Path location) {
        if (!Files.isDirectory(location)) {
            throw new IllegalStateException("Schema migrations folder " + location.toAbsolutePath()
                    + " is missing: run ecombi from the project folder (it needs config/, routes/ and sql/).");
        }
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

    /** A JDBC URL without user information, for logs. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password|user)=[^&]*", "$1=***");
    }

    @Override
    public void close() {
        pool.close();
        closeQuietly(embedded);
    }

    private static void closeQuietly(EmbeddedPostgres pg) {
        if (pg == null) return;
        try {
            pg.close();
        } catch (IOException e) {
            LOG.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }
}
