package io.ecombi.shop;

import io.ecombi.Settings;
import io.ecombi.db.Database;
import io.ecombi.db.EmbeddedServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shops of the server, for the commands `shops` and `reset`: {@link #list()} says what each
 * holds, {@link #reset(String)} empties one (its database dropped and created anew, its reports
 * folder removed). On the embedded PostgreSQL the shops are its databases shop_&lt;name&gt; (opening
 * this starts the server and takes its data folder, so no other ecombi uses it meanwhile); with
 * ecombi.db.url set there is one shop, the configured one, on the URL's database, and reset is
 * refused (ecombi does not drop a database it did not create).
 */
public final class Shops implements AutoCloseable {
    /** What a shop holds. Dates, currency and the last run are null when it has none. */
    public record Summary(String name, long filesLoaded, long orders, LocalDate firstOrder, LocalDate lastOrder,
                          String currency, Long lastRunId, String lastRunStatus, OffsetDateTime lastRunStarted) {}

    private final Settings settings;
    private final EmbeddedServer server;

    private Shops(Settings settings, EmbeddedServer server) {
        this.settings = settings;
        this.server = server;
    }

    /** The shops of the settings' server (the embedded one is started here and stopped by close()). */
    public static Shops open(Settings settings) {
        Shop.of(settings);
        return new Shops(settings, Database.startServer(settings));
    }

    /** Every shop, by name: the embedded server's shop databases, or the one configured shop on ecombi.db.url. */
    public List<Summary> list() {
        List<Summary> out = new ArrayList<>();
        if (server == null) {
            Shop shop = Shop.of(settings);
            String password = settings.optional("ecombi.db.password");
            try (Connection c = DriverManager.getConnection(settings.get("ecombi.db.url"), settings.get("ecombi.db.user"), password == null ? "" : password)) {
                out.add(summary(shop.name(), c));
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the shop " + shop.name() + " at ecombi.db.url: " + e.getMessage(), e);
            }
            return out;
        }
        for (String db : server.databases("shop_")) {
            String name = db.substring("shop_".length());
            try (Connection c = server.connect(db)) {
                out.add(summary(name, c));
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the shop " + name + " (database " + db + "): " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** The one shop's summary, or null when it has no database. */
    public Summary get(String name) {
        Shop.validName(name);
        return list().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    /**
     * Empties the shop: its database dropped (its sessions ended) and created anew with the schema,
     * its reports folder removed. The demo shop, reset, is filled again by the next `run`.
     */
    public void reset(String name) throws IOException {
        Shop shop = Shop.named(name, settings);
        if (server == null) {
            throw new IllegalStateException("ecombi.db.url names the database of the shop " + name + ": ecombi does not drop a database it did not create. "
                    + "Empty it yourself, or point ecombi.db.url at a new database; its reports are in " + shop.reportsDir());
        }
        if (!server.hasDatabase(shop.databaseName()) && !Files.exists(shop.reportsDir())) {
            throw new IllegalArgumentException("there is no shop " + name + " (shops: "
                    + String.join(", ", list().stream().map(Summary::name).toList()) + ")");
        }
        server.dropDatabase(shop.databaseName());
        try (Database ignored = Database.open(settings.with(Shop.SETTING, name), server, false)) {
            // created and migrated: an empty shop
        }
        deleteTree(shop.reportsDir());
        ShopIndex.write(settings);
    }

    private Summary summary(String name, Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT to_regclass('public.orders') IS NOT NULL AND to_regclass('ingest.files') IS NOT NULL "
                    + "AND to_regclass('bi.pipeline_runs') IS NOT NULL")) {
                rs.next();
                if (!rs.getBoolean(1)) return new Summary(name, 0, 0, null, null, null, null, null, null);   // created, not migrated yet
            }
            long files;
            String currency;
            try (ResultSet rs = st.executeQuery("SELECT count(*), string_agg(DISTINCT currency, ', ' ORDER BY currency) FROM ingest.files WHERE status = 'loaded'")) {
                rs.next();
                files = rs.getLong(1);
                currency = rs.getString(2);
            }
            long orders;
            LocalDate first, last;
            try (ResultSet rs = st.executeQuery("SELECT count(*), min(order_date), max(order_date) FROM orders")) {
                rs.next();
                orders = rs.getLong(1);
                first = rs.getObject(2, LocalDate.class);
                last = rs.getObject(3, LocalDate.class);
            }
            // ecombi's own tables and the demo are in the setting's currency (as data_scope says)
            if (currency == null && orders > 0) currency = settings.get("ecombi.report.currency");
            Long runId = null;
            String status = null;
            OffsetDateTime started = null;
            try (ResultSet rs = st.executeQuery("SELECT run_id, status, started_at FROM bi.pipeline_runs ORDER BY run_id DESC LIMIT 1")) {
                if (rs.next()) {
                    runId = rs.getLong(1);
                    status = rs.getString(2);
                    started = rs.getObject(3, OffsetDateTime.class);
                }
            }
            return new Summary(name, files, orders, first, last, currency, runId, status, started);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) Files.delete(p);
        }
    }

    @Override
    public void close() {
        if (server != null) server.close();
    }
}
