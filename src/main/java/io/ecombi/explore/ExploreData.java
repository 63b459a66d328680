package io.ecombi.explore;

import io.ecombi.Settings;
import io.ecombi.db.SqlFile;
import io.ecombi.fact.FactLayer;
import org.springframework.jdbc.core.ColumnMapRowMapper;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The data behind the Explore page. Every answer reads the fact layer of the latest succeeded run
 * (the run the report shows) in one transaction that is always rolled back: with filters, the
 * transaction narrows fact.sales_lines to them (sql/explore/narrow.sql, the filters bound) and runs
 * the fact files that derive from it again (sql/fact/ after ecombi.explore.rebuild-after), then the
 * same KPI and quality files the run ran. So a filtered figure follows the report's rules, with no
 * filter it is the report's figure, and no other reader ever sees the narrowed layer. If the fact
 * layer in place is another run's (a later run failed), the transaction builds the latest succeeded
 * run's first.
 *
 * One request per view (a page open in a browser) runs at a time: a newer request of the same view
 * cancels the older one's query in PostgreSQL, so a reader who changes a filter does not wait for
 * the filter they left.
 */
public final class ExploreData {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ExploreData.class);
    private final DataSource ds;
    private final Path sqlDir;
    private final FactLayer factLayer;
    private final List<String> queries;
    private final String rebuildAfter;
    private final int timeoutMs;
    private final int lockWaitMs;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private volatile Options options;

    /** A query in progress for a view: its server process, and whether a newer request cancelled it. */
    private static final class Running {
        final int pid;
        volatile boolean cancelled;
        Running(int pid) { this.pid = pid; }
    }

    /** The run whose figures the page shows. */
    public record Run(long id, LocalDate asOf) { }

    /** What each filter can take, of one run. */
    record Options(long run, Map<String, List<Map<String, Object>>> values) { }

    /** A step on the (narrowed) fact layer's connection. */
    public interface Work<T> { T run(Connection c, Run run) throws SQLException, IOException; }

    public ExploreData(DataSource ds, Settings settings) {
        this.ds = ds;
        this.sqlDir = settings.path("ecombi.sql.dir");
        this.factLayer = new FactLayer(ds, settings);
        this.queries = List.of(settings.get("ecombi.explore.queries").split("\\s*,\\s*")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        this.rebuildAfter = settings.get("ecombi.explore.rebuild-after").strip();
        this.timeoutMs = settings.getInt("ecombi.explore.timeout-seconds") * 1000;
        this.lockWaitMs = settings.getInt("ecombi.explore.lock-wait-seconds") * 1000;
    }

    /** The KPI and quality files the page may ask for, as folder/name of sql/. */
    public List<String> queries() { return queries; }

    /** The latest succeeded run, or a problem saying there is none yet. */
    public Run latest() throws IOException, SQLException {
        List<Map<String, Object>> rows = SqlFile.read(sqlDir.resolve("api/latest_succeeded_run.sql")).rows(ds, Map.of());
        if (rows.isEmpty()) throw new ExploreProblem(404, "no run has succeeded yet: Explore reads the fact layer of the latest succeeded run (POST /api/runs starts one)");
        Object asOf = rows.get(0).get("as_of");
        return new Run(((Number) rows.get(0).get("run_id")).longValue(),
                asOf instanceof java.sql.Date d ? d.toLocalDate() : LocalDate.parse(String.valueOf(asOf)));
    }

    /** Each filter's values (sql/explore/options.sql) for the latest succeeded run, read once per run. */
    public Map<String, List<Map<String, Object>>> options(String view) throws IOException, SQLException {
        Run latest = latest();
        Options o = options;
        if (o != null && o.run() == latest.id()) return o.values();
        Map<String, List<Map<String, Object>>> values = within(Filters.NONE, view, (c, run) -> {
            Map<String, List<Map<String, Object>>> m = new LinkedHashMap<>();
            for (Map<String, Object> r : rows(c, "explore/options.sql", Map.of())) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("value", r.get("value"));
                v.put("label", r.get("label"));
                v.put("lines", r.get("lines"));
                m.computeIfAbsent((String) r.get("filter"), k -> new ArrayList<>()).add(v);
            }
            return m;
        });
        options = new Options(latest.id(), values);
        return values;
    }

    /** Refuses a filter value the shop's data does not have, naming a few it has. */
    public void check(Filters f, String view) throws IOException, SQLException {
        if (f.none()) return;
        Map<String, List<Map<String, Object>>> values = options(view);
        for (Map.Entry<String, String> e : f.listedValues().entrySet()) {
            List<Map<String, Object>> known = values.getOrDefault(Filters.LISTED.get(e.getKey()), List.of());
            if (known.stream().noneMatch(v -> e.getValue().equals(v.get("value")))) {
                List<String> some = known.stream().limit(8).map(v -> String.valueOf(v.get("value"))).toList();
                throw new Filters.FilterProblem(known.isEmpty() ? "the shop's data has no " + e.getKey() + ": this filter does not apply"
                        : "no sale has " + e.getKey() + " '" + Filters.shorten(e.getValue()) + "'; the shop's " + e.getKey() + " values include "
                          + String.join(", ", some) + (known.size() > some.size() ? " (" + known.size() + " in all)" : ""));
            }
        }
        if (f.product() != null && values.getOrDefault("product", List.of()).stream().noneMatch(v -> String.valueOf(f.product()).equals(v.get("value")))) {
            throw new Filters.FilterProblem("no sale has product " + f.product() + " (a product_id of a product the shop has sold)");
        }
    }

    /** The rows of one KPI or quality file (folder/name, one of {@link #queries()}) on the connection. */
    public List<Map<String, Object>> rows(Connection c, String file, Map<String, ?> params) throws IOException, SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        ColumnMapRowMapper mapper = new ColumnMapRowMapper();
        int[] n = {0};
        SqlFile.read(sqlDir.resolve(file.endsWith(".sql") ? file : file + ".sql")).query(c, params, rs -> rows.add(mapper.mapRow(rs, n[0]++)));
        return rows;
    }

    /**
     * Runs the work on the fact layer of the latest succeeded run narrowed to the filters, in a
     * transaction rolled back at the end. A newer call for the same view cancels this one.
     */
    public <T> T within(Filters f, String view, Work<T> work) throws IOException, SQLException {
        return within(f, view, List.of(), work);
    }

    /**
     * The same, for work that reads the given files of sql/ (folder/name): of the fact files that
     * derive from the narrowed lines, only those whose tables these files read (directly or through
     * another) run again. No file given: all of them.
     */
    public <T> T within(Filters f, String view, List<String> reads, Work<T> work) throws IOException, SQLException {
        Run latest = latest();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            Running me = null;
            try {
                me = new Running(backendPid(c));
                if (view != null) {
                    Running older = running.put(view, me);
                    if (older != null) cancel(older);
                }
                if (!io.ecombi.run.RunLock.tryShareInTransaction(c)) {
                    throw new ExploreProblem(503, "a run is in progress and rebuilds the fact layer Explore reads: try again when it has finished");
                }
                setLocal(c, "statement_timeout", timeoutMs);
                setLocal(c, "lock_timeout", lockWaitMs);
                Long factRun = factRun(c);
                if (factRun == null || factRun != latest.id()) {
                    LOG.info("Explore: the fact layer in place is of run {}, the latest succeeded run is {}: building it for this request", factRun, latest.id());
                    factLayer.build(c, latest.id(), latest.asOf());
                }
                if (!f.none()) {
                    SqlFile.read(sqlDir.resolve("explore/narrow.sql")).execute(c, f.parameters());
                    for (Path file : Derived.needed(factLayer.filesAfter(rebuildAfter), readPaths(reads))) SqlFile.read(file).execute(c, Map.of());
                }
                return work.run(c, latest);
            } catch (SQLException e) {
                throw translate(e, me);
            } finally {
                if (view != null && me != null) running.remove(view, me);
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    private List<Path> readPaths(List<String> reads) {
        return reads.stream().map(r -> sqlDir.resolve(r.endsWith(".sql") ? r : r + ".sql")).toList();
    }

    private ExploreProblem translate(SQLException e, Running me) {
        String state = sqlState(e);
        if ("57014".equals(state) && me != null && me.cancelled) {
            return new ExploreProblem(409, "cancelled: the page asked for newer filters");
        }
        if ("57014".equals(state)) {
            return new ExploreProblem(503, "the query took longer than ecombi.explore.timeout-seconds (" + timeoutMs / 1000 + " s) and was stopped: narrow the filters");
        }
        if ("40P01".equals(state)) {
            return new ExploreProblem(503, "another Explore request was rebuilding the same tables: try again");
        }
        if ("55P03".equals(state)) {
            return new ExploreProblem(503, "a run is rebuilding the fact layer (or another filter is being applied): try again in a moment");
        }
        LOG.error("Explore query failed", e);
        return new ExploreProblem(500, "the query failed: " + firstLine(e.getMessage()));
    }

    private static String sqlState(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) return s.getSQLState();
        }
        return null;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    /** Stops an older request's query: its server process is told to cancel (from another connection). */
    private void cancel(Running older) {
        older.cancelled = true;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT pg_cancel_backend(?)")) {
            ps.setInt(1, older.pid);
            ps.execute();
        } catch (SQLException e) {
            LOG.warn("Explore: could not cancel an older request: {}", e.getMessage());
        }
    }

    private static int backendPid(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_backend_pid()"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** A setting for this transaction only; the value bound. */
    private static void setLocal(Connection c, String name, int value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config(?, ?, true)")) {
            ps.setString(1, name);
            ps.setString(2, String.valueOf(value));
            ps.execute();
        }
    }

    /** The run of the fact layer in place, null when there is none. */
    private Long factRun(Connection c) throws IOException, SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass('fact.params') IS NOT NULL"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (!rs.getBoolean(1)) return null;
        }
        List<Map<String, Object>> r = rows(c, "explore/fact_run.sql", Map.of());
        return r.isEmpty() ? null : ((Number) r.get(0).get("run_id")).longValue();
    }

    /** A request Explore cannot answer: its HTTP status and a sentence. */
    public static final class ExploreProblem extends RuntimeException {
        private final int status;
        public ExploreProblem(int status, String message) { super(message, null, false, false); this.status = status; }
        public int status() { return status; }
    }
}
