package io.ecombi.kpi;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecombi.Settings;
import io.ecombi.report.Labels;
import io.ecombi.run.PipelineRun;
import io.ecombi.run.Stage;
import org.apache.camel.Exchange;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every KPI table of a run, also in the database for BI tools (Metabase, Superset): bi.kpi_tables
 * (one row per table: run, as-of, columns, rows) and bi.kpi_rows (one jsonb object per row, keyed
 * by column name). Tables held whole in memory keep their JSON types (numbers, booleans); larger
 * ones are copied from their CSV file, values as text. A table with more than
 * ecombi.bi.store-max-rows rows is listed but not stored. One transaction per run; the last
 * ecombi.bi.keep-runs runs are kept (KPI tables and the per-customer segments of bi.rfm_customers).
 * Each KPI also gets a typed view of its latest succeeded run, bi.latest_&lt;kpi&gt;.
 */
public final class KpiHistory {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KpiHistory.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DataSource ds;
    private final int keepRuns;
    private final long maxRows;
    private final java.nio.file.Path labels;

    public KpiHistory(DataSource ds, Settings settings) {
        this.ds = ds;
        this.keepRuns = settings.getInt("ecombi.bi.keep-runs");
        this.maxRows = settings.getLong("ecombi.bi.store-max-rows");
        this.labels = settings.path("ecombi.report.labels");
        if (keepRuns < 2) throw new IllegalArgumentException("ecombi.bi.keep-runs must be 2 or more (segment movement compares with the previous run), not " + keepRuns);
    }

