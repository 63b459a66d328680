package io.ecombi.run;

import io.ecombi.EcombiRuntime;
import io.ecombi.db.ShopTableLoader;
import io.ecombi.demo.DemoDataGenerator;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Whole runs through the real routes/ folder on a real PostgreSQL. */
class PipelineRunTest {
    static final List<String> KPIS = List.of("monthly_revenue", "category_margins", "customer_lifetime_value",
            "clv_tier_summary", "product_pareto", "churn_features", "churn_summary", "clv_distribution", "kpi_cards", "revenue_by_country");

    /** How many KPIs the pipeline's parallel split lists (routes/run-pipeline.camel.yaml). */
    static final int PARALLEL_KPIS = 17;

    /** What the report covers, computed after the fact layer and before the branches, which read it. */
    static final List<String> SCOPE = List.of("kpi data_scope", "kpi data_sources", "kpi row_issue_reasons", "kpi row_issues");

    @TempDir
    Path work;

    @Test
    void aRunOnDemoDataWritesEveryKpiAndASucceededRunRecord() throws Exception {
        try (EcombiRuntime rt = TestRuntime.start(TestRuntime.overrides(TestDatabase.newDatabase(), work))) {
            Path csv = work.resolve("demo");
            new DemoDataGenerator(400, 7, LocalDate.of(2026, 10, 31)).writeCsv(csv);
            new ShopTableLoader(rt.database().dataSource()).load(csv, true);

            Exchange result = rt.runOnce("test", null);

            assertThat(result.getException()).isNull();
            PipelineRun run = EcombiRuntime.runOf(result);
            for (String kpi : KPIS) {
                Path file = work.resolve("reports/default/data/" + kpi + ".csv");
                assertThat(file).as(kpi).exists();
                assertThat(Files.readAllLines(file)).as(kpi).hasSizeGreaterThan(1);
            }
            Map<String, Object> record = Sql.rows(rt.database().dataSource(),
                    "SELECT status, as_of, error_text, finished_at FROM bi.pipeline_runs WHERE run_id = ?", run.id()).get(0);
            assertThat(record.get("status")).isEqualTo("succeeded");
            // default as-of: the latest completed order date
            assertThat(record.get("as_of").toString()).isEqualTo(Sql.one(rt.database().dataSource(),
                    "SELECT max(order_date) FROM orders WHERE order_status = 'Completed'").toString());
            assertThat(record.get("finished_at")).isNotNull();
            List<Map<String, Object>> stages = Sql.rows(rt.database().dataSource(),
                    "SELECT stage, row_count, status FROM bi.run_stages WHERE run_id = ? ORDER BY seq", run.id());
            List<String> names = stages.stream().map(m -> (String) m.get("stage")).toList();
            assertThat(names.subList(0, 5)).containsExactly("fact layer", SCOPE.get(0), SCOPE.get(1), SCOPE.get(2), SCOPE.get(3));
            assertThat(names)
                    .contains("data quality checks", "churn model: train", "chart monthly_revenue.png")
                    .endsWith("dashboard", "publish");
            // the churn model's branch and the forecast branch (forecasts, anomalies) run beside the quality gate and
            // the KPIs, so their stages may start at any point; the independent KPIs run in parallel, so in any order,
            // but all after the quality gate and before the charts
            List<String> otherBranches = List.of("kpi churn_rate", "forecast", "weekly units forecast", "anomalies");
            List<String> ownBranch = names.stream().filter(n -> !n.startsWith("churn model") && !otherBranches.contains(n) && !SCOPE.contains(n)).toList();
            assertThat(ownBranch.subList(1, 2)).containsExactly("data quality checks");
            assertThat(ownBranch.subList(2, 2 + PARALLEL_KPIS)).containsAll(KPIS.stream().map(k -> "kpi " + k).toList());
            assertThat(stages).allSatisfy(s -> assertThat(s.get("status")).isEqualTo("succeeded"));
            assertThat(stages).filteredOn(s -> s.get("stage").equals("kpi monthly_revenue")).singleElement()
                    .satisfies(s -> assertThat(((Number) s.get("row_count")).longValue()).isEqualTo(12));
            // the kept stage table shows every stage finished, publish included
            assertThat(Files.readAllLines(work.resolve("reports/default/run_summary.txt"))).filteredOn(l -> l.startsWith("publish"))
                    .singleElement().asString().endsWith("succeeded");
            assertThat(Files.readString(work.resolve("reports/default/run_summary.txt"))).doesNotContain("running");
        }
    }

