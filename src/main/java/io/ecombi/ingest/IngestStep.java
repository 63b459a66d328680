package io.ecombi.ingest;

import io.ecombi.Settings;
import io.ecombi.run.ErrorText;
import io.ecombi.run.RunLifecycle;
import org.apache.camel.Exchange;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Loads a CSV (or .csv.gz) dropped into inbox/data (route ingest-drop): recognises its format by
 * its header (a sql/ingest format, or one of ecombi's own tables by file name), streams it with
 * COPY into a staging table, lets the format's set-based SQL reject, set aside or load every row,
 * checks rows read = loaded + rejected + set aside, and records it all in ingest.files. One
 * transaction per file: a file loads whole or not at all. Rejected and set-aside rows are kept
 * in ingest.row_issues and written beside the done file with their line and reason.
 */
public final class IngestStep {
    public static final String RUN_AFTER_LOAD_PROPERTY = "ingestRunAfterLoad";
    private static final Logger LOG = LoggerFactory.getLogger(IngestStep.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    /** What one file gave: the counts that must add up. */
    public record Result(long fileId, String format, long read, long loaded, long rejected, long setAside, double seconds, boolean duplicate) {}

    private final DataSource ds;
    private final Path formatsDir;
    private final Path inbox;
    private final boolean runAfterLoad;

    public IngestStep(DataSource ds, Settings s) {
        this.ds = ds;
        this.formatsDir = s.path("ecombi.sql.dir", "sql").resolve("ingest");
        this.inbox = s.path("ecombi.inbox.dir", "inbox").resolve("data");
        this.runAfterLoad = s.getBoolean("ecombi.ingest.run-after-load", true);
    }

    /** Route entry: the dropped file is named by the file consumer's headers. */
    public void load(Exchange exchange) throws Exception {
        String stamp = LocalDateTime.now().format(STAMP);
        exchange.setProperty(TriggerFiles.STAMP_PROPERTY, stamp);
        Path file = Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class));
        String name = file.getFileName().toString();
        Result r = load(file, inbox.resolve("done").resolve(stamp + "-" + name));
        exchange.setProperty("ingestResult", r);
        exchange.setProperty(RUN_AFTER_LOAD_PROPERTY, runAfterLoad && !r.duplicate() && r.loaded() > 0);
        exchange.getMessage().setHeader(RunLifecycle.TRIGGER_HEADER, "inbox-data:" + name);
    }

    /** Loads one file; rejects and set-aside rows go to issuesBase + ".rejects.csv" / ".set-aside.csv". */
    public Result load(Path file, Path issuesBase) throws Exception {
        long t0 = System.nanoTime();
        String name = file.getFileName().toString();
        String sha = sha256(file);
        Long earlier = loadedBefore(sha);
        if (earlier != null) {
            long id = newFile(name, null, sha, "duplicate");
            LOG.info("{}: same content as file {} loaded before; nothing to do", name, earlier);
            return new Result(id, null, 0, 0, 0, 0, 0, true);
        }
        long fileId = newFile(name, null, sha, "loading");
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                Result r = loadInTransaction(c, file, name, fileId, t0);
                c.commit();
                writeIssues(fileId, issuesBase);
                LOG.info("{}: {} format, {} rows read = {} loaded + {} rejected + {} set aside, in {} s ({} rows/s)", name, r.format(), r.read(), r.loaded(),
                        r.rejected(), r.setAside(), String.format("%.1f", r.seconds()), Math.round(r.read() / Math.max(r.seconds(), 1e-3)));
                return r;
            } catch (Exception e) {
                c.rollback();
                throw e;
            }
        } catch (Exception e) {
            markFailed(fileId, ErrorText.of(e));
            throw e;
        }
    }

    private Result loadInTransaction(Connection c, Path file, String name, long fileId, long t0) throws Exception {
        CSVFormat csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreSurroundingSpaces(false).get();
        try (Reader reader = reader(file); CSVParser parser = CSVParser.parse(reader, csv)) {
            List<String> header = parser.getHeaderNames();
            List<String> columns = header.stream().map(IngestFormat::column).toList();
            if (new java.util.HashSet<>(columns).size() != columns.size()) throw new IllegalArgumentException(name + ": two header columns have the same name: " + header);
            String script;
            String format;
            String table = tableOf(name);
            List<IngestFormat> formats = IngestFormat.all(formatsDir);
            IngestFormat match = formats.stream().filter(f -> f.matches(columns)).findFirst().orElse(null);
            if (match != null) {
                format = match.name();
                script = Files.readString(match.script(), StandardCharsets.UTF_8);
            } else if (table != null) {
                format = "table " + table;
                script = ShopTableMerge.script(c, table, columns);
            } else {
                StringBuilder known = new StringBuilder();
                for (IngestFormat f : formats) known.append("\n  ").append(f.name()).append(": ").append(f.requiredColumns());
                throw new IllegalArgumentException(name + ": header " + header + " is not a known format. Expected one of:" + known
                        + "\n  or one of ecombi's tables, named <table>.csv (" + String.join(", ", ShopTableMerge.TABLES) + ") with its column names as header");
            }
            try (Statement s = c.createStatement()) {
                StringBuilder ddl = new StringBuilder("CREATE TEMPORARY TABLE load (line_no bigint NOT NULL, status text, reason text");
                for (String col : columns) ddl.append(", \"").append(col).append("\" text");
                s.execute(ddl.append(") ON COMMIT DROP").toString());
            }
            long read = 0, wrongWidth = 0;
            List<Object[]> badRecords = new ArrayList<>();
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY load (line_no, " + String.join(", ", columns.stream().map(x -> "\"" + x + "\"").toList())
                    + ") FROM STDIN WITH (FORMAT csv)");
            try {
                StringBuilder line = new StringBuilder(256);
                for (CSVRecord rec : parser) {
                    read++;
                    long lineNo = rec.getRecordNumber() + 1;   // the header is line 1
                    if (rec.size() != columns.size()) {
                        wrongWidth++;
                        badRecords.add(new Object[]{lineNo, "expected " + columns.size() + " fields, found " + rec.size(), String.join(",", rec.toList())});
                        continue;
                    }
                    line.setLength(0);
                    line.append(lineNo);
                    for (String v : rec) line.append(",\"").append(v.replace("\"", "\"\"")).append('"');
                    line.append('\n');
                    byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                }
                copy.endCopy();
            } finally {
                if (copy.isActive()) copy.cancelCopy();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT set_config('ecombi.file_id', ?, true)")) {
                ps.setString(1, Long.toString(fileId));
                ps.execute();
            }
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE load");   // temporary tables get no autovacuum statistics
                // statement by statement, so a slow one is named in the log
                for (String statement : script.split(";\\s*\\n")) {
                    if (statement.strip().replaceAll("(?m)^--.*$", "").isBlank()) continue;
                    long t = System.nanoTime();
                    s.execute(statement);
                    double sec = (System.nanoTime() - t) / 1e9;
                    if (sec > 0.5) LOG.info("{}: {} s for: {}", name, String.format("%.1f", sec), statement.strip().replaceAll("(?m)^--.*\\n", "").lines().findFirst().orElse(""));
                }
            }
            // a format marks the rows it rejects or sets aside; the rest it has loaded
            Map<String, Long> byStatus = new LinkedHashMap<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT coalesce(status, 'loaded'), count(*) FROM load GROUP BY 1")) {
                while (rs.next()) byStatus.put(rs.getString(1), rs.getLong(2));
            }
            List<String> unknownStatus = byStatus.keySet().stream().filter(k -> !List.of("loaded", "rejected", "set_aside").contains(k)).toList();
            if (!unknownStatus.isEmpty()) throw new IllegalStateException("format " + format + " marked rows with unknown status " + unknownStatus);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ingest.row_issues (file_id, line_no, kind, reason, record) "
                    + "SELECT ?, line_no, status, reason, to_jsonb(load) - 'status' - 'reason' - 'line_no' FROM load WHERE status IN ('rejected', 'set_aside')")) {
                ps.setLong(1, fileId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ingest.row_issues (file_id, line_no, kind, reason, record) VALUES (?, ?, 'rejected', ?, to_jsonb(CAST(? AS text)))")) {
                for (Object[] b : badRecords) {
                    ps.setLong(1, fileId);
                    ps.setLong(2, (Long) b[0]);
                    ps.setString(3, (String) b[1]);
                    ps.setString(4, (String) b[2]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            long loaded = byStatus.getOrDefault("loaded", 0L), rejected = byStatus.getOrDefault("rejected", 0L) + wrongWidth,
                    setAside = byStatus.getOrDefault("set_aside", 0L);
            if (loaded + rejected + setAside != read) {
                throw new IllegalStateException(name + ": rows do not add up: " + read + " read, " + loaded + " loaded, " + rejected + " rejected, " + setAside + " set aside");
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            try (PreparedStatement ps = c.prepareStatement("UPDATE ingest.files SET status = 'loaded', format = ?, rows_read = ?, rows_loaded = ?, rows_rejected = ?, "
                    + "rows_set_aside = ?, seconds = ? WHERE file_id = ?")) {
                ps.setString(1, format);
                ps.setLong(2, read);
                ps.setLong(3, loaded);
                ps.setLong(4, rejected);
                ps.setLong(5, setAside);
                ps.setDouble(6, seconds);
                ps.setLong(7, fileId);
                ps.executeUpdate();
            }
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE customers, products, orders, order_items");
            }
            return new Result(fileId, format, read, loaded, rejected, setAside, seconds, false);
        }
    }

    /** Route entry after a failure: the error file beside the file in failed/, and the rethrow that sends it there. */
    public void failed(Exchange exchange) throws IOException {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        String stamp = exchange.getProperty(TriggerFiles.STAMP_PROPERTY, String.class);
        Path failedDir = inbox.resolve("failed");
        Files.createDirectories(failedDir);
        Path errorFile = failedDir.resolve(stamp + "-" + name + ".error.txt");
        Files.writeString(errorFile, "Data file " + name + " was not loaded (nothing of it is in the database)\n" + ErrorText.of(e) + "\n", StandardCharsets.UTF_8);
        LOG.error("data file {} not loaded: {} (moved to {}, reason in {})", name, ErrorText.of(e), failedDir.resolve(stamp + "-" + name), errorFile);
        if (e instanceof RuntimeException re) throw re;
        throw new IllegalStateException(ErrorText.of(e), e);
    }

    private void writeIssues(long fileId, Path base) throws IOException, SQLException {
        for (String kind : List.of("rejected", "set_aside")) {
            Path out = base.resolveSibling(base.getFileName() + (kind.equals("rejected") ? ".rejects.csv" : ".set-aside.csv"));
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT line_no, reason, record FROM ingest.row_issues WHERE file_id = ? AND kind = ? ORDER BY line_no")) {
                ps.setLong(1, fileId);
                ps.setString(2, kind);
                ps.setFetchSize(10_000);
                c.setAutoCommit(false);
                try (ResultSet rs = ps.executeQuery()) {
                    BufferedWriter w = null;
                    while (rs.next()) {
                        if (w == null) {
                            Files.createDirectories(out.getParent());
                            w = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
                            w.write("line,reason,record\n");
                        }
                        w.write(rs.getLong(1) + "," + csv(rs.getString(2)) + "," + csv(rs.getString(3)) + "\n");
                    }
                    if (w != null) w.close();
                }
            }
        }
    }

    private static String csv(String s) {
        return s == null ? "" : '"' + s.replace("\"", "\"\"") + '"';
    }

    private static String tableOf(String fileName) {
        String base = fileName.toLowerCase().replaceFirst("\\.csv(\\.gz)?$", "");
        return ShopTableMerge.TABLES.contains(base) ? base : null;
    }

    private static Reader reader(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.getFileName().toString().toLowerCase().endsWith(".gz")) in = new GZIPInputStream(in, 1 << 16);
        return new java.io.BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    private Long loadedBefore(String sha) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT min(file_id) FROM ingest.files WHERE sha256 = ? AND status = 'loaded'")) {
            ps.setString(1, sha);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long id = rs.getLong(1);
                return rs.wasNull() ? null : id;
            }
        }
    }

    private long newFile(String name, String format, String sha, String status) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO ingest.files (file_name, format, sha256, status) VALUES (?, ?, ?, ?) RETURNING file_id")) {
            ps.setString(1, name);
            ps.setString(2, format);
            ps.setString(3, sha);
            ps.setString(4, status);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void markFailed(long fileId, String error) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE ingest.files SET status = 'failed', error_text = ? WHERE file_id = ?")) {
            ps.setString(1, error);
            ps.setLong(2, fileId);
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("could not record the failure of file {}: {}", fileId, e.getMessage());
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
