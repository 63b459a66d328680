package io.ecombi.ingest;

import io.ecombi.run.RunRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A file's rows checked and recorded: the rows the format rejected or set aside (and those of the
 * wrong width) in ingest.row_issues, read = loaded + rejected + set aside, the file's totals
 * reconciled, and ingest.files saying how the load ended; the issues written beside the done file.
 */
final class LoadBookkeeping {
    // ingest's log lines keep one logger name, IngestStep
    private static final Logger LOG = LoggerFactory.getLogger(IngestStep.class);

    private LoadBookkeeping() {}

    /** Rows of the file by how they ended. */
    record Counts(long loaded, long rejected, long setAside) {}

    /**
     * In the load's transaction, after the format's SQL: the staged rows' statuses counted and their
     * issues kept, with the records of the wrong width (line, reason, record); throws when the counts
     * do not add up, nothing was loaded, or the totals do not reconcile.
     */
    static Counts check(Connection c, String name, long fileId, String format, long read, long wrongWidth, List<Object[]> badRecords) throws SQLException {
        // a format marks the rows it rejects or sets aside; the rest it has loaded
        Map<String, Long> byStatus = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT coalesce(status, 'loaded'), count(*) FROM load GROUP BY 1")) {
            while (rs.next()) byStatus.put(rs.getString(1), rs.getLong(2));
        }
        List<String> unknownStatus = byStatus.keySet().stream().filter(k -> !List.of("loaded", "rejected", "set_aside").contains(k)).toList();
        if (!unknownStatus.isEmpty()) throw new IllegalStateException("format " + format + " marked rows with unknown status " + unknownStatus);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ingest.row_issues (file_id, line_no, kind, reason, record) "
                + "SELECT ?, line_no, status, reason, to_jsonb(load) - 'status' - 'reason' - 'line_no' - '" + ShopTableMerge.CLEAR + "' FROM load WHERE status IN ('rejected', 'set_aside')")) {
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
        if (loaded == 0 && rejected > 0) throw new IngestStep.FileRefused(nothingLoaded(c, name, fileId, read, rejected), null);
        reconcile(c, name, fileId);
        return new Counts(loaded, rejected, setAside);
    }

    /** The refusal of a file none of whose rows could be loaded (typically: its parents are not loaded yet). */
    private static String nothingLoaded(Connection c, String name, long fileId, long read, long rejected) throws SQLException {
        StringBuilder sb = new StringBuilder(name + ": nothing loaded: all " + read + " rows were rejected or set aside (" + rejected + " rejected), so the file is not marked as loaded"
                + " and can be dropped again; first reasons:");
        try (PreparedStatement ps = c.prepareStatement("SELECT line_no, reason FROM ingest.row_issues WHERE file_id = ? AND kind = 'rejected' ORDER BY line_no LIMIT 3")) {
            ps.setLong(1, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) sb.append(" line ").append(rs.getLong(1)).append(": ").append(rs.getString(2)).append(';');
            }
        }
        if (sb.toString().contains("unknown ")) sb.append(" load the files it points to first (customers, products, orders, then order lines)");
        return sb.toString();
    }

    /**
     * The format recorded what the file holds (ingest.files.source_totals) and what the shop tables hold for the orders it
     * loaded (loaded_totals): every key of loaded_totals must equal the same key of source_totals, else the file fails.
     */
    private static void reconcile(Connection c, String name, long fileId) throws SQLException {
        List<String> differences = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT l.key, f.source_totals -> l.key, l.value FROM ingest.files f CROSS JOIN LATERAL jsonb_each(f.loaded_totals) l "
                + "WHERE f.file_id = ? AND (f.source_totals -> l.key) IS DISTINCT FROM l.value ORDER BY l.key")) {
            ps.setLong(1, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String diff = "";
                    try {
                        diff = ", difference " + new java.math.BigDecimal(rs.getString(3)).subtract(new java.math.BigDecimal(rs.getString(2))).toPlainString();
                    } catch (RuntimeException notNumbers) { /* objects or text: shown as they are */ }
                    differences.add(rs.getString(1) + ": file " + rs.getString(2) + ", loaded " + rs.getString(3) + diff);
                }
            }
        }
        if (!differences.isEmpty()) {
            throw new IllegalStateException(name + ": the loaded data does not reproduce the file's totals, so nothing of it is loaded: " + String.join("; ", differences));
        }
    }

    /** In the load's transaction: the file's row of ingest.files says it is loaded, with its counts. */
    static void recordLoaded(Connection c, long fileId, String format, long read, Counts n, double seconds, String currency, String encoding) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE ingest.files SET status = 'loaded', finished_at = clock_timestamp(), format = ?, rows_read = ?, rows_loaded = ?, rows_rejected = ?, "
                + "rows_set_aside = ?, seconds = ?, currency = ?, encoding = ? WHERE file_id = ?")) {
            ps.setString(1, format);
            ps.setLong(2, read);
            ps.setLong(3, n.loaded());
            ps.setLong(4, n.rejected());
            ps.setLong(5, n.setAside());
            ps.setDouble(6, seconds);
            ps.setString(7, currency);
            ps.setString(8, encoding);
            ps.setLong(9, fileId);
            ps.executeUpdate();
        }
    }

    /** The file's rejected and set-aside rows, to base + ".rejects.csv" and ".set-aside.csv" (none: no file). */
    static void writeIssues(DataSource ds, long fileId, Path base) throws IOException, SQLException {
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

    /** The first file of this content that loaded, or null. */
    static Long loadedBefore(DataSource ds, String sha) throws SQLException {
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

    /** A file that ended without a load (a duplicate): its row of ingest.files, finished. */
    static long newFile(DataSource ds, String name, String format, String sha, String status) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO ingest.files (file_name, format, sha256, status, loader, finished_at) VALUES (?, ?, ?, ?, ?, now()) RETURNING file_id")) {
            ps.setString(1, name);
            ps.setString(2, format);
            ps.setString(3, sha);
            ps.setString(4, status);
            ps.setString(5, RunRecorder.host());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * How the load ended, on the loader's own connection (autocommit) while it still holds the
     * ownership, or on a fresh one when that connection broke.
     */
    static void markEnded(DataSource ds, Connection c, long fileId, String status, String error) {
        String sql = "UPDATE ingest.files SET status = ?, error_text = ?, finished_at = now() WHERE file_id = ? AND status = 'loading'";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bindEnd(ps, fileId, status, error);
            ps.executeUpdate();
            return;
        } catch (SQLException first) {
            try (Connection fresh = ds.getConnection(); PreparedStatement ps = fresh.prepareStatement(sql)) {
                bindEnd(ps, fileId, status, error);
                ps.executeUpdate();
            } catch (SQLException e) {
                LOG.warn("could not record the end ({}) of load {}: {}", status, fileId, e.getMessage());
            }
        }
    }

    private static void bindEnd(PreparedStatement ps, long fileId, String status, String error) throws SQLException {
        ps.setString(1, status);
        ps.setString(2, error);
        ps.setLong(3, fileId);
    }
}