    @Test
    void aRunOnAnEmptyDatabaseFailsSayingTheShopTablesAreEmpty() throws Exception {
        try (EcombiRuntime rt = TestRuntime.start(TestRuntime.overrides(TestDatabase.newDatabase(), work))) {
            Exchange result = rt.runOnce("test", null);

            assertThat(result.getException()).hasMessageContaining("the shop tables are empty");
            Map<String, Object> record = Sql.rows(rt.database().dataSource(),
                    "SELECT status, error_text FROM bi.pipeline_runs ORDER BY run_id DESC LIMIT 1").get(0);
            assertThat(record.get("status")).isEqualTo("failed");
            assertThat((String) record.get("error_text")).contains("the shop tables are empty");
            assertThat(work.resolve("reports/default/latest")).doesNotExist();
        }
    }

    @Test
    void aFailingKpiFailsTheRunNamingStageAndFileAndKeepsThePreviousReport() throws Exception {
        Path sql = work.resolve("sql");
        try (EcombiRuntime rt = startWithEditableSql(sql)) {
            Exchange good = rt.runOnce("test", LocalDate.of(2026, 6, 30));
            assertThat(good.getException()).isNull();
            long goodId = EcombiRuntime.runOf(good).id();
            String before = Files.readString(work.resolve("reports/default/data/monthly_revenue.csv"));

            Files.writeString(sql.resolve("kpi/product_pareto.sql"), "SELECT no_such_column FROM products");
            Exchange bad = rt.runOnce("test", LocalDate.of(2026, 6, 30));

            assertThat(bad.getException()).hasMessageContaining("kpi product_pareto")
                    .hasMessageContaining("product_pareto.sql").hasMessageContaining("no_such_column");
            PipelineRun failed = EcombiRuntime.runOf(bad);
            assertThat(failed.status()).isEqualTo("failed");
            assertThat(Files.readSymbolicLink(work.resolve("reports/default/latest")).toString()).isEqualTo("runs/" + goodId);
            assertThat(Files.readString(work.resolve("reports/default/data/monthly_revenue.csv"))).isEqualTo(before);
            assertThat(Sql.one(rt.database().dataSource(), "SELECT status FROM bi.run_stages WHERE run_id = ? AND stage = 'kpi product_pareto'",
                    failed.id())).isEqualTo("failed");
        }
    }

    @Test
    void aFailureInOneOfTheParallelBranchesNamesItsOwnStage() throws Exception {
        // the forecast runs beside the churn model (route run-pipeline's multicast): while churn stages are open,
        // the run's failure must still name the forecast's stage and file
        Path sql = work.resolve("sql-branch");
        try (EcombiRuntime rt = startWithEditableSql(sql)) {
            Files.writeString(sql.resolve("forecast/daily_series.sql"), "SELECT no_such_series FROM orders");
            Exchange bad = rt.runOnce("test", LocalDate.of(2026, 6, 30));
            assertThat(bad.getException()).hasMessageContaining("stage 'forecast'").hasMessageContaining("no_such_series");
            PipelineRun failed = EcombiRuntime.runOf(bad);
            assertThat(failed.status()).isEqualTo("failed");
            assertThat(Sql.one(rt.database().dataSource(), "SELECT status FROM bi.run_stages WHERE run_id = ? AND stage = 'forecast'",
                    failed.id())).isEqualTo("failed");
            // the other branch was waited for, not left working after its run had failed: its stages finished
            // before the run did, and nothing of the run is still running
            assertThat(failed.stages()).filteredOn(st -> st.name().startsWith("churn model")).isNotEmpty()
                    .allSatisfy(st -> assertThat(st.status()).isEqualTo("succeeded"));
            assertThat(failed.stages()).noneSatisfy(st -> assertThat(st.status()).isEqualTo("running"));
        }
    }

