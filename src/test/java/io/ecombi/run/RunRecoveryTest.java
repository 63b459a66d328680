package io.ecombi.run;

import io.ecombi.EcombiRuntime;
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

/** Run records that tell the truth: dead runs and loads marked, partial folders removed, old per-run rows pruned. */
class RunRecoveryTest {
    @TempDir
    Path work;

    @Test
    void aRunStillMarkedRunningIsMarkedInterruptedByTheNextRunThatHoldsTheLockAndItsPartialFolderGoes() throws Exception {
        try (EcombiRuntime rt = TestRuntime.start(TestRuntime.overrides(TestDatabase.newDatabase(), work))) {
            var ds = rt.database().dataSource();
            Sql.loadKpiFixture(ds);
            // a run of another process that died mid-run: its record says running, its folder is half written
            long dead = ((Number) Sql.one(ds, "INSERT INTO bi.pipeline_runs (trigger, host, as_of) VALUES ('cron', 'node-b/4242', DATE '2026-06-30') RETURNING run_id")).longValue();
            Sql.exec(ds, "INSERT INTO bi.run_stages (run_id, seq, stage, started_at, status) VALUES (" + dead + ", 1, 'kpi monthly_revenue', now(), 'running')");
            Path partial = work.resolve("reports/default/runs/" + dead + "/data");
            Files.createDirectories(partial);
            Files.writeString(partial.resolve("monthly_revenue.csv.part"), "month,revenue\n");

            Exchange result = rt.runOnce("test", null);

            assertThat(result.getException()).isNull();
            Map<String, Object> r = Sql.rows(ds, "SELECT status, finished_at, error_text FROM bi.pipeline_runs WHERE run_id = ?", dead).get(0);
            assertThat(r.get("status")).isEqualTo("interrupted");
            assertThat(r.get("finished_at")).isNotNull();
            assertThat((String) r.get("error_text")).contains("found still running by the next run, which holds the run lock").contains("node-b/4242");
            assertThat(Sql.one(ds, "SELECT status FROM bi.run_stages WHERE run_id = ?", dead)).isEqualTo("interrupted");
            assertThat(work.resolve("reports/default/runs/" + dead)).doesNotExist();
            assertThat(Sql.one(ds, "SELECT status FROM bi.pipeline_runs WHERE run_id = ?", EcombiRuntime.runOf(result).id())).isEqualTo("succeeded");
        }
    }

