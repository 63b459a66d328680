package io.ecombi.ingest;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * What a file's load does inside its transaction: recognises the format by the header (a
 * sql/ingest format, or one of ecombi's own tables by file name), COPYs the rows into the staging
 * table load, runs the format's SQL (a sql/ingest file, or an own table's merge),
 * checks and records the counts, and refreshes the statistics of what the file changed.
 */
final class StagedLoad {
    // ingest's log lines keep one logger name, IngestStep
    private static final Logger LOG = LoggerFactory.getLogger(IngestStep.class);

    private final Path formatsDir;
    private final String ownTablesCurrency;

    StagedLoad(Path formatsDir, String ownTablesCurrency) {
        this.formatsDir = formatsDir;
        this.ownTablesCurrency = ownTablesCurrency;
    }

    /** Loads the file on c, whose transaction the caller owns and commits; t0: when the file's load began. */
    IngestStep.Result load(Connection c, Path file, String name, long fileId, long t0, TextEncoding encoding, LoadControl.Load load) throws Exception {
        CSVFormat csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreSurroundingSpaces(false).get();
        try (Reader reader = encoding.reader(file); CSVParser parser = CSVParser.parse(reader, csv)) {
            List<String> header = parser.getHeaderNames();
            if (header.isEmpty()) throw new IngestStep.FileRefused(name + ": the file is empty (no header line)", null);
            List<String> columns = header.stream().map(IngestFormat::column).toList();
            if (new java.util.HashSet<>(columns).size() != columns.size()) throw new IllegalArgumentException(name + ": two header columns have the same name: " + header);
            String script = null;
            ShopTableMerge merge = null;
            String format;
            String currency = ownTablesCurrency;
            String table = tableOf(name);
            List<IngestFormat> formats = IngestFormat.all(formatsDir);
            IngestFormat match = formats.stream().filter(f -> f.matches(columns)).findFirst().orElse(null);
            if (match != null) {
                format = match.name();
                script = Files.readString(match.script(), StandardCharsets.UTF_8);
                if (match.currency() != null) currency = match.currency();
            } else if (table != null) {
                format = "table " + table;
                merge = ShopTableMerge.of(c, table, columns);
            } else {
                StringBuilder known = new StringBuilder();
                for (IngestFormat f : formats) known.append("\n  ").append(f.name()).append(": ").append(f.requiredColumns());
                throw new IngestStep.FileRefused(name + ": header " + header + " is not a known format. Expected one of:" + known
                        + "\n  or one of ecombi's tables, named <table>.csv (" + String.join(", ", ShopTableMerge.TABLES) + ") with its column names as header", null);
            }
            replaceDemoData(c, name);
            StagingCopy.createTable(c, columns, merge);
            long tStart = System.nanoTime();
            StagingCopy.Copied copied = StagingCopy.copy(c, parser, columns, merge, load);
            long tCopied = System.nanoTime();
            String encodingText = encoding.describe();
            if (copied.replacementChars() > 0) {
                encodingText += "; " + copied.replacementChars() + " values hold U+FFFD (the replacement character: the export was damaged before ecombi read it)";
                LOG.warn("{}: {} values hold U+FFFD, the replacement character: the export lost letters before ecombi read it; they are loaded as they are", name, copied.replacementChars());
            }
            boolean copyBack = false;
            if (merge != null) {
                boolean tableEmpty;
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT NOT EXISTS (SELECT 1 FROM " + table + ")")) {
                    rs.next();
                    tableEmpty = rs.getBoolean(1);
                }
                script = merge.script(true, copied.keysIncreasing(), tableEmpty);
                copyBack = tableEmpty;
                LOG.debug("{}: keys {}, table {}", name, copied.keysIncreasing() ? "only grow" : "may repeat", tableEmpty ? "empty (plain INSERT)" : "not empty (upsert)");
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT set_config('ecombi.file_id', ?, true)")) {
                ps.setString(1, Long.toString(fileId));
                ps.execute();
            }
            runScript(c, name, script, merge == null, load);
            if (copyBack) StagingCopy.copyBack(c, name, merge, load);
            long tMapped = System.nanoTime();
            long read = copied.read();
            LoadBookkeeping.Counts n = LoadBookkeeping.check(c, name, fileId, format, read, copied.wrongWidth(), copied.badRecords());
            double seconds = (System.nanoTime() - t0) / 1e9;
            LoadBookkeeping.recordLoaded(c, fileId, format, read, n, seconds, currency, encodingText);
            long tRecorded = System.nanoTime();
            // fresh statistics for the next file's joins and the run: only of what this file can have changed
            try (Statement s = c.createStatement()) {
                s.execute(table != null && match == null ? "ANALYZE " + table : "ANALYZE customers, products, orders, order_items");
            }
            LOG.info("{}: read and COPY to staging {} s, checks and merge {} s, counts, issues and totals {} s, ANALYZE {} s", name, secs(tCopied - tStart),
                    secs(tMapped - tCopied), secs(tRecorded - tMapped), secs(System.nanoTime() - tRecorded));
            return new IngestStep.Result(fileId, format, read, n.loaded(), n.rejected(), n.setAside(), seconds, false);
        }
    }

    /** The format's script, statement by statement, so a slow one is named in the log. */
    private static void runScript(Connection c, String name, String script, boolean analyze, LoadControl.Load load) throws SQLException {
        try (Statement s = c.createStatement()) {
            // temporary tables get no autovacuum statistics; an own-table script's plans need none (scans and hash joins on
            // the parents), and sampling 3 million staged rows costs 0.3 s
            if (analyze) s.execute("ANALYZE load");
            for (String statement : script.split(";\\s*\\n")) {
                if (statement.strip().replaceAll("(?m)^--.*$", "").isBlank()) continue;
                load.check();
                long t = System.nanoTime();
                s.execute(statement);
                double sec = (System.nanoTime() - t) / 1e9;
                if (sec > 0.5) LOG.info("{}: {} s for: {}", name, String.format("%.1f", sec), statement.strip().replaceAll("(?m)^--.*\\n", "").lines().findFirst().orElse(""));
            }
        }
    }

    /** Demo data never mixes with a user's data: the first real file replaces it, saying so. */
    private static void replaceDemoData(Connection c, String name) throws SQLException {
        String demo = null;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT string_agg(description, ', ') FROM ingest.demo_loads WHERE replaced_at IS NULL")) {
            if (rs.next()) demo = rs.getString(1);
        }
        if (demo == null) return;
        LOG.warn("{}: the shop tables hold demo data ({}): it is removed before this file loads, so demo and real data never mix", name, demo);
        try (Statement s = c.createStatement()) {
            s.execute("TRUNCATE customers, products, orders, order_items, support_tickets, web_events, marketing_campaigns");
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE ingest.demo_loads SET replaced_at = now(), replaced_by = ? WHERE replaced_at IS NULL")) {
            ps.setString(1, name);
            ps.executeUpdate();
        }
    }

    /** The own table a file is named after (customers.csv, orders.csv.gz, ...), or null. */
    private static String tableOf(String fileName) {
        String base = fileName.toLowerCase().replaceFirst("\\.csv(\\.gz)?$", "");
        return ShopTableMerge.TABLES.contains(base) ? base : null;
    }

    private static String secs(long nanos) {
        return String.format("%.2f", nanos / 1e9);
    }
}