    public void store(Exchange exchange) throws SQLException, IOException {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        Stage stage = run.beginStage("kpi history");
        long rows = 0;
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                // both tables by hand: bi.kpi_rows has no foreign key to cascade (V20)
                for (String table : new String[]{"bi.kpi_rows", "bi.kpi_tables"}) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE run_id = ?")) {
                        ps.setLong(1, run.id());
                        ps.executeUpdate();
                    }
                }
                for (KpiTable t : run.kpis().values()) rows += store(c, run, t);
                prune(c);
                defineViews(c, run);
                c.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        run.endStage(stage, rows, run.kpis().size() + " tables in bi.kpi_tables / bi.kpi_rows; last " + keepRuns + " runs kept");
    }

    private long store(Connection c, PipelineRun run, KpiTable t) throws SQLException, IOException {
        boolean stored = t.rowCount() <= maxRows && (t.isComplete() || t.csv() != null);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO bi.kpi_tables (run_id, as_of, kpi, columns, column_types, row_count, stored, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, run.id());
            ps.setObject(2, run.asOf());
            ps.setString(3, t.name());
            ps.setArray(4, c.createArrayOf("text", t.columns().toArray()));
            ps.setArray(5, c.createArrayOf("text", t.sqlTypes().toArray()));
            ps.setLong(6, t.rowCount());
            ps.setBoolean(7, stored);
            ps.setString(8, stored ? null : t.rowCount() + " rows, more than ecombi.bi.store-max-rows (" + maxRows + "): see data/" + t.name() + ".csv");
            ps.executeUpdate();
        }
        if (!stored || t.rowCount() == 0) return 0;
        return t.isComplete() ? fromMemory(c, run, t) : fromCsv(c, run, t);
    }

    /** One COPY per table (a batch of INSERTs costs a round of parse, bind and execute per row: 3 s for 180k rows at 1M order lines). */
    private static long fromMemory(Connection c, PipelineRun run, KpiTable t) throws SQLException, IOException {
        var copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY bi.kpi_rows (run_id, kpi, row_no, row) FROM STDIN WITH (FORMAT csv)");
        long n = 0;
        try (Writer w = new OutputStreamWriter(new PGCopyOutputStream(copy, 1 << 16), StandardCharsets.UTF_8);
             CSVPrinter out = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get())) {
            for (Object[] row : t.rows()) {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < row.length; i++) m.put(t.columns().get(i), json(row[i]));
                out.printRecord(run.id(), t.name(), ++n, JSON.writeValueAsString(m));
            }
        } finally {
            if (copy.isActive()) copy.cancelCopy();
        }
        return n;
    }

    /** Numbers, booleans and text as JSON has them; dates and anything else as their text. */
    private static Object json(Object v) {
        if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) {
            return v instanceof BigDecimal bd ? bd : v;
        }
        return v.toString();
    }

    /** COPY the CSV into a temporary table of text columns, then one jsonb object per line, in file order. */
    private static long fromCsv(Connection c, PipelineRun run, KpiTable t) throws SQLException, IOException {
        int n = t.columns().size();
        StringBuilder cols = new StringBuilder();
        for (int i = 1; i <= n; i++) cols.append(i > 1 ? ", " : "").append('c').append(i);
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS kpi_csv");
            s.execute("CREATE TEMPORARY TABLE kpi_csv (line bigserial, " + cols.toString().replace(",", " text,") + " text) ON COMMIT DROP");
        }
        try (Reader r = Files.newBufferedReader(t.csv(), StandardCharsets.UTF_8)) {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY kpi_csv (" + cols + ") FROM STDIN WITH (FORMAT csv, HEADER true)", r);
        }
        StringBuilder values = new StringBuilder("ARRAY[");
        for (int i = 1; i <= n; i++) values.append(i > 1 ? ", " : "").append('c').append(i);
        values.append(']');
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO bi.kpi_rows (run_id, kpi, row_no, row) SELECT ?, ?, CAST(row_number() OVER (ORDER BY line) AS integer), jsonb_object(?, "
                + values + ") FROM kpi_csv")) {
            ps.setLong(1, run.id());
            ps.setString(2, t.name());
            ps.setArray(3, c.createArrayOf("text", t.columns().toArray()));
            long rows = ps.executeUpdate();
            try (Statement s = c.createStatement()) { s.execute("DROP TABLE kpi_csv"); }
            return rows;
        }
    }

    /**
     * bi.latest_<kpi> for each KPI table of the run, typed and commented with the labels file's words
     * (bi.define_latest_view, V35). A view that cannot be redefined (another view a BI user made
     * depends on it) keeps its old definition: a warning, not a failed run.
     */
    private void defineViews(Connection c, PipelineRun run) throws SQLException {
        Labels words = Labels.load(labels);
        for (KpiTable t : run.kpis().values()) {
            if (t.columns().isEmpty()) continue;
            java.sql.Savepoint before = c.setSavepoint();
            try (PreparedStatement ps = c.prepareStatement("SELECT bi.define_latest_view(?, ?, ?, ?)")) {
                ps.setString(1, t.name());
                ps.setArray(2, c.createArrayOf("text", t.columns().toArray()));
                ps.setArray(3, c.createArrayOf("text", t.sqlTypes().toArray()));
                ps.setArray(4, c.createArrayOf("text", t.columns().stream().map(words::defined).toArray()));
                ps.execute();
                c.releaseSavepoint(before);
            } catch (SQLException e) {
                c.rollback(before);
                LOG.warn("VIEW bi.latest_{} kept as it was: {}", t.name(), e.getMessage());
            }
        }
    }

    private void prune(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM bi.kpi_rows WHERE run_id < (SELECT min(run_id) FROM"
                + " (SELECT DISTINCT run_id FROM bi.kpi_tables ORDER BY run_id DESC LIMIT ?) kept)")) {
            ps.setInt(1, keepRuns);
            ps.executeUpdate();
        }
        for (String table : new String[]{"bi.kpi_tables", "bi.rfm_customers", "bi.rfm_segment_rules"}) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE run_id < (SELECT min(run_id) FROM"
                    + " (SELECT DISTINCT run_id FROM " + table + " ORDER BY run_id DESC LIMIT ?) kept)")) {
                ps.setInt(1, keepRuns);
                ps.executeUpdate();
            }
        }
    }
}
