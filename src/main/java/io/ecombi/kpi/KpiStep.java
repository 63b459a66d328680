package io.ecombi.kpi;

import io.ecombi.Settings;
import io.ecombi.run.PipelineRun;
import io.ecombi.run.Stage;
import org.apache.camel.Exchange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * The two halves of a KPI step around the camel-sql call (route kpi-query): {@link #prepare} reads
 * sql/kpi/<name>.sql (or sql/<folder>/<name>.sql for a name <folder>/<name>) afresh (so an edited file counts at the next run) and binds the run's
 * parameters; {@link #collect} streams the result to reports/runs/<id>/data/<name>.csv.
 */
public final class KpiStep {
    /** Exchange property naming the KPI, set by the pipeline route. */
    public static final String KPI_PROPERTY = "kpi";
    private static final String STAGE_PROPERTY = "ecombiKpiStage";

    private final Path sqlDir;
    private final int churnDays;
    private final int minOrders;
    private final int keepRows;
    private final String currency;
    private final int freshnessDays;

    public KpiStep(Settings settings) {
        this.sqlDir = settings.path("ecombi.sql.dir");
        this.churnDays = settings.getInt("ecombi.churn.window-days");
        this.minOrders = settings.getInt("ecombi.churn.min-orders");
        this.keepRows = settings.getInt("ecombi.kpi.keep-rows");
        this.currency = settings.get("ecombi.report.currency");
        this.freshnessDays = settings.getInt("ecombi.quality.freshness-days");
    }

    /**
     * The threads the pipeline's split runs independent KPI queries on, ecombi.kpi.parallel-queries
     * at a time (default 2). Daemon
     * threads: an idle pool never keeps the process alive.
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

    public void prepare(Exchange exchange) {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        String name = kpiName(exchange);
        Path file = sqlDir.resolve(name.contains("/") ? name + ".sql" : "kpi/" + name + ".sql");
        Stage stage = run.beginStage("kpi " + tableName(name));
        exchange.setProperty(STAGE_PROPERTY, stage);
        stage.setDetail(file.toString());
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("KPI query file " + file + " does not exist (route step names KPI '" + name + "')");
        }
        try {
            exchange.getMessage().setHeader("CamelSqlQuery", Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        // the named parameters every KPI query may use (:#asOf, :#churnDays, :#minOrders, :#runId, :#currency, :#freshnessDays)
        exchange.getMessage().setBody(null);
        exchange.getMessage().setHeader("runId", run.id());
        exchange.getMessage().setHeader("asOf", run.asOf());
        exchange.getMessage().setHeader("churnDays", churnDays);
        exchange.getMessage().setHeader("minOrders", minOrders);
        exchange.getMessage().setHeader("currency", currency);
        exchange.getMessage().setHeader("freshnessDays", freshnessDays);
    }

    public void collect(Exchange exchange) throws IOException {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        Stage stage = exchange.getProperty(STAGE_PROPERTY, Stage.class);
        String name = tableName(kpiName(exchange));
        Iterator<?> rows = exchange.getMessage().getBody(Iterator.class);
        KpiTable table;
        try {
            table = KpiTable.write(name, rows, run.dir().resolve("data").resolve(name + ".csv"), keepRows);
        } finally {
            if (rows instanceof AutoCloseable c) {
                try { c.close(); } catch (Exception ignored) { /* connection goes back to the pool */ }
            }
        }
        run.addKpi(table);
        run.endStage(stage, table.rowCount(), stage.detail());
        exchange.getMessage().removeHeader("CamelSqlQuery");
        exchange.getMessage().setBody(null);
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
