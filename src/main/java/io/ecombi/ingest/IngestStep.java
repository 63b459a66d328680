package io.ecombi.ingest;

import io.ecombi.Settings;
import io.ecombi.run.ErrorText;
import io.ecombi.run.RunLifecycle;
import io.ecombi.run.RunRecorder;
import org.apache.camel.Exchange;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.PGCopyOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
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
    public static final String FAILURE_PROPERTY = "ingestFailure";
    private static final Logger LOG = LoggerFactory.getLogger(IngestStep.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    /** What one file gave: the counts that must add up. */
    public record Result(long fileId, String format, long read, long loaded, long rejected, long setAside, double seconds, boolean duplicate) {}

    private final DataSource ds;
    private final Path formatsDir;
    private final Path inbox;
    private final boolean runAfterLoad;
    private final String ownTablesCurrency;
    private final String workMem;
    /** A file of the current inbox batch loaded rows: the batch's last file starts the run. */
    private final java.util.concurrent.atomic.AtomicBoolean runPending = new java.util.concurrent.atomic.AtomicBoolean();

    public IngestStep(DataSource ds, Settings s) {
        this.ds = ds;
        this.formatsDir = s.path("ecombi.sql.dir").resolve("ingest");
        this.inbox = s.path("ecombi.inbox.dir").resolve("data");
        this.runAfterLoad = s.getBoolean("ecombi.ingest.run-after-load");
        this.ownTablesCurrency = s.get("ecombi.report.currency");
        this.workMem = s.get("ecombi.ingest.work-mem");
    }

    /** Thrown for a file that is refused as a whole: the message names the file and says why. */
    public static final class FileRefused extends IllegalArgumentException {
        public FileRefused(String message, Throwable cause) { super(message, cause); }
    }

    /** Route entry: the dropped file is named by the file consumer's headers. */
    public void load(Exchange exchange) throws Exception {
        String stamp = LocalDateTime.now().format(STAMP);
        exchange.setProperty(TriggerFiles.STAMP_PROPERTY, stamp);
        Path file = Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class));
        String name = file.getFileName().toString();
        exchange.setProperty(TriggerFiles.FAILED_TARGET_PROPERTY, "failed/" + stamp + "-" + name);
        exchange.getMessage().setHeader(RunLifecycle.TRIGGER_HEADER, "inbox-data:" + name);
        Result r = load(file, inbox.resolve("done").resolve(stamp + "-" + name));
        exchange.setProperty("ingestResult", r);
        if (!r.duplicate() && r.loaded() > 0) runPending.set(true);
        decideRun(exchange);
    }

    /** Files dropped together are one batch (one poll of the inbox): its last file, loaded or not, starts the one run. */
    private void decideRun(Exchange exchange) {
        boolean last = !Boolean.FALSE.equals(exchange.getProperty(Exchange.BATCH_COMPLETE, Boolean.class));
        boolean run = runAfterLoad && last && runPending.getAndSet(false);
        exchange.setProperty(RUN_AFTER_LOAD_PROPERTY, run);
        Integer size = exchange.getProperty(Exchange.BATCH_SIZE, Integer.class);
        if (run && size != null && size > 1) {
            exchange.getMessage().setHeader(RunLifecycle.TRIGGER_HEADER, "inbox-data:" + size + " files");
            LOG.info("the {} files dropped together are loaded: one run for them", size);
        }
    }

    /** Loads one file; rejects and set-aside rows go to issuesBase + ".rejects.csv" / ".set-aside.csv". */
    public Result load(Path file, Path issuesBase) throws Exception {
        long t0 = System.nanoTime();
        // a file put back by a stop keeps its own name inside (interrupted-<stamp>-orders.csv loads as orders.csv)
        String name = TriggerFiles.originalName(file.getFileName().toString());
        if (!name.toLowerCase(java.util.Locale.ROOT).matches(".*\\.csv(\\.gz)?")) {
            LOG.warn("{}: not a CSV export (ecombi loads .csv and .csv.gz files); not loaded", name);
            throw new FileRefused(name + ": not a CSV export: ecombi loads .csv and .csv.gz files (rename it if it is CSV text)", null);
        }
        Load load = new Load(name);
        synchronized (this) {
            if (stopping) throw new LoadInterrupted(name + ": not loaded because ecombi is stopping; it is loaded at the next start");
            current = load;
        }
        try {
            return load(file, name, issuesBase, load, t0);
        } finally {
            synchronized (this) {
                current = null;
                notifyAll();
            }
        }
    }

    private Result load(Path file, String name, Path issuesBase, Load load, long t0) throws Exception {
        String sha = sha256(file);
        load.check();
        // loads left 'loading' by a process or connection that is gone (never a live load of another node)
        LoadOwnership.interruptOrphans(ds, "its loader ended or lost its connection before the load finished (it was rolled back); drop the file again to load it");
        Long earlier = loadedBefore(sha);
        if (earlier != null) {
            long id = newFile(name, null, sha, "duplicate");
            LOG.info("{}: same content as file {} loaded before; nothing to do", name, earlier);
            return new Result(id, null, 0, 0, 0, 0, 0, true);
        }
        long fileId = -1;
        boolean committed = false;
        try (Connection c = ds.getConnection()) {
            boolean released = false;
            try {
                fileId = LoadOwnership.claim(c, name, sha, RunRecorder.host());
                load.started(backendPid(c));
                load.working = true;
                c.setAutoCommit(false);
                try {
                    // the load's sorts and hash joins stay in memory (this transaction only)
                    try (PreparedStatement ps = c.prepareStatement("SELECT set_config('work_mem', ?, true)")) {
                        ps.setString(1, workMem);
                        ps.execute();
                    }
                    TextEncoding encoding = TextEncoding.of(file);
                    if (!encoding.how().isEmpty()) LOG.info("{}: read as {}", name, encoding.describe());
                    Result r = loadInTransaction(c, file, name, fileId, t0, encoding, load);
                    load.check();
                    synchronized (load) {
                        load.check();
                        load.working = false;
                        c.commit();
                        load.committed = true;
                    }
                    committed = true;
                    try {
                        writeIssues(fileId, issuesBase);
                    } catch (Exception e) {
                        // the file is loaded (committed): its rejected rows stay in ingest.row_issues
                        LOG.warn("{}: loaded, but its rejected / set-aside rows could not be written beside it ({}); they are in ingest.row_issues (file_id {})",
                                name, ErrorText.of(e), fileId);
                    }
                    LOG.info("{}: {} format, {} rows read = {} loaded + {} rejected + {} set aside, in {} s ({} rows/s)", name, r.format(), r.read(), r.loaded(),
                            r.rejected(), r.setAside(), String.format("%.1f", r.seconds()), Math.round(r.read() / Math.max(r.seconds(), 1e-3)));
                    return r;
                } catch (Exception e) {
                    if (!committed) c.rollback();
                    throw e;
                } finally {
                    try {
                        c.setAutoCommit(true);
                    } catch (SQLException broken) {
                        // a broken connection: the load's own error is the one to report
                    }
                }
            } catch (Exception e) {
                load.working = false;
                if (fileId < 0 || committed) throw e;
                if (load.interrupted) {
                    String reason = load.reason;
                    markEnded(c, fileId, "interrupted", reason);
                    LOG.warn("{}: load interrupted and rolled back ({}); the file goes back to the inbox and loads at the next start", name, reason);
                    throw new LoadInterrupted(name + ": " + reason);
                }
                Exception named = named(name, e);
                markEnded(c, fileId, "failed", ErrorText.of(named));
                throw named;
            } finally {
                if (fileId >= 0) released = LoadOwnership.release(c, fileId);
                if (fileId >= 0 && !released && ds instanceof com.zaxxer.hikari.HikariDataSource pool) pool.evictConnection(c);
            }
        }
    }

    private static boolean interrupted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof LoadInterrupted) return true;
        return false;
    }

    /** A load stopped because ecombi is stopping: not a failure of the file, which goes back to the inbox. */
    public static final class LoadInterrupted extends IllegalStateException {
        public LoadInterrupted(String message) { super(message); }
    }

    /** The load in progress in this process: what a stop waits for, or interrupts. */
    private static final class Load {
        final String name;
        volatile int backendPid = -1;
        volatile boolean interrupted;
        volatile boolean committed;
        /** In its transaction: a cancel can only hit the load's own statements. */
        volatile boolean working;
        volatile String reason;

        Load(String name) { this.name = name; }

        void started(int pid) { backendPid = pid; }

        /** Between statements and every so many rows: an interrupted load stops here. */
        void check() {
            if (interrupted) throw new LoadInterrupted(name + ": " + reason);
        }
    }

    private volatile Load current;
    private boolean stopping;

    /** ecombi is stopping: a load not yet started is refused (its file stays in, or goes back to, the inbox). */
    public synchronized void stopAccepting() {
        stopping = true;
    }

    /** The name of the file being loaded now, or null. */
    public String currentLoad() {
        Load l = current;
        return l == null ? null : l.name;
    }

    /** Waits up to the grace period for the load in progress (if any) to end; true when none is left. */
    public synchronized boolean awaitIdle(java.time.Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        while (current != null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /**
     * ecombi is stopping and the load in progress did not finish within the grace period: it is
     * rolled back (its statement cancelled, its Java loop stopped), recorded interrupted, and its
     * file goes back to the inbox. A load already committed is left to finish. Returns the file
     * name, or null when no uncommitted load was left.
     */
    public String interruptCurrent(String reason) {
        Load l = current;
        if (l == null) return null;
        synchronized (l) {
            if (l.committed) return null;
            l.reason = reason;
            l.interrupted = true;
        }
        return l.name;
    }

    /** Cancels the statement of the interrupted load (until it ends: one statement may start after the flag). */
    public void cancelInterrupted() {
        Load l = current;
        if (l == null || !l.interrupted || l.committed || !l.working || l.backendPid < 0) return;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT pg_cancel_backend(?)")) {
            ps.setInt(1, l.backendPid);
            ps.execute();
        } catch (SQLException e) {
            LOG.warn("could not cancel the interrupted load of {}: {}", l.name, e.getMessage());
        }
    }

    private static int backendPid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Every error of a file names the file (commons-csv, gzip and JDBC messages do not). */
    private static Exception named(String name, Exception e) {
        String text = ErrorText.of(e);
        if (text.startsWith(name)) return e;
        if (e instanceof java.nio.charset.CharacterCodingException || e.getCause() instanceof java.nio.charset.CharacterCodingException) {
            return new FileRefused(name + ": a byte sequence does not read in the file's encoding (" + text + "); save it as UTF-8 and drop it again", e);
        }
        if (e instanceof java.io.EOFException || e.getCause() instanceof java.io.EOFException) {
            return new FileRefused(name + ": the file ends in the middle (truncated or cut short): " + text, e);
        }
        if (e instanceof java.io.UncheckedIOException || e instanceof IOException) return new FileRefused(name + ": cannot read it as CSV: " + text, e);
        return new IllegalStateException(name + ": " + text, e);
    }

    private Result loadInTransaction(Connection c, Path file, String name, long fileId, long t0, TextEncoding encoding, Load load) throws Exception {
        CSVFormat csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreSurroundingSpaces(false).get();
        try (Reader reader = encoding.reader(file); CSVParser parser = CSVParser.parse(reader, csv)) {
            List<String> header = parser.getHeaderNames();
            if (header.isEmpty()) throw new FileRefused(name + ": the file is empty (no header line)", null);
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
                throw new FileRefused(name + ": header " + header + " is not a known format. Expected one of:" + known
                        + "\n  or one of ecombi's tables, named <table>.csv (" + String.join(", ", ShopTableMerge.TABLES) + ") with its column names as header", null);
            }
            replaceDemoData(c, name);
            try (Statement s = c.createStatement()) {
                StringBuilder ddl = new StringBuilder("CREATE TEMPORARY TABLE load (line_no bigint NOT NULL, status text, reason text");
                for (String col : columns) ddl.append(", \"").append(col).append("\" text");
                if (merge != null) ddl.append(", ").append(ShopTableMerge.CLEAR).append(" boolean NOT NULL");
                s.execute(ddl.append(") ON COMMIT DROP").toString());
            }
            // an own-table file: the reader marks rows whose typed values are all plain, and sees whether the keys only grow
            List<CanonicalValues.Kind> kinds = merge == null ? null : merge.kinds();
            List<Boolean> required = merge == null ? null : merge.required();
            int keyIndex = merge == null ? -1 : merge.keyIndex();
            boolean integerKey = keyIndex >= 0 && (kinds.get(keyIndex) == CanonicalValues.Kind.BIGINT || kinds.get(keyIndex) == CanonicalValues.Kind.INTEGER);
            boolean keysIncreasing = integerKey;
            long lastKey = Long.MIN_VALUE;
            long read = 0, wrongWidth = 0, replacementChars = 0, tStart = System.nanoTime();
            List<Object[]> badRecords = new ArrayList<>();
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY load (line_no, " + String.join(", ", columns.stream().map(x -> "\"" + x + "\"").toList())
                    + (merge != null ? ", " + ShopTableMerge.CLEAR : "") + ") FROM STDIN WITH (FORMAT csv)");
            try {
                // the records go to COPY through one 64 KB buffer, encoded as they are written (no String, no message per row)
                PGCopyOutputStream out = new PGCopyOutputStream(copy, 1 << 16);
                Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                // the file's physical line where a record starts (a quoted value can hold line breaks)
                long endOfPrevious = parser.getCurrentLineNumber();
                for (CSVRecord rec : parser) {
                    read++;
                    if ((read & 0x3FFF) == 0) load.check();
                    long lineNo = endOfPrevious + 1;
                    endOfPrevious = parser.getCurrentLineNumber();
                    if (rec.size() != columns.size()) {
                        wrongWidth++;
                        badRecords.add(new Object[]{lineNo, "expected " + columns.size() + " fields, found " + rec.size(), String.join(",", rec.toList())});
                        continue;
                    }
                    w.write(Long.toString(lineNo));
                    boolean clear = true;
                    for (int i = 0; i < rec.size(); i++) {
                        String v = rec.get(i);
                        if (v.indexOf('\uFFFD') >= 0) replacementChars++;
                        // a required value is certainly not blank (trim() removes spaces only) when it does not start with one
                        if (kinds != null && clear) clear = CanonicalValues.clear(kinds.get(i), v) && !(required.get(i) && (v.isEmpty() || v.charAt(0) == ' '));
                        w.write(",\"");
                        w.write(v.indexOf('"') < 0 ? v : v.replace("\"", "\"\""));
                        w.write('"');
                    }
                    if (kinds != null) {
                        w.write(clear ? ",t" : ",f");
                        if (keysIncreasing) {
                            String k = rec.get(keyIndex);
                            if (!k.isEmpty() && CanonicalValues.clear(kinds.get(keyIndex), k) && CanonicalValues.integer(k) > lastKey) lastKey = CanonicalValues.integer(k);
                            else keysIncreasing = false;
                        }
                    }
                    w.write('\n');
                }
                w.flush();
                out.endCopy();
            } finally {
                if (copy.isActive()) copy.cancelCopy();
            }
            long tCopied = System.nanoTime();
            String encodingText = encoding.describe();
            if (replacementChars > 0) {
                encodingText += "; " + replacementChars + " values hold U+FFFD (the replacement character: the export was damaged before ecombi read it)";
                LOG.warn("{}: {} values hold U+FFFD, the replacement character: the export lost letters before ecombi read it; they are loaded as they are", name, replacementChars);
            }
            boolean copyBack = false;
            if (merge != null) {
                boolean tableEmpty;
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT NOT EXISTS (SELECT 1 FROM " + table + ")")) {
                    rs.next();
                    tableEmpty = rs.getBoolean(1);
                }
                script = merge.script(true, keysIncreasing, tableEmpty);
                copyBack = tableEmpty;
                LOG.debug("{}: keys {}, table {}", name, keysIncreasing ? "only grow" : "may repeat", tableEmpty ? "empty (plain INSERT)" : "not empty (upsert)");
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT set_config('ecombi.file_id', ?, true)")) {
                ps.setString(1, Long.toString(fileId));
                ps.execute();
            }
            try (Statement s = c.createStatement()) {
                // temporary tables get no autovacuum statistics; an own-table script's plans need none (scans and hash joins on
                // the parents), and sampling 3 million staged rows costs 0.3 s
                if (merge == null) s.execute("ANALYZE load");
                // statement by statement, so a slow one is named in the log
                for (String statement : script.split(";\\s*\\n")) {
                    if (statement.strip().replaceAll("(?m)^--.*$", "").isBlank()) continue;
                    load.check();
                    long t = System.nanoTime();
                    s.execute(statement);
                    double sec = (System.nanoTime() - t) / 1e9;
                    if (sec > 0.5) LOG.info("{}: {} s for: {}", name, String.format("%.1f", sec), statement.strip().replaceAll("(?m)^--.*\\n", "").lines().findFirst().orElse(""));
                }
            }
            if (copyBack) copyBack(c, name, merge, load);
            long tMapped = System.nanoTime();
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
            if (loaded == 0 && rejected > 0) throw new FileRefused(nothingLoaded(c, name, fileId, read, rejected, badRecords), null);
            reconcile(c, name, fileId);
            double seconds = (System.nanoTime() - t0) / 1e9;
            try (PreparedStatement ps = c.prepareStatement("UPDATE ingest.files SET status = 'loaded', finished_at = clock_timestamp(), format = ?, rows_read = ?, rows_loaded = ?, rows_rejected = ?, "
                    + "rows_set_aside = ?, seconds = ?, currency = ?, encoding = ? WHERE file_id = ?")) {
                ps.setString(1, format);
                ps.setLong(2, read);
                ps.setLong(3, loaded);
                ps.setLong(4, rejected);
                ps.setLong(5, setAside);
                ps.setDouble(6, seconds);
                ps.setString(7, currency);
                ps.setString(8, encodingText);
                ps.setLong(9, fileId);
                ps.executeUpdate();
            }
            long tRecorded = System.nanoTime();
            // fresh statistics for the next file's joins and the run: only of what this file can have changed
            try (Statement s = c.createStatement()) {
                s.execute(table != null && match == null ? "ANALYZE " + table : "ANALYZE customers, products, orders, order_items");
            }
            LOG.info("{}: read and COPY to staging {} s, checks and merge {} s, counts, issues and totals {} s, ANALYZE {} s", name, secs(tCopied - tStart),
                    secs(tMapped - tCopied), secs(tRecorded - tMapped), secs(System.nanoTime() - tRecorded));
            return new Result(fileId, format, read, loaded, rejected, setAside, seconds, false);
        }
    }

    /**
     * The checked rows of an own-table file into its empty table: COPY out of the staging table into a
     * private temporary file, then COPY in, on the load's connection and in its transaction (see
     * ShopTableMerge.copyOut). The file holds the rows only while this runs.
     */
    private static void copyBack(Connection c, String name, ShopTableMerge merge, Load load) throws Exception {
        load.check();
        long t = System.nanoTime();
        var api = c.unwrap(PGConnection.class).getCopyAPI();
        Path rows = Files.createTempFile("ecombi-load-", ".csv");   // readable by this user only
        try {
            try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(rows), 1 << 16)) {
                api.copyOut(merge.copyOut(), out);
            }
            load.check();
            try (var in = new java.io.BufferedInputStream(Files.newInputStream(rows), 1 << 16)) {
                api.copyIn(merge.copyIn(), in);
            }
        } finally {
            Files.deleteIfExists(rows);
        }
        double sec = (System.nanoTime() - t) / 1e9;
        if (sec > 0.5) LOG.info("{}: {} s for: COPY of the checked rows into {} (empty before this file)", name, String.format("%.1f", sec), merge.table);
    }

    /** Route entry after a failure: the error file beside the file in failed/, and the rethrow that sends it there. */
    public void failed(Exchange exchange) throws IOException {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        String stamp = exchange.getProperty(TriggerFiles.STAMP_PROPERTY, String.class);
        exchange.setProperty(FAILURE_PROPERTY, e);
        if (interrupted(e)) {
            // not the file's fault: it goes back into the inbox (under a name that keeps its own) and loads at the next start
            String back = TriggerFiles.putBackName(name, stamp);
            exchange.setProperty(TriggerFiles.FAILED_TARGET_PROPERTY, back);
            exchange.setProperty(RUN_AFTER_LOAD_PROPERTY, false);
            LOG.warn("data file {} was not loaded because ecombi is stopping: put back as {} (it loads at the next start)", name, inbox.resolve(back));
            return;
        }
        Path failedDir = inbox.resolve("failed");
        Files.createDirectories(failedDir);
        Path errorFile = failedDir.resolve(stamp + "-" + name + ".error.txt");
        Files.writeString(errorFile, "Data file " + name + " was not loaded (nothing of it is in the database)\n" + ErrorText.of(e) + "\n", StandardCharsets.UTF_8);
        LOG.error("data file {} not loaded: {} (moved to {}, reason in {})", name, ErrorText.of(e), failedDir.resolve(stamp + "-" + name), errorFile);
        decideRun(exchange);
    }

    /** Route entry after the batch's run: a file that failed fails its exchange, which moves it to failed/. */
    public void rethrowFailure(Exchange exchange) {
        Exception e = exchange.getProperty(FAILURE_PROPERTY, Exception.class);
        if (e == null) return;
        if (e instanceof RuntimeException re) throw re;
        throw new IllegalStateException(ErrorText.of(e), e);
    }

    /** The refusal of a file none of whose rows could be loaded (typically: its parents are not loaded yet). */
    private static String nothingLoaded(Connection c, String name, long fileId, long read, long rejected, List<Object[]> badRecords) throws SQLException {
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

    private static String secs(long nanos) {
        return String.format("%.2f", nanos / 1e9);
    }

    private static String csv(String s) {
        return s == null ? "" : '"' + s.replace("\"", "\"\"") + '"';
    }

    private static String tableOf(String fileName) {
        String base = fileName.toLowerCase().replaceFirst("\\.csv(\\.gz)?$", "");
        return ShopTableMerge.TABLES.contains(base) ? base : null;
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
    private void markEnded(Connection c, long fileId, String status, String error) {
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
