package io.ecombi.db;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bulk-loads CSV files shaped like the shop tables (header = column names) with PostgreSQL COPY,
 * in foreign-key order, in one transaction: either every file loads or none does.
 */
public final class ShopTableLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ShopTableLoader.class);
    /** Parents before children, so foreign keys hold as each file arrives. */
    public static final List<String> LOAD_ORDER = List.of("customers", "products", "orders", "order_items",
            "support_tickets", "web_events", "marketing_campaigns");

    private final DataSource ds;

    public ShopTableLoader(DataSource ds) {
        this.ds = ds;
    }

    /** Loads dir/<table>.csv for every shop table present there; returns rows per table. */
    public Map<String, Long> load(Path dir, boolean replaceExisting) throws IOException, SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (replaceExisting) {
                    try (Statement s = c.createStatement()) {
                        s.execute("TRUNCATE " + String.join(", ", LOAD_ORDER) + " CASCADE");
                    }
                }
                CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
                for (String table : LOAD_ORDER) {
                    Path file = dir.resolve(table + ".csv");
                    if (!Files.exists(file)) continue;
                    long t0 = System.nanoTime();
                    String header;
                    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                        header = r.readLine();
                    }
                    if (header == null || !header.matches("[a-z_]+(,[a-z_]+)*")) {
                        throw new IOException(file + ": first line must name the table's columns, found: " + header);
                    }
                    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                        long n = copy.copyIn("COPY " + table + " (" + header + ") FROM STDIN WITH (FORMAT csv, HEADER true)", r);
                        rows.put(table, n);
                        LOG.info("loaded {} rows into {} in {} s", n, table, String.format("%.1f", (System.nanoTime() - t0) / 1e9));
                    }
                }
                c.commit();
            } catch (IOException | SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            try (Statement s = c.createStatement()) {
                c.setAutoCommit(true);
                s.execute("ANALYZE");
            }
        }
        return rows;
    }
}
