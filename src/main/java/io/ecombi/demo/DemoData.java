package io.ecombi.demo;

import io.ecombi.Settings;
import io.ecombi.db.Database;
import io.ecombi.db.ShopTableLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** Generates the demo shop and loads it: on demand (command demo), or on first use of the embedded database. */
public final class DemoData {
    private static final Logger LOG = LoggerFactory.getLogger(DemoData.class);

    private DemoData() {}

    public static Map<String, Long> generateAndLoad(Database db, int customers, long seed, LocalDate endDate) throws IOException, SQLException {
        return generateAndLoad(db, new DemoDataGenerator(customers, seed, endDate));
    }

    public static Map<String, Long> generateAndLoad(Database db, DemoDataGenerator generator) throws IOException, SQLException {
        if (db.isEmbedded() && io.ecombi.shop.Shop.DEFAULT.equals(db.shop().name())) {
            throw new IllegalArgumentException("the shop default takes your own files and never demo data: load the demo into the shop demo "
                    + "(the demo command's default) or a shop of its own (--shop NAME)");
        }
        Path dir = Files.createTempDirectory("ecombi-demo-");
        try {
            long t0 = System.nanoTime();
            DemoDataGenerator.Summary s = generator.writeCsv(dir);
            LOG.info("demo data generated in {} s: {}", String.format("%.1f", (System.nanoTime() - t0) / 1e9), s);
            long t1 = System.nanoTime();
            Map<String, Long> rows = new ShopTableLoader(db.dataSource()).load(dir, true);
            markAsDemo(db, s.toString());
            LOG.info("demo data loaded in {} s", String.format("%.1f", (System.nanoTime() - t1) / 1e9));
            return rows;
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The shop tables now hold demo data: the first real file dropped replaces it (IngestStep), so the two never mix. */
    private static void markAsDemo(Database db, String description) throws SQLException {
        try (java.sql.Connection c = db.dataSource().getConnection()) {
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("UPDATE ingest.demo_loads SET replaced_at = now(), replaced_by = 'demo data' WHERE replaced_at IS NULL");
            }
            try (java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO ingest.demo_loads (description) VALUES (?)")) {
                ps.setString(1, "demo shop: " + description);
                ps.executeUpdate();
            }
        }
    }

    /**
     * On the embedded database only: the shop demo, empty, gets the demo data, so the first run
     * shows something (a run on the shop default without data is switched to demo: DemoShop).
     * No other shop ever gets it here.
     */
    public static void loadIfEmpty(Database db, Settings settings) throws IOException, SQLException {
        if (!db.isEmbedded() || !db.shop().isDemo() || !settings.getBoolean("ecombi.demo.load-if-empty") || db.count("orders") > 0) return;
        int customers = settings.getInt("ecombi.demo.customers");
        LOG.info("The demo shop has no orders: loading demo data ({} customers, seed {}). "
                + "Your own exports: `bin/ecombi load FILE` (into the shop default), or point ecombi.db.url at your shop's PostgreSQL.",
                customers, settings.get("ecombi.demo.seed"));
        generateAndLoad(db, customers, settings.getInt("ecombi.demo.seed"), LocalDate.parse(settings.get("ecombi.demo.end-date")));
    }
}
