package io.ecombi.run;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;

/** Writes the run record (bi.pipeline_runs) and its stages (bi.run_stages). */
public final class RunRecorder {
    private final DataSource ds;

    public RunRecorder(DataSource ds) {
        this.ds = ds;
    }

    long open(String trigger) {
        return update("INSERT INTO bi.pipeline_runs (trigger, host) VALUES (?, ?) RETURNING run_id", ps -> {
            ps.setString(1, trigger);
            ps.setString(2, host());
        });
    }

    void setAsOf(long runId, LocalDate asOf, String reportDir) {
        update("UPDATE bi.pipeline_runs SET as_of = ?, report_dir = ? WHERE run_id = ?", ps -> {
            ps.setDate(1, Date.valueOf(asOf));
            ps.setString(2, reportDir);
            ps.setLong(3, runId);
        });
    }

    void close(long runId, String status, String error) {
        update("UPDATE bi.pipeline_runs SET finished_at = now(), status = ?, error_text = ? WHERE run_id = ?", ps -> {
            ps.setString(1, status);
            ps.setString(2, error);
            ps.setLong(3, runId);
        });
    }

    void stageStarted(long runId, Stage s) {
        update("INSERT INTO bi.run_stages (run_id, seq, stage, started_at, status) VALUES (?, ?, ?, ?, 'running')", ps -> {
            ps.setLong(1, runId);
            ps.setInt(2, s.seq);
            ps.setString(3, s.name);
            ps.setTimestamp(4, Timestamp.from(s.startedAt));
        });
    }

    void stageFinished(long runId, Stage s) {
        update("UPDATE bi.run_stages SET finished_at = ?, row_count = ?, status = ?, detail = ? WHERE run_id = ? AND seq = ?", ps -> {
            ps.setTimestamp(1, Timestamp.from(s.finishedAt));
            if (s.rows >= 0) ps.setLong(2, s.rows); else ps.setNull(2, java.sql.Types.BIGINT);
            ps.setString(3, s.status);
            ps.setString(4, s.detail);
            ps.setLong(5, runId);
            ps.setInt(6, s.seq);
        });
    }

    /** The run that holds the run lock now, for the log line of a trigger that waits. */
    String describeRunning() {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT run_id, trigger, host, started_at FROM bi.pipeline_runs WHERE status = 'running' ORDER BY run_id DESC LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? "run " + rs.getLong(1) + " (" + rs.getString(2) + " on " + rs.getString(3) + ", started " + rs.getTimestamp(4) + ")"
                    : "another ecombi process";
        } catch (SQLException e) {
            return "another ecombi process";
        }
    }

    private interface Binder { void bind(PreparedStatement ps) throws SQLException; }

    private long update(String sql, Binder binder) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            if (sql.contains("RETURNING")) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot write the run record: " + e.getMessage(), e);
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName() + "/" + ProcessHandle.current().pid();
        } catch (Exception e) {
            return "pid " + ProcessHandle.current().pid();
        }
    }
}
