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

    /** Closes a run still open; a run already marked (interrupted by a stop) keeps its record. True when it was still open. */
    boolean close(long runId, String status, String error) {
        return 0 < update("UPDATE bi.pipeline_runs SET finished_at = now(), status = ?, error_text = ? WHERE run_id = ? AND status = 'running'", ps -> {
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

    /** A run and its open stages end 'interrupted' with the reason (ecombi stopped under it). */
    boolean interrupt(long runId, String reason) {
        update("UPDATE bi.run_stages SET status = 'interrupted', finished_at = now(), detail = ? WHERE run_id = ? AND status = 'running'", ps -> {
            ps.setString(1, reason);
            ps.setLong(2, runId);
        });
        return 0 < update("UPDATE bi.pipeline_runs SET status = 'interrupted', finished_at = now(), error_text = ? WHERE run_id = ? AND status = 'running'", ps -> {
            ps.setString(1, reason);
            ps.setLong(2, runId);
        });
    }

    /**
     * Runs still 'running' that nobody runs: call only while holding the run lock (one run at a time
     * across processes, so any other 'running' row is a run whose process died or was stopped).
     * Marks them and their open stages interrupted with the reason; returns their report folders.
     */
    java.util.List<String> interruptAbandoned(String reason) {
        java.util.List<String> dirs = new java.util.ArrayList<>();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement st = c.prepareStatement("UPDATE bi.run_stages s SET status = 'interrupted', finished_at = now(), detail = ? "
                    + "FROM bi.pipeline_runs r WHERE r.run_id = s.run_id AND r.status = 'running' AND s.status = 'running'");
                 PreparedStatement pr = c.prepareStatement("UPDATE bi.pipeline_runs SET status = 'interrupted', finished_at = now(), "
                         + "error_text = ? || ' (run started ' || to_char(started_at, 'YYYY-MM-DD HH24:MI:SS TZ') || ' on ' || coalesce(host, '?') || ')' "
                         + "WHERE status = 'running' RETURNING run_id, report_dir")) {
                st.setString(1, reason);
                st.executeUpdate();
                pr.setString(1, reason);
                try (ResultSet rs = pr.executeQuery()) {
                    while (rs.next()) {
                        dirs.add(rs.getString(2));
                        org.slf4j.LoggerFactory.getLogger(RunRecorder.class).warn("run {} was still marked running: now interrupted ({})", rs.getLong(1), reason);
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot mark abandoned runs: " + e.getMessage(), e);
        }
        return dirs;
    }

    /** Report folders of runs that did not succeed (failed or interrupted): partial output nobody publishes. */
    java.util.Set<String> unpublishedRunIds() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT run_id FROM bi.pipeline_runs WHERE status IN ('failed', 'interrupted')"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) ids.add(String.valueOf(rs.getLong(1)));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the run records: " + e.getMessage(), e);
        }
        return ids;
    }

    /** Per-run output tables, pruned to the runs whose report folders are kept. */
    static final java.util.List<String> PER_RUN_TABLES = java.util.List.of("bi.churn_scores", "bi.churn_model_terms", "bi.churn_models",
            "bi.run_summaries", "bi.quality_results", "bi.table_counts", "bi.clv_customers");

    /**
     * Deletes the per-run outputs (scores, model terms, summaries, quality results, table counts, CLV per customer) of
     * runs older than the keepRuns-th latest succeeded run: the same runs whose folders the report
     * publisher keeps. The run records themselves (bi.pipeline_runs, bi.run_stages) stay as history.
     */
    long prune(int keepRuns) {
        long deleted = 0;
        for (String table : PER_RUN_TABLES) {
            // table names are ours (the list above), not input
            deleted += update("DELETE FROM " + table + " WHERE run_id < (SELECT min(run_id) FROM (SELECT run_id FROM bi.pipeline_runs "
                    + "WHERE status = 'succeeded' ORDER BY run_id DESC LIMIT ?) k) "
                    + "AND (SELECT count(*) FROM bi.pipeline_runs WHERE status = 'succeeded') >= ?", ps -> {
                ps.setInt(1, keepRuns);
                ps.setInt(2, keepRuns);
            });
        }
        return deleted;
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

    public static String host() {
        try {
            return InetAddress.getLocalHost().getHostName() + "/" + ProcessHandle.current().pid();
        } catch (Exception e) {
            return "pid " + ProcessHandle.current().pid();
        }
    }
}
