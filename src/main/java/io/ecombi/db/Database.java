package io.ecombi.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ecombi.Settings;
import io.ecombi.shop.Shop;
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
 * configured, an embedded PostgreSQL whose data folder persists between runs, with one database per
 * shop (ecombi.shop, see {@link Shop}). Migrations from sql/schema are applied when it opens.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final EmbeddedServer embedded;
    private final boolean ownsServer;
    private final HikariDataSource pool;
    private final Shop shop;

    private Database(EmbeddedServer embedded, boolean ownsServer, HikariDataSource pool, Shop shop) {
        this.embedded = embedded;
        this.ownsServer = ownsServer;
        this.pool = pool;
        this.shop = shop;
    }

    /** The shop's database (ecombi.shop): on the embedded server (started here, stopped by close()), or ecombi.db.url's. */
    public static Database open(Settings settings) {
        Shop.of(settings);   // a bad shop name stops before any server starts
        return open(settings, startServer(settings), true);
    }

    /**
     * The embedded server of the settings (started, data in ecombi.db.embedded.data-dir), or null
     * when ecombi.db.url names a database.
     */
    public static EmbeddedServer startServer(Settings settings) {
        // before any server starts: a start from the wrong folder left the embedded PostgreSQL running behind it
        requireMigrations(settings.path("ecombi.db.migrations"));
        if (settings.get("ecombi.db.url") != null) return null;
        // ecombi works as ecombi.db.user, a role that is not a superuser, with the password kept in the data folder
        EmbeddedServer server = EmbeddedServer.start(settings.path("ecombi.db.embedded.data-dir"), settings.getInt("ecombi.db.embedded.port"),
                settings.getBoolean("ecombi.db.embedded.durable"), settings.get("ecombi.db.user"));
        try {
            // every shop before anything reads one (the demo check, the shops list): an older folder's are the superuser's
            for (String shopDb : server.databases("shop_")) server.ensureOwner(shopDb);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /**
     * The shop's database: on embedded (null: ecombi.db.url's), its database created on first use;
     * migrated. ownsServer: close() stops the server too (also when opening fails).
     */
    public static Database open(Settings settings, EmbeddedServer embedded, boolean ownsServer) {
        String url = settings.get("ecombi.db.url");
        String user = settings.get("ecombi.db.user");
        String password = settings.optional("ecombi.db.password");   // from ECOMBI_DB_PASSWORD only, never in the file
        if (password == null) password = "";   // no password (e.g. trust authentication)
        Path migrations = settings.path("ecombi.db.migrations");
        Shop shop;
        try {
            requireMigrations(migrations);
            shop = Shop.of(settings);
            if (embedded != null) {
                embedded.createDatabaseIfMissing(shop.databaseName());
                embedded.ensureOwner(shop.databaseName());
                url = embedded.jdbcUrl(shop.databaseName());
                // the server's own role and password (a server started without one: its superuser, e.g. the benchmark's)
                user = embedded.user() == null ? EmbeddedServer.SUPERUSER : embedded.user();
                password = embedded.user() == null ? embedded.superuserPassword() : embedded.password();
                LOG.info("No ecombi.db.url configured: shop {} on the embedded PostgreSQL (port {}, data in {}), database {}",
                        shop.name(), embedded.port(), embedded.dataDir(), shop.databaseName());
            } else {
                LOG.info("Shop {}: using PostgreSQL at {}", shop.name(), redact(url));
            }
        } catch (RuntimeException e) {
            if (ownsServer) closeQuietly(embedded);
            throw e;
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
            db = new Database(embedded, ownsServer, new HikariDataSource(cfg), shop);
        } catch (RuntimeException e) {
            if (ownsServer) closeQuietly(embedded);
            throw new IllegalStateException("Cannot connect to PostgreSQL at " + redact(url)
                    + ": " + e.getMessage() + ". Check ecombi.db.url/ecombi.db.user and ECOMBI_DB_PASSWORD.", e);
        }
        try {
            db.migrate(migrations);
            BiReader.ensure(settings, embedded, db.pool);
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

    /** The shop this database holds. */
    public Shop shop() {
        return shop;
    }

    /** The embedded server, or null on ecombi.db.url's database. */
    public EmbeddedServer embeddedServer() {
        return embedded;
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
        if (ownsServer) closeQuietly(embedded);
    }

    private static void closeQuietly(EmbeddedServer pg) {
        if (pg != null) pg.close();
    }
}