    @Test
    void aLoadLeftLoadingIsMarkedInterruptedOnlyWhenNoSessionHoldsItsLock() throws Exception {
        try (EcombiRuntime rt = TestRuntime.start(TestRuntime.overrides(TestDatabase.newDatabase(), work))) {
            var ds = rt.database().dataSource();
            // another node's live load: its session holds the lock (1701015405, file_id) the loader takes with the row
            java.sql.Connection owner = java.sql.DriverManager.getConnection(rt.settings().get("ecombi.db.url"), TestDatabase.user(), TestDatabase.password());
            long live;
            try (var st = owner.createStatement(); var rs = st.executeQuery("INSERT INTO ingest.files (file_name, sha256, status, loader) "
                    + "VALUES ('orders.csv', 'abc', 'loading', 'node-b/4242') RETURNING file_id, pg_advisory_lock(1701015405, CAST(file_id AS integer))")) {
                rs.next();
                live = rs.getLong(1);
            }
            // a load of a process that died: nobody holds its lock
            long dead = ((Number) Sql.one(ds, "INSERT INTO ingest.files (file_name, sha256, status, loader) VALUES ('items.csv', 'def', 'loading', 'node-c/77') RETURNING file_id")).longValue();

            assertThat(io.ecombi.ingest.LoadOwnership.interruptOrphans(ds, "its loader is gone")).isEqualTo(1);
            assertThat(Sql.one(ds, "SELECT status FROM ingest.files WHERE file_id = ?", live)).isEqualTo("loading");
            Map<String, Object> f = Sql.rows(ds, "SELECT status, finished_at, error_text FROM ingest.files WHERE file_id = ?", dead).get(0);
            assertThat(f.get("status")).isEqualTo("interrupted");
            assertThat(f.get("finished_at")).isNotNull();
            assertThat((String) f.get("error_text")).contains("its loader is gone").contains("by node-c/77");

            owner.close();   // node b dies: PostgreSQL drops its lock with the session
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (io.ecombi.ingest.LoadOwnership.interruptOrphans(ds, "its loader is gone") == 0) {
                assertThat(System.nanoTime()).as("the closed session's lock goes").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(Sql.one(ds, "SELECT status FROM ingest.files WHERE file_id = ?", live)).isEqualTo("interrupted");
        }
    }

    @Test
    void anAsOfDateBeforeEveryOrderIsAFailedRunNotAnEmptyReport() throws Exception {
        try (EcombiRuntime rt = TestRuntime.start(TestRuntime.overrides(TestDatabase.newDatabase(), work))) {
            Sql.loadKpiFixture(rt.database().dataSource());

            Exchange result = rt.runOnce("test", LocalDate.of(2001, 1, 1));

            assertThat(result.getException()).hasMessageContaining("no orders on or before 2001-01-01");
            assertThat(Sql.one(rt.database().dataSource(), "SELECT status FROM bi.pipeline_runs ORDER BY run_id DESC LIMIT 1")).isEqualTo("failed");
            assertThat(work.resolve("reports/default/latest")).doesNotExist();
        }
    }

    /**
     * Issue 31: asOf=2099-01-01 succeeded and replaced latest with an empty report. The fixture's last completed
     * order is of 2026-07-02: 31 days later (2026-08-02) is still a report, 32 days later (2026-08-03) is refused.
     */
    @Test
    void anAsOfDateLongAfterTheLastOrderIsAFailedRunAndLatestStays() throws Exception {
        try (EcombiRuntime rt = TestRuntime.start(TestRuntime.overrides(TestDatabase.newDatabase(), work))) {
            Sql.loadKpiFixture(rt.database().dataSource());
            assertThat(rt.runOnce("test", LocalDate.of(2026, 8, 2)).getException()).isNull();
            Path latest = Files.readSymbolicLink(work.resolve("reports/default/latest"));

            for (LocalDate late : List.of(LocalDate.of(2026, 8, 3), LocalDate.of(2099, 1, 1))) {
                Exchange result = rt.runOnce("test", late);
                assertThat(result.getException()).hasMessageContaining("no orders after 2026-07-02: as-of " + late)
                        .hasMessageContaining("ecombi.run.as-of-max-days-after-data=31");
                assertThat(Sql.one(rt.database().dataSource(), "SELECT status FROM bi.pipeline_runs ORDER BY run_id DESC LIMIT 1")).isEqualTo("failed");
                assertThat(Files.readSymbolicLink(work.resolve("reports/default/latest"))).isEqualTo(latest);
            }
            assertThat(rt.runOnce("test", LocalDate.of(2099, 1, 1)).getException().getMessage()).contains("is 26481 days after");
        }
    }

    @Test
    void perRunTablesKeepTheSameLastRunsAsTheReportFolders() throws Exception {
        Map<String, String> o = TestRuntime.overrides(TestDatabase.newDatabase(), work);
        o.put("ecombi.reports.keep-runs", "2");
        try (EcombiRuntime rt = TestRuntime.start(o)) {
            var ds = rt.database().dataSource();
            Sql.loadKpiFixture(ds);
            for (int i = 0; i < 3; i++) assertThat(rt.runOnce("test", null).getException()).isNull();

            List<Object> folders;
            try (var s = Files.list(work.resolve("reports/default/runs"))) {
                folders = s.map(p -> (Object) Long.parseLong(p.getFileName().toString())).sorted().toList();
            }
            assertThat(folders).containsExactly(2L, 3L);
            for (String table : List.of("bi.quality_results", "bi.table_counts", "bi.run_summaries")) {
                assertThat(Sql.rows(ds, "SELECT DISTINCT run_id FROM " + table + " ORDER BY 1")).as(table)
                        .extracting(m -> m.get("run_id")).containsExactly(2L, 3L);
            }
            // the run records stay as history
            assertThat(Sql.one(ds, "SELECT count(*) FROM bi.pipeline_runs")).isEqualTo(3L);
        }
    }
}
