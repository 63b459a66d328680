package io.ecombi.shop;

import io.ecombi.Settings;
import io.ecombi.db.EmbeddedServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Where the demo goes. The demo is the shop demo: `run` on a fresh checkout (the shop default,
 * still without data, on the embedded server) reports the shop demo instead, and the demo
 * command loads into demo unless it names another shop. The shop default never gets demo data,
 * so a first real load goes into an empty shop and never meets it.
 */
public final class DemoShop {
    private static final Logger LOG = LoggerFactory.getLogger(DemoShop.class);

    private DemoShop() {}

    /**
     * The settings a run uses: the shop default without data (no file loaded, no order) on the
     * embedded server with ecombi.demo.load-if-empty=true becomes the shop demo; anything else is
     * left as it is.
     */
    public static Settings forRun(Settings settings, EmbeddedServer server) {
        if (server == null || !settings.getBoolean("ecombi.demo.load-if-empty")) return settings;
        Shop shop = Shop.of(settings);
        if (!Shop.DEFAULT.equals(shop.name()) || hasData(server, shop.databaseName())) return settings;
        LOG.info("The shop default has no data yet: this run shows the demo shop (shop demo, reports in {}). "
                + "Load your own exports with `bin/ecombi load FILE` (they go into the shop default, never mixed with the demo), then run again.",
                Shop.named(Shop.DEMO, settings).reportsDir());
        return settings.with(Shop.SETTING, Shop.DEMO);
    }

    /** The demo command fills the shop demo, or the shop it names (a test copy); never the shop default. */
    public static Settings forDemoCommand(Settings settings) {
        return Shop.DEFAULT.equals(Shop.of(settings).name()) ? settings.with(Shop.SETTING, Shop.DEMO) : settings;
    }

    /** A file loaded or an order in the shop's database (false when it does not exist yet). */
    static boolean hasData(EmbeddedServer server, String database) {
        if (!server.hasDatabase(database)) return false;
        try (Connection c = server.connect(database);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT to_regclass('public.orders') IS NOT NULL AND to_regclass('ingest.files') IS NOT NULL")) {
            rs.next();
            if (!rs.getBoolean(1)) return false;   // created, not migrated yet
            try (ResultSet r2 = st.executeQuery("SELECT EXISTS (SELECT 1 FROM orders) OR EXISTS (SELECT 1 FROM ingest.files WHERE status = 'loaded')")) {
                r2.next();
                return r2.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the shop database " + database + ": " + e.getMessage(), e);
        }
    }
}
