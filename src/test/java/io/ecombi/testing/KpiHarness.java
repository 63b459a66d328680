package io.ecombi.testing;

import io.ecombi.Settings;
import io.ecombi.db.Database;
import io.ecombi.db.SqlFile;
import io.ecombi.fact.FactLayer;
import io.ecombi.kpi.KpiStep;
import io.ecombi.kpi.KpiTable;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The SQL of a run without the runtime (no Camel, no charts, no churn model): a fresh database
 * with the migrations, a fixture, the fact layer as of a date, then one KPI, quality or other file
 * of sql/ at a time, run as the pipeline runs it (KpiStep, SqlFile). For a test whose subject is
 * the SQL; a test of routes, triggers, the dashboard or the run as a whole starts TestRuntime.
 *
 * <pre>
 * KpiHarness h = KpiHarness.start().load("kpi_fixture.sql");
 * KpiHarness.Run run = h.run(LocalDate.of(2026, 6, 30));
 * KpiTable t = run.kpi("monthly_revenue");                      // sql/kpi/monthly_revenue.sql
 * List&lt;Map&lt;String, Object&gt;&gt; bad = run.rows("quality/stale_data");  // sql/quality/stale_data.sql
 * </pre>
 *
 * Of what the pipeline does besides its SQL files, the harness does only what a file reads:
 * a bi.pipeline_runs row per run (the bi tables' foreign key; rfm_movement's previous run), the
 * previous run marked succeeded when the next starts, and the RFM files in the route's order
 * (rfm_customers applies this run's rfm_segment_rules; rfm_segments and rfm_movement read
 * rfm_customers). Nothing else is written: no churn scores (rfm_segments' churn column is empty, as
 * when the model publishes none), no bi.table_counts, no bi.kpi_tables.
 */
public final class KpiHarness implements AutoCloseable {
    /** What each KPI reads that an earlier step of routes/run-pipeline.camel.yaml writes, in that order. */
    private static final Map<String, List<String>> BEFORE = Map.of(
            "rfm_customers", List.of("rfm_segment_rules"),
            "rfm_segments", List.of("rfm_segment_rules", "rfm_customers"),
            "rfm_movement", List.of("rfm_segment_rules", "rfm_customers"));

    private final Path work;
    private final Settings settings;
    private final Database db;
    private final KpiStep kpis;
    private Run current;

    private KpiHarness(Path work, Settings settings) {
        this.work = work;
        this.settings = settings;
        this.db = Database.open(settings);
        this.kpis = new KpiStep(db.dataSource(), settings);
    }

    /** A fresh, migrated database with config/application.properties' settings. */
    public static KpiHarness start() {
        return start(Map.of());
    }

    /** The same, with some settings overridden (e.g. ecombi.geography.top-countries). */
    public static KpiHarness start(Map<String, String> overrides) {
        try {
            Path work = Files.createTempDirectory("ecombi-kpi-harness");
            Map<String, String> o = new HashMap<>(TestRuntime.overrides(TestDatabase.newDatabase(), work));
            o.putAll(overrides);
            return new KpiHarness(work, TestRuntime.settings(o));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads a hand-made shop of src/test/resources/fixtures/ (Sql.loadFixture). */
    public KpiHarness load(String fixture) {
        Sql.loadFixture(dataSource(), fixture);
        return this;
    }

    public DataSource dataSource() { return db.dataSource(); }

    public Settings settings() { return settings; }

    /** A query's rows (Sql.rows), e.g. of a fact table. */
    public List<Map<String, Object>> query(String sql, Object... params) {
        return Sql.rows(dataSource(), sql, params);
    }

    /**
     * A new run as of a date: its bi.pipeline_runs row and its fact layer (fact.params and sql/fact),
     * then the named KPIs. The previous run, if any, is marked succeeded and can no longer run files:
     * name the KPIs of an earlier run here, or read them before starting the next.
     */
    public Run run(LocalDate asOf, String... kpiNames) {
        if (current != null) current.succeed();
        long id = (Long) Sql.one(dataSource(), "INSERT INTO bi.pipeline_runs (trigger, as_of) VALUES ('test', ?) RETURNING run_id", asOf);
        try {
            new FactLayer(dataSource(), settings).build(id, asOf);
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("the fact layer of run " + id + " as of " + asOf + ": " + e.getMessage(), e);
        }
        current = new Run(id, asOf);
        for (String k : kpiNames) current.kpi(k);
        return current;
    }

    /** One run: its KPI tables, each run once (with what it reads first), and any file of sql/. */
    public final class Run {
        private final long id;
        private final LocalDate asOf;
        private final Map<String, KpiTable> tables = new LinkedHashMap<>();

        private Run(long id, LocalDate asOf) {
            this.id = id;
            this.asOf = asOf;
        }

        public long id() { return id; }

        public LocalDate asOf() { return asOf; }

        /**
         * sql/kpi/&lt;name&gt;.sql (or sql/&lt;folder&gt;/&lt;name&gt;.sql for "folder/name") as KpiStep runs it, its
         * CSV in a temporary folder; run once per run, after the steps it reads.
         */
        public KpiTable kpi(String name) {
            KpiTable done = tables.get(name);
            if (done != null) return done;
            requireCurrent(name);
            for (String before : BEFORE.getOrDefault(name, List.of())) kpi(before);
            try {
                KpiTable t = kpis.run(kpis.file(name), name.substring(name.indexOf('/') + 1), work.resolve("run-" + id));
                tables.put(name, t);
                return t;
            } catch (IOException | SQLException e) {
                throw new IllegalStateException("KPI " + name + " of run " + id + ": " + e.getMessage(), e);
            }
        }

        /** The rows of sql/&lt;name&gt;.sql, e.g. "quality/orders_without_items", against this run's fact layer. */
        public List<Map<String, Object>> rows(String name) {
            return rows(name, Map.of());
        }

        /** The same for a file that takes bound parameters (e.g. "drivers/contributions" and a move's dates). */
        public List<Map<String, Object>> rows(String name, Map<String, ?> params) {
            requireCurrent(name);
            try {
                return SqlFile.read(settings.path("ecombi.sql.dir").resolve(name + ".sql")).rows(dataSource(), params);
            } catch (IOException | SQLException e) {
                throw new IllegalStateException(name + " of run " + id + ": " + e.getMessage(), e);
            }
        }

        private void requireCurrent(String name) {
            if (current != this) {
                throw new IllegalStateException(name + " of run " + id + ": run " + current.id
                        + " has rebuilt the fact layer since; name it in run(asOf, ...) or read it before the next run");
            }
        }

        /** Marks the run succeeded, as the pipeline's last step does (bi.rfm_customers_latest, the next run's movement). */
        public void succeed() {
            Sql.exec(dataSource(), "UPDATE bi.pipeline_runs SET status = 'succeeded', finished_at = now() WHERE run_id = " + id);
        }
    }

    @Override
    public void close() {
        db.close();
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind
        }
    }
}