    @Test
    void aFailedBranchWaitsForTheOtherBeforeTheRunEnds() throws Exception {
        // the churn model runs beside the quality gate: a gate that fails at once must not end the run (and
        // release its lock) while the churn branch, held up here by a slow first query, is still working
        Path sql = work.resolve("sql-wait");
        try (EcombiRuntime rt = startWithEditableSql(sql)) {
            Path churnRate = sql.resolve("kpi/churn_rate.sql");
            String slow = Files.readString(churnRate).replace("WITH params AS (",
                    "WITH slow AS MATERIALIZED (SELECT pg_sleep(3) AS z),\nparams AS (").replace("\nFROM ", "\nFROM slow, ");
            assertThat(slow).contains("pg_sleep(3)").contains("FROM slow, ");
            Files.writeString(churnRate, slow);
            Files.writeString(sql.resolve("quality/stale_data.sql"), "SELECT no_such_check FROM orders");

            Exchange bad = rt.runOnce("test", LocalDate.of(2026, 6, 30));

            assertThat(bad.getException()).hasMessageContaining("data quality checks").hasMessageContaining("no_such_check");
            PipelineRun failed = EcombiRuntime.runOf(bad);
            assertThat(failed.status()).isEqualTo("failed");
            assertThat(failed.stages()).filteredOn(st -> st.name().equals("kpi churn_rate")).singleElement()
                    .satisfies(st -> assertThat(st.status()).isEqualTo("succeeded"));
            assertThat(failed.stages()).filteredOn(st -> st.name().equals("churn model: report")).singleElement()
                    .satisfies(st -> assertThat(st.status()).isEqualTo("succeeded"));
            assertThat(failed.stages()).noneSatisfy(st -> assertThat(st.status()).isEqualTo("running"));
        }
    }

    @Test
    void anEditedSqlFileChangesTheNextRunWithoutARestart() throws Exception {
        Path sql = work.resolve("sql");
        try (EcombiRuntime rt = startWithEditableSql(sql)) {
            assertThat(EcombiRuntime.runOf(rt.runOnce("test", LocalDate.of(2026, 6, 30))).kpi("category_margins").rowCount()).isEqualTo(4);

            Path file = sql.resolve("kpi/category_margins.sql");
            Files.writeString(file, Files.readString(file).replace("GROUP BY category", "AND category <> 'Books'\nGROUP BY category")
                    .replace("FROM lines\n", "FROM lines WHERE true\n"));
            PipelineRun second = EcombiRuntime.runOf(rt.runOnce("test", LocalDate.of(2026, 6, 30)));

            assertThat(second.kpi("category_margins").rowCount()).isEqualTo(3);
        }
    }

    @Test
    void twoTriggersAtOnceFromTwoProcessesRunOneAfterTheOther() throws Exception {
        String db = TestDatabase.newDatabase();
        try (EcombiRuntime a = TestRuntime.start(TestRuntime.overrides(db, work.resolve("a")));
             EcombiRuntime b = TestRuntime.start(TestRuntime.overrides(db, work.resolve("b")))) {
            Sql.loadKpiFixture(a.database().dataSource());
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            var fa = pool.submit(() -> a.runOnce("a", null));
            var fb = pool.submit(() -> b.runOnce("b", null));
            assertThat(fa.get().getException()).isNull();
            assertThat(fb.get().getException()).isNull();
            pool.shutdown();

            List<Map<String, Object>> runs = Sql.rows(a.database().dataSource(),
                    "SELECT started_at, finished_at FROM bi.pipeline_runs ORDER BY started_at");
            assertThat(runs).hasSize(2);
            // the run record opens after the lock is taken: the second starts after the first finished
            assertThat((java.sql.Timestamp) runs.get(1).get("started_at"))
                    .isAfterOrEqualTo((java.sql.Timestamp) runs.get(0).get("finished_at"));
        }
    }

    /** A runtime on the KPI fixture whose sql/ folder is a copy the test may edit. */
    private EcombiRuntime startWithEditableSql(Path sql) throws Exception {
        copyTree(Path.of("sql"), sql);
        Map<String, String> o = TestRuntime.overrides(TestDatabase.newDatabase(), work);
        o.put("ecombi.sql.dir", sql.toString());
        EcombiRuntime rt = TestRuntime.start(o);
        Sql.loadKpiFixture(rt.database().dataSource());
        return rt;
    }

    static void copyTree(Path from, Path to) throws Exception {
        try (var paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }
}
