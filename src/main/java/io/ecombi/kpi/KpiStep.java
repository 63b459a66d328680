package io.ecombi.kpi;

import io.ecombi.Settings;
import io.ecombi.db.SqlFile;
import io.ecombi.run.PipelineRun;
import io.ecombi.run.Stage;
import org.apache.camel.Exchange;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;

/**
 * One KPI: runs sql/kpi/<name>.sql (or sql/<folder>/<name>.sql for a name <folder>/<name>), read
 * afresh so an edited file counts at the next run, and streams its rows to
 * reports/runs/<id>/data/<name>.csv. The file reads the run's parameters from fact.params.
 */
public final class KpiStep {
    /** Exchange property naming the KPI, set by the pipeline route. */
    public static final String KPI_PROPERTY = "kpi";

    private final DataSource ds;
    private final Path sqlDir;
    private final int keepRows;

    public KpiStep(DataSource ds, Settings settings) {
        this.ds = ds;
        this.sqlDir = settings.path("ecombi.sql.dir");
        this.keepRows = settings.getInt("ecombi.kpi.keep-rows");
    }

    /**
     * The threads the pipeline's split runs independent KPI queries on, ecombi.kpi.parallel-queries
     * at a time. Daemon threads: an idle pool never keeps the process alive.
     */
    public static java.util.concurrent.ExecutorService threads(Settings settings) {
        int n = settings.getInt("ecombi.kpi.parallel-queries");
        if (n < 1) throw new IllegalArgumentException("ecombi.kpi.parallel-queries must be 1 or more, not " + n);
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        return java.util.concurrent.Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "ecombi-kpi-" + next.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Route step: the KPI the exchange property 'kpi' names, as a stage of the run. */
    public void run(Exchange exchange) throws IOException, SQLException {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        String name = kpiName(exchange);
        Path file = file(name);
        Stage stage = run.beginStage("kpi " + tableName(name));
        stage.setDetail(file.toString());
        SqlFile sql = SqlFile.read(file);
        KpiTable table = run(sql, tableName(name), run.dir().resolve("data"));
        run.addKpi(table);
        io.ecombi.provenance.Provenance.record(run, io.ecombi.provenance.Provenance.of(table.name(), sql, Map.of(), table.rowCount()));
        run.endStage(stage, table.rowCount(), stage.detail());
    }

    /** Runs one KPI file against the fact layer as it stands, writing its CSV into dataDir. */
    public KpiTable run(Path file, String table, Path dataDir) throws IOException, SQLException {
        return run(SqlFile.read(file), table, dataDir);
    }

    private KpiTable run(SqlFile file, String table, Path dataDir) throws IOException, SQLException {
        try (KpiTable.Writer w = new KpiTable.Writer(table, dataDir.resolve(table + ".csv"), keepRows)) {
            file.query(ds, Map.of(), row -> {
                try {
                    w.row(row);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return w.finish();
        }
    }

    public Path file(String name) {
        return sqlDir.resolve(name.contains("/") ? name + ".sql" : "kpi/" + name + ".sql");
    }

    private static String kpiName(Exchange exchange) {
        String name = exchange.getProperty(KPI_PROPERTY, String.class);
        if (name == null || !name.matches("([a-z0-9_]+/)?[a-z0-9_]+")) {
            throw new IllegalArgumentException("KPI name '" + name + "' must be lower-case letters, digits and _ (it names sql/kpi/<name>.sql),"
                    + " or <folder>/<name> for sql/<folder>/<name>.sql");
        }
        return name;
    }

    /** churn/churn_scores -> churn_scores: the table's name and its CSV file's. */
    private static String tableName(String kpi) {
        return kpi.substring(kpi.indexOf('/') + 1);
    }
}
