package io.ecombi.ingest;

import io.ecombi.db.SqlFile;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Reader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * What a file's load does inside its transaction: recognises the format by the header (a
 * sql/ingest format, or one of ecombi's own tables by file name), COPYs the rows into the staging
 * table load, runs the format's SQL (the sql/ingest file through SqlFile, or an own table's merge),
 * checks and records the counts, and refreshes the statistics of what the file changed.
 */
final class StagedLoad {
    // ingest's log lines keep one logger name, IngestStep
    private static final Logger LOG = LoggerFactory.getLogger(IngestStep.class);

    private final Path formatsDir;
    private final String ownTablesCurrency;
    private final String shop;
    private final boolean acceptMixed;

    StagedLoad(Path formatsDir, String ownTablesCurrency, String shop, boolean acceptMixed) {
        this.formatsDir = formatsDir;
        this.ownTablesCurrency = ownTablesCurrency;
        this.shop = shop;
        this.acceptMixed = acceptMixed;
    }

    /** Loads the file on c, whose transaction the caller owns and commits; t0: when the file's load began. */
    IngestStep.Result load(Connection c, Path file, String name, long fileId, long t0, TextEncoding encoding, LoadControl.Load load) throws Exception {
        CSVFormat csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreSurroundingSpaces(false).get();
        try (Reader reader = encoding.reader(file, load.bytesRead); CSVParser parser = CSVParser.parse(reader, csv)) {
            List<String> header = parser.getHeaderNames();
            if (header.isEmpty()) throw new IngestStep.FileRefused(name + ": the file is empty (no header line)", null);
            List<String> columns = header.stream().map(IngestFormat::column).toList();
            if (new java.util.HashSet<>(columns).size() != columns.size()) throw new IllegalArgumentException(name + ": two header columns have the same name: " + header);
            SqlFile formatSql = null;
            ShopTableMerge merge = null;
            String format;
            String currency = ownTablesCurrency;
            String table = tableOf(name);
            List<IngestFormat> formats = IngestFormat.all(formatsDir);
            IngestFormat match = formats.stream().filter(f -> f.matches(columns)).findFirst().orElse(null);
            if (match != null) {
                format = match.name();
                formatSql = SqlFile.read(match.script());
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
            if (!acceptMixed) ShopSources.check(c, name, shop, match != null ? match.source() : ShopSources.OWN_TABLES, currency, formats);
            replaceDemoData(c, name);
            StagingCopy.createTable(c, columns, merge);
            long tStart = System.nanoTime();
            load.phase = LoadControl.Phase.READING;
            StagingCopy.Copied copied = StagingCopy.copy(c, parser, columns, merge, load);
            long tCopied = System.nanoTime();
            load.phase = LoadControl.Phase.MERGING;
            String encodingText = encoding.describe();
            if (copied.replacementChars() > 0) {
                encodingText += "; " + copied.replacementChars() + " values hold U+FFFD (the replacement character: the export was damaged before ecombi read it)";
                LOG.warn("{}: {} values hold U+FFFD, the replacement character: the export lost letters before ecombi read it; they are loaded as they are", name, copied.replacementChars());
            }
            List<String> mergeStatements = null;
            boolean copyBack = false;
            if (merge != null) {
                boolean tableEmpty;
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT NOT EXISTS (SELECT 1 FROM " + table + ")")) {
                    rs.next();
                    tableEmpty = rs.getBoolean(1);
                }
                mergeStatements = merge.statements(true, copied.keysIncreasing(), tableEmpty);
                copyBack = tableEmpty;
                LOG.debug("{}: keys {}, table {}", name, copied.keysIncreasing() ? "only grow" : "may repeat", tableEmpty ? "empty (plain INSERT)" : "not empty (upsert)");
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT set_config('ecombi.file_id', ?, true)")) {
                ps.setString(1, Long.toString(fileId));
                ps.execute();
            }
            if (match != null) match.dateOrder().apply(c, name, match.name());
            if (formatSql != null) runFormat(c, formatSql, load);
            else runMerge(c, name, mergeStatements, load);
            if (copyBack) StagingCopy.copyBack(c, name, merge, load);
            long tMapped = System.nanoTime();
            load.phase = LoadControl.Phase.RECORDING;
            long read = copied.read();
            LoadBookkeeping.Counts n = LoadBookkeeping.check(c, name, fileId, format, read, copied.wrongWidth(), copied.badRecords());
            double seconds = (System.nanoTime() - t0) / 1e9;
            LoadBookkeeping.recordLoaded(c, fileId, format, read, n, seconds, currency, encodingText);
            long tRecorded = System.nanoTime();
            load.phase = LoadControl.Phase.ANALYZING;
            // fresh statistics for the next file's joins and the run: of what this file changed, when it changed
            // enough of it to matter (ingest.analyze_when_stale; a day's orders into a large shop pays none)
            try (Statement s = c.createStatement()) {
                s.execute(table != null && match == null ? "SELECT ingest.analyze_when_stale('" + table + "')"
                        : "SELECT ingest.analyze_when_stale('customers', 'products', 'orders', 'order_items')");
            }
            LOG.info("{}: read and COPY to staging {} s, checks and merge {} s, counts, issues and totals {} s, ANALYZE {} s", name, secs(tCopied - tStart),
                    secs(tMapped - tCopied), secs(tRecorded - tMapped), secs(System.nanoTime() - tRecorded));
            return new IngestStep.Result(fileId, format, read, n.loaded(), n.rejected(), n.setAside(), seconds, false);
        }
    }

    /**
     * A sql/ingest format's statements, on the load's connection and in its transaction. Temporary
     * tables get no autovacuum statistics: the staging table is analyzed before the statements plan on it.
     */
    private static void runFormat(Connection c, SqlFile formatSql, LoadControl.Load load) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("ANALYZE load");
        }
        load.check();
        // names a slow statement in the log itself
        formatSql.execute(c, Map.of(), (number, count, line) -> load.step = "statement " + number + " of " + count + " of " + formatSql.path().getFileName()
                + " (line " + line + ")");
    }

    /**
     * An own table's merge, statement by statement, so a slow one is named in the log. The staging
     * table is not analyzed: the merge's plans need no statistics (scans and hash joins on the
     * parents), and sampling 3 million staged rows costs 0.3 s.
     */
    private static void runMerge(Connection c, String name, List<String> statements, LoadControl.Load load) throws SQLException {
        try (Statement s = c.createStatement()) {
            int number = 0;
            for (String statement : statements) {
                load.check();
                load.step = "statement " + ++number + " of " + statements.size() + " of the merge";
                long t = System.nanoTime();
                s.execute(statement);
                double sec = (System.nanoTime() - t) / 1e9;
                if (sec > 0.5) LOG.info("{}: {} s for: {}", name, String.format("%.1f", sec), statement.strip().lines().findFirst().orElse(""));
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
