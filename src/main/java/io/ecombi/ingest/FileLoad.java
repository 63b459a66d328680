package io.ecombi.ingest;

import io.ecombi.run.ErrorText;
import io.ecombi.run.RunRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * One file's load as one transaction: a file whose content loaded before is a duplicate; otherwise
 * the load claims its ingest.files row (LoadOwnership), loads in one transaction on that connection
 * (StagedLoad), and commits, or rolls back and records the file failed or interrupted. A file loads
 * whole or not at all.
 */
final class FileLoad {
    // ingest's log lines keep one logger name, IngestStep
    private static final Logger LOG = LoggerFactory.getLogger(IngestStep.class);

    private final DataSource ds;
    private final StagedLoad staged;
    private final String workMem;
    private final double progressSeconds;

    FileLoad(DataSource ds, StagedLoad staged, String workMem, double progressSeconds) {
        this.ds = ds;
        this.staged = staged;
        this.workMem = workMem;
        this.progressSeconds = progressSeconds;
    }

    /** Loads the file under its original name; rejects and set-aside rows go beside issuesBase; t0: when the load began. */
    IngestStep.Result load(Path file, String name, Path issuesBase, LoadControl.Load load, long t0) throws Exception {
        try (LoadProgress progress = LoadProgress.every(progressSeconds, load, Files.size(file), t0)) {
            return loadReporting(file, name, issuesBase, load, t0);
        }
    }

    private IngestStep.Result loadReporting(Path file, String name, Path issuesBase, LoadControl.Load load, long t0) throws Exception {
        String sha = sha256(file);
        load.check();
        // loads left 'loading' by a process or connection that is gone (never a live load of another node)
        LoadOwnership.interruptOrphans(ds, "its loader ended or lost its connection before the load finished (it was rolled back); drop the file again to load it");
        Long earlier = LoadBookkeeping.loadedBefore(ds, sha);
        if (earlier != null) {
            long id = LoadBookkeeping.newFile(ds, name, null, sha, "duplicate");
            LOG.info("{}: same content as file {} loaded before; nothing to do", name, earlier);
            return new IngestStep.Result(id, null, 0, 0, 0, 0, 0, true);
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
                    IngestStep.Result r = staged.load(c, file, name, fileId, t0, encoding, load);
                    load.check();
                    load.commit(c);
                    committed = true;
                    try {
                        LoadBookkeeping.writeIssues(ds, fileId, issuesBase);
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
                    LoadBookkeeping.markEnded(ds, c, fileId, "interrupted", reason);
                    LOG.warn("{}: load interrupted and rolled back ({}); the file goes back to the inbox and loads at the next start", name, reason);
                    throw new IngestStep.LoadInterrupted(name + ": " + reason);
                }
                Exception named = named(name, e);
                LoadBookkeeping.markEnded(ds, c, fileId, "failed", ErrorText.of(named));
                throw named;
            } finally {
                if (fileId >= 0) released = LoadOwnership.release(c, fileId);
                if (fileId >= 0 && !released && ds instanceof com.zaxxer.hikari.HikariDataSource pool) pool.evictConnection(c);
            }
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
            return new IngestStep.FileRefused(name + ": a byte sequence does not read in the file's encoding (" + text + "); save it as UTF-8 and drop it again", e);
        }
        if (e instanceof java.io.EOFException || e.getCause() instanceof java.io.EOFException) {
            return new IngestStep.FileRefused(name + ": the file ends in the middle (truncated or cut short): " + text, e);
        }
        if (e instanceof java.io.UncheckedIOException || e instanceof IOException) return new IngestStep.FileRefused(name + ": cannot read it as CSV: " + text, e);
        return new IllegalStateException(name + ": " + text, e);
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
