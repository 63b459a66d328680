package io.ecombi.run;

import io.ecombi.Settings;
import io.ecombi.db.Database;
import io.ecombi.testing.EcombiProcess;
import io.ecombi.testing.Sql;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What production does to a process, done to real ecombi processes on their own embedded
 * database: kill -9 (idle and mid-run) and start again, SIGTERM mid-run within and beyond the
 * grace period. The database is the real one the process ran; the test opens it afterwards.
 */
class ProcessFaultsTest {
    @TempDir
    static Path root;
    static Path template;
    static long fixtureOrderItems;

    /** One embedded database with the KPI fixture, copied for every test. */
    @BeforeAll
    static void prepare() throws Exception {
        template = root.resolve("template");
        try (Database db = open(template)) {
            Sql.loadKpiFixture(db.dataSource());
            fixtureOrderItems = ((Number) Sql.one(db.dataSource(), "SELECT count(*) FROM order_items")).longValue();
        }
    }

    @Test
    void afterKill9TheNextStartStopsTheLeftoverServerAndRuns() throws Exception {
        Path w = workspace("kill9", 0);
        int cameUp = 0;
        int tries = 1;   // the report's N comes from a longer loop; one try keeps the suite fast
        for (int i = 0; i < tries; i++) {
            try (EcombiProcess serve = EcombiProcess.start(w.resolve("serve-" + i + ".log"), Map.of(), args(w, "serve"))) {
                serve.awaitOutput("ecombi is serving", Duration.ofSeconds(120));
                long pgPid = pidOf(w);
                serve.kill9();
                assertThat(ProcessHandle.of(pgPid).map(ProcessHandle::isAlive)).as("the server outlives kill -9").contains(true);

                try (EcombiProcess run = EcombiProcess.start(w.resolve("run-" + i + ".log"), Map.of(), args(w, "run"))) {
                    int exit = run.awaitExit(Duration.ofSeconds(180));
                    assertThat(run.output()).contains("was still running (pid " + pgPid);
                    assertThat(exit).as(run.output()).isZero();
                    if (exit == 0) cameUp++;
                }
                assertThat(ProcessHandle.of(pgPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            }
        }
        assertThat(cameUp).isEqualTo(tries);
    }

    @Test
    void aRunKilledMidwayIsMarkedInterruptedAtTheNextStartAndItsPartialFolderRemoved() throws Exception {
        Path w = workspace("midrun", 60);
        try (EcombiProcess serve = EcombiProcess.start(w.resolve("serve.log"), Map.of(), args(w, "serve"))) {
            serve.awaitOutput("ecombi is serving", Duration.ofSeconds(120));
            Files.writeString(w.resolve("inbox/slow.trigger"), "");
            serve.awaitOutput("run 1 \\| kpi category_margins started", Duration.ofSeconds(60));
            // the KPIs run two at a time: monthly_revenue ends beside the slowed category_margins
            serve.awaitOutput("run 1 \\| kpi monthly_revenue done", Duration.ofSeconds(60));
            assertThat(w.resolve("reports/default/runs/1/data/monthly_revenue.csv")).exists();
            serve.kill9();
        }
        unslow(w);
        try (EcombiProcess run = EcombiProcess.start(w.resolve("run.log"), Map.of(), args(w, "run"))) {
            assertThat(run.awaitExit(Duration.ofSeconds(180))).as(run.output()).isZero();
        }
        assertThat(w.resolve("reports/default/runs/1")).doesNotExist();
        assertThat(Files.readSymbolicLink(w.resolve("reports/default/latest")).toString()).isEqualTo("runs/2");
        try (Database db = open(w.resolve("pg"))) {
            Map<String, Object> r1 = Sql.rows(db.dataSource(), "SELECT status, finished_at, error_text FROM bi.pipeline_runs WHERE run_id = 1").get(0);
            assertThat(r1.get("status")).isEqualTo("interrupted");
            assertThat(r1.get("finished_at")).isNotNull();
            assertThat((String) r1.get("error_text")).contains("found still running when ecombi started");
            assertThat(Sql.one(db.dataSource(), "SELECT status FROM bi.run_stages WHERE run_id = 1 AND stage = 'kpi category_margins'"))
                    .isEqualTo("interrupted");
            assertThat(Sql.one(db.dataSource(), "SELECT count(*) FROM bi.run_stages WHERE status = 'running'")).isEqualTo(0L);
            assertThat(Sql.one(db.dataSource(), "SELECT status FROM bi.pipeline_runs WHERE run_id = 2")).isEqualTo("succeeded");
        }
    }

    @Test
    void sigtermDuringARunLetsItFinishWithinTheGracePeriodAndStopsTheDatabaseLast() throws Exception {
        Path w = workspace("sigterm-grace", 4);
        try (EcombiProcess serve = EcombiProcess.start(w.resolve("serve.log"), Map.of(), args(w, "serve", "ecombi.shutdown.grace-seconds=60"))) {
            serve.awaitOutput("ecombi is serving", Duration.ofSeconds(120));
            Files.writeString(w.resolve("inbox/finish.trigger"), "");
            serve.awaitOutput("run 1 \\| kpi category_margins started", Duration.ofSeconds(60));
            long t0 = System.nanoTime();
            serve.terminate();
            serve.awaitExit(Duration.ofSeconds(90));
            double seconds = (System.nanoTime() - t0) / 1e9;
            String out = serve.output();
            assertThat(out).contains("run 1 succeeded").doesNotContain("57P01");
            assertThat(out.indexOf("run 1 succeeded")).isLessThan(out.indexOf("Embedded PostgreSQL on port"  + " " + portIn(out) + " stopped"));
            assertThat(seconds).isLessThan(60);
        }
        assertThat(w.resolve("pg/postmaster.pid")).as("the server was stopped cleanly").doesNotExist();
        assertThat(list(w.resolve("inbox/done"))).anyMatch(f -> f.endsWith("-finish.trigger"));
        assertThat(list(w.resolve("inbox/failed"))).isEmpty();
        try (Database db = open(w.resolve("pg"))) {
            assertThat(Sql.one(db.dataSource(), "SELECT status FROM bi.pipeline_runs WHERE run_id = 1")).isEqualTo("succeeded");
        }
    }

    @Test
    void sigtermBeyondTheGracePeriodRecordsTheRunInterruptedAndPutsItsTriggerBackForTheNextStart() throws Exception {
        Path w = workspace("sigterm-late", 120);
        try (EcombiProcess serve = EcombiProcess.start(w.resolve("serve.log"), Map.of(), args(w, "serve", "ecombi.shutdown.grace-seconds=2"))) {
            serve.awaitOutput("ecombi is serving", Duration.ofSeconds(120));
            Files.writeString(w.resolve("inbox/late.trigger"), "# a run that cannot finish in time\n");
            serve.awaitOutput("run 1 \\| kpi category_margins started", Duration.ofSeconds(60));
            long t0 = System.nanoTime();
            serve.terminate();
            serve.awaitExit(Duration.ofSeconds(60));
            assertThat((System.nanoTime() - t0) / 1e9).as("grace 2 s, then the run is cancelled").isLessThan(30);
            assertThat(serve.output()).contains("run 1 interrupted");
        }
        assertThat(w.resolve("pg/postmaster.pid")).as("the server was stopped cleanly").doesNotExist();
        List<String> inbox = list(w.resolve("inbox"));
        assertThat(inbox).anyMatch(f -> f.matches("interrupted-\\d{8}-\\d{6}-\\d{3}-late\\.trigger"));
        assertThat(list(w.resolve("inbox/failed"))).isEmpty();
        assertThat(w.resolve("reports/default/latest")).doesNotExist();
        try (Database db = open(w.resolve("pg"))) {
            Map<String, Object> r1 = Sql.rows(db.dataSource(), "SELECT status, finished_at, error_text FROM bi.pipeline_runs WHERE run_id = 1").get(0);
            assertThat(r1.get("status")).isEqualTo("interrupted");
            assertThat(r1.get("finished_at")).isNotNull();
            assertThat((String) r1.get("error_text")).contains("ecombi.shutdown.grace-seconds=2");
        }

        // the next start runs the trigger that was put back: nothing was lost
        unslow(w);
        try (EcombiProcess serve = EcombiProcess.start(w.resolve("serve-again.log"), Map.of(), args(w, "serve"))) {
            serve.awaitOutput("run 2 succeeded", Duration.ofSeconds(120));
            serve.awaitOutput("trigger file interrupted-.*-late.trigger accepted", Duration.ofSeconds(5));
            serve.terminate();
            serve.awaitExit(Duration.ofSeconds(60));
        }
        assertThat(list(w.resolve("inbox/done"))).anyMatch(f -> f.endsWith("-late.trigger"));
    }

    @Test
    void aLoadKilledMidwayIsMarkedInterruptedAndTheFileLoadsAtTheNextStart() throws Exception {
        Path w = workspace("midload", 0);
        // the UCI format's SQL (read from the workspace's sql/) sleeps first: a load that is reliably under way
        Path uci = w.resolve("sql/ingest/online_retail.sql");
        String script = Files.readString(uci);
        assertThat(script).contains("\nCREATE TEMPORARY TABLE staged");
        Files.writeString(uci, script.replace("\nCREATE TEMPORARY TABLE staged", "\nSELECT pg_sleep(8);\n\nCREATE TEMPORARY TABLE staged"));
        Files.createDirectories(w.resolve("inbox/data"));
        List<String> serveArgs = new ArrayList<>(List.of(args(w, "serve", "ecombi.ingest.run-after-load=false")));
        try (EcombiProcess serve = EcombiProcess.start(w.resolve("serve.log"), Map.of(), serveArgs.toArray(String[]::new))) {
            serve.awaitOutput("ecombi is serving", Duration.ofSeconds(120));
            Files.copy(Path.of("src/test/resources/datasets/online_retail_slice.csv"), w.resolve("inbox/data/online_retail.csv"));
            // watch the child's own database until the load is under way, then kill it
            org.postgresql.ds.PGSimpleDataSource child = childDb(w);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (((Number) Sql.one(child, "SELECT count(*) FROM ingest.files WHERE status = 'loading'")).intValue() == 0) {
                assertThat(System.nanoTime()).as("the load starts\n" + serve.output()).isLessThan(deadline);
                Thread.sleep(20);
            }
            serve.kill9();
        }
        assertThat(w.resolve("inbox/data/online_retail.csv")).as("the file is still in the inbox").exists();
        try (EcombiProcess serve = EcombiProcess.start(w.resolve("serve-again.log"), Map.of(), serveArgs.toArray(String[]::new))) {
            serve.awaitOutput("online_retail.csv: .* rows read = ", Duration.ofSeconds(120));
            serve.terminate();
            serve.awaitExit(Duration.ofSeconds(60));
        }
        try (Database db = open(w.resolve("pg"))) {
            List<Map<String, Object>> files = Sql.rows(db.dataSource(), "SELECT status, error_text FROM ingest.files WHERE file_name = 'online_retail.csv' ORDER BY file_id");
            assertThat(files).extracting(m -> m.get("status")).containsExactly("interrupted", "loaded");
            assertThat((String) files.get(0).get("error_text")).contains("rolled back");
        }
    }

    @Test
    void sigtermDuringALoadLetsItFinishWithinTheGracePeriod() throws Exception {
        Path w = workspace("sigterm-load-grace", 0);
        slowLoad(w, 6);
        try (EcombiProcess serve = EcombiProcess.start(w.resolve("serve.log"), Map.of(),
                args(w, "serve", "ecombi.ingest.run-after-load=false", "ecombi.shutdown.grace-seconds=60"))) {
            serve.awaitOutput("ecombi is serving", Duration.ofSeconds(120));
            Files.copy(Path.of("src/test/resources/datasets/online_retail_slice.csv"), w.resolve("inbox/data/online_retail.csv"));
            awaitLoading(childDb(w), serve);
            serve.terminate();
            serve.awaitExit(Duration.ofSeconds(90));
            assertThat(serve.output()).contains("the load of online_retail.csv finished; stopping").doesNotContain("57P01");
        }
        assertThat(list(w.resolve("inbox/data/done"))).anyMatch(f -> f.endsWith("-online_retail.csv"));
        assertThat(list(w.resolve("inbox/data"))).isEmpty();
        assertThat(list(w.resolve("inbox/data/failed"))).isEmpty();
        try (Database db = open(w.resolve("pg"))) {
            assertThat(Sql.rows(db.dataSource(), "SELECT status FROM ingest.files WHERE file_name = 'online_retail.csv'"))
                    .extracting(m -> m.get("status")).containsExactly("loaded");
        }
    }

    @Test
    void sigtermBeyondTheGracePeriodRollsTheLoadBackAndPutsTheFileBackForTheNextStart() throws Exception {
        Path w = workspace("sigterm-load-late", 0);
        // a large file: about 200,000 order lines, which take far longer than the 2 s grace period to load
        Path big = w.resolve("big.csv");
        long lines = bigOnlineRetail(big, 480);
        List<String> serveArgs = List.of(args(w, "serve", "ecombi.ingest.run-after-load=false", "ecombi.shutdown.grace-seconds=2"));
        try (EcombiProcess serve = EcombiProcess.start(w.resolve("serve.log"), Map.of(), serveArgs.toArray(String[]::new))) {
            serve.awaitOutput("ecombi is serving", Duration.ofSeconds(120));
            Files.move(big, w.resolve("inbox/data/online_retail.csv"));
            awaitLoading(childDb(w), serve);
            long t0 = System.nanoTime();
            serve.terminate();
            serve.awaitExit(Duration.ofSeconds(60));
            assertThat((System.nanoTime() - t0) / 1e9).as("grace 2 s, then the load is rolled back").isLessThan(30);
            assertThat(serve.output()).contains("load interrupted and rolled back").doesNotContain("57P01");
        }
        assertThat(w.resolve("pg/postmaster.pid")).as("the server was stopped cleanly").doesNotExist();
        assertThat(list(w.resolve("inbox/data"))).singleElement().asString().matches("interrupted-\\d{8}-\\d{6}-\\d{3}-online_retail\\.csv");
        assertThat(list(w.resolve("inbox/data/failed"))).isEmpty();
        try (Database db = open(w.resolve("pg"))) {
            Map<String, Object> f = Sql.rows(db.dataSource(), "SELECT status, finished_at, error_text FROM ingest.files WHERE file_name = 'online_retail.csv'").get(0);
            assertThat(f.get("status")).isEqualTo("interrupted");
            assertThat(f.get("finished_at")).isNotNull();
            assertThat((String) f.get("error_text")).contains("ecombi.shutdown.grace-seconds=2");
            assertThat(Sql.one(db.dataSource(), "SELECT count(*) FROM order_items")).as("rolled back: nothing of it kept").isEqualTo(fixtureOrderItems);
        }

        // the next start loads the file that was put back, under its own name: nothing was lost
        try (EcombiProcess serve = EcombiProcess.start(w.resolve("serve-again.log"), Map.of(), serveArgs.toArray(String[]::new))) {
            serve.awaitOutput("online_retail.csv: .* rows read = ", Duration.ofSeconds(300));
            serve.terminate();
            serve.awaitExit(Duration.ofSeconds(60));
        }
        assertThat(list(w.resolve("inbox/data/done"))).anyMatch(f -> f.endsWith("-online_retail.csv"));
        try (Database db = open(w.resolve("pg"))) {
            List<Map<String, Object>> files = Sql.rows(db.dataSource(), "SELECT status, rows_read FROM ingest.files WHERE file_name = 'online_retail.csv' ORDER BY file_id");
            assertThat(files).extracting(m -> m.get("status")).containsExactly("interrupted", "loaded");
            assertThat(files.get(1).get("rows_read")).isEqualTo(lines);
        }
    }

    /**
     * Two real processes on one (external) database: a load under way in one is never marked by the
     * other's start or load; once its process is killed, the other's next load marks it interrupted.
     */
    @Test
    void aLiveLoadOfAnotherProcessIsLeftAloneAndADeadOneIsMarkedByTheNextLoad() throws Exception {
        Path w = workspace("two-loaders", 0);
        slowLoad(w, 120);
        String url = io.ecombi.testing.TestDatabase.newDatabase();
        var shared = new org.postgresql.ds.PGSimpleDataSource();
        shared.setUrl(url);
        shared.setUser(io.ecombi.testing.TestDatabase.user());
        shared.setPassword(io.ecombi.testing.TestDatabase.password());
        Map<String, String> env = io.ecombi.testing.TestDatabase.password().isEmpty() ? Map.of() : Map.of("ECOMBI_DB_PASSWORD", io.ecombi.testing.TestDatabase.password());
        Files.copy(Path.of("src/test/resources/datasets/online_retail_slice.csv"), w.resolve("online_retail.csv"));
        try (EcombiProcess a = EcombiProcess.start(w.resolve("a.log"), env, external(w, "a", url, "load", w.resolve("online_retail.csv").toString()))) {
            awaitLoading(shared, a);
            long live = ((Number) Sql.one(shared, "SELECT file_id FROM ingest.files WHERE status = 'loading'")).longValue();

            // process b starts (serve) and stops while a is loading: a's load is alive, so it stays loading
            try (EcombiProcess b = EcombiProcess.start(w.resolve("b-serve.log"), env, external(w, "b", url, "serve"))) {
                b.awaitOutput("ecombi is serving", Duration.ofSeconds(120));
                b.terminate();
                b.awaitExit(Duration.ofSeconds(60));
            }
            assertThat(Sql.one(shared, "SELECT status FROM ingest.files WHERE file_id = ?", live)).isEqualTo("loading");
            assertThat(a.process().isAlive()).isTrue();
            a.kill9();
        }
        // a's backend, busy in its 120 s statement, notices within seconds that its client is gone, and its lock goes
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (((Number) Sql.one(shared, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 1701015405")).intValue() > 0) {
            assertThat(System.nanoTime()).as("the killed loader's session ends").isLessThan(deadline);
            Thread.sleep(100);
        }
        // process b loads another file: before its load it finds a's row without an owner
        Files.copy(Path.of("src/test/resources/datasets/superstore_slice.csv"), w.resolve("superstore.csv"));
        try (EcombiProcess b = EcombiProcess.start(w.resolve("b-load.log"), env, external(w, "b", url, "load", w.resolve("superstore.csv").toString()))) {
            assertThat(b.awaitExit(Duration.ofSeconds(120))).as(b.output()).isZero();
            assertThat(b.output()).contains("was still marked loading but its loader is gone");
        }
        List<Map<String, Object>> files = Sql.rows(shared, "SELECT file_name, status, finished_at, error_text, loader FROM ingest.files ORDER BY file_id");
        assertThat(files).extracting(m -> m.get("file_name") + " " + m.get("status")).containsExactly("online_retail.csv interrupted", "superstore.csv loaded");
        assertThat(files.get(0).get("finished_at")).isNotNull();
        assertThat((String) files.get(0).get("error_text")).contains("its loader ended").contains("by ");
        assertThat(files.get(0).get("loader")).isNotEqualTo(files.get(1).get("loader"));
    }

    /** Issue 31: serve with a route file gone (anomaly) exits 1 at once, naming the endpoint, instead of failing every run 30 s in. */
    @Test
    void serveWithADeletedRouteFileRefusesToStartNamingIt() throws Exception {
        Path w = workspace("deleted-route", 0);
        Path routes = w.resolve("routes");
        Files.createDirectories(routes);
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path p : files.toList()) if (!p.getFileName().toString().equals("anomaly.camel.yaml")) Files.copy(p, routes.resolve(p.getFileName()));
        }
        try (EcombiProcess serve = EcombiProcess.start(w.resolve("serve.log"), Map.of(), args(w, "serve",
                "ecombi.routes.dir=" + routes, "camel.main.routes-include-pattern=file:" + routes + "/*.camel.yaml"))) {
            assertThat(serve.awaitExit(Duration.ofSeconds(60))).as(serve.output()).isEqualTo(1);
            assertThat(serve.output()).contains("no route consumes 'direct:anomaly' (sent to by run-pipeline.camel.yaml)").doesNotContain("ecombi is serving");
        }
        assertThat(w.resolve("pg/postmaster.pid")).as("no database was left running").doesNotExist();
    }

    /**
     * Issue 31, item 3: latest was switched before run_summary.txt and before the run was recorded succeeded, so a
     * kill -9 during publish left it on a run that did not succeed (4 of 5). Here the commit of 'succeeded' is held
     * (a trigger on bi.pipeline_runs sleeps) and the process is killed while it waits: latest must not have moved.
     */
    @Test
    void kill9WhileTheRunIsRecordedSucceededLeavesLatestWhereItWas() throws Exception {
        Path w = workspace("kill9-publish", 0);
        try (Database db = open(w.resolve("pg"))) {
            Sql.exec(db.dataSource(), "CREATE FUNCTION bi.hold_success() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "IF NEW.status = 'succeeded' THEN PERFORM pg_sleep(120); END IF; RETURN NEW; END $$;"
                    + "CREATE TRIGGER hold_success BEFORE UPDATE ON bi.pipeline_runs FOR EACH ROW EXECUTE FUNCTION bi.hold_success()");
        }
        try (EcombiProcess serve = EcombiProcess.start(w.resolve("serve.log"), Map.of(), args(w, "serve"))) {
            serve.awaitOutput("ecombi is serving", Duration.ofSeconds(120));
            Files.writeString(w.resolve("inbox/publish.trigger"), "");
            var child = childDb(w);
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (((Number) Sql.one(child, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'UPDATE bi.pipeline_runs SET finished_at%' "
                    + "AND wait_event = 'PgSleep'")).intValue() == 0) {
                assertThat(System.nanoTime()).as("the run reaches its commit\n" + serve.output()).isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(w.resolve("reports/default/runs/1/run_summary.txt")).as("every file is written before the commit").exists();
            serve.kill9();
            assertThat(w.resolve("reports/default/latest")).as("latest never points at a run that did not succeed").doesNotExist();
            // the killed process's session still sleeps in its UPDATE (holding the row): end it, then drop the trigger
            Sql.one(child, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE wait_event = 'PgSleep'");
            Sql.exec(child, "DROP TRIGGER hold_success ON bi.pipeline_runs");
        }
        try (EcombiProcess run = EcombiProcess.start(w.resolve("run.log"), Map.of(), args(w, "run"))) {
            assertThat(run.awaitExit(Duration.ofSeconds(180))).as(run.output()).isZero();
        }
        assertThat(Files.readSymbolicLink(w.resolve("reports/default/latest")).toString()).isEqualTo("runs/2");
        assertThat(w.resolve("reports/default/runs/1")).doesNotExist();
        assertThat(Files.readString(w.resolve("reports/default/run_summary.txt"))).startsWith("run 2 ");
        try (Database db = open(w.resolve("pg"))) {
            assertThat(Sql.rows(db.dataSource(), "SELECT run_id, status FROM bi.pipeline_runs ORDER BY run_id"))
                    .extracting(m -> m.get("run_id") + " " + m.get("status")).containsExactly("1 interrupted", "2 succeeded");
            assertThat(Sql.one(db.dataSource(), "SELECT DISTINCT run_id FROM bi.rfm_customers_latest")).isEqualTo(2L);
        }
    }

    /**
     * Issue 31, item 1: with the grace deadline in the run's last steps (grace 1 s, SIGTERM at "kpi history started")
     * the trigger landed in inbox/failed/ without a reason (5 of 5): the run's clean-up let Camel stop before the file
     * was put back, and after the summary step (which removes the message headers) the put-back step lost the file's
     * name. Here kpi history is held (every insert into bi.kpi_tables sleeps 2 s) so the deadline falls in it.
     */
    @Test
    void sigtermInTheRunsLastStepsPutsItsTriggerBack() throws Exception {
        Path w = workspace("sigterm-last-steps", 0);
        try (Database db = open(w.resolve("pg"))) {
            Sql.exec(db.dataSource(), "CREATE FUNCTION bi.slow_history() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "PERFORM pg_sleep(2); RETURN NULL; END $$;"
                    + "CREATE TRIGGER slow_history AFTER INSERT ON bi.kpi_tables FOR EACH STATEMENT EXECUTE FUNCTION bi.slow_history()");
        }
        try (EcombiProcess serve = EcombiProcess.start(w.resolve("serve.log"), Map.of(), args(w, "serve", "ecombi.shutdown.grace-seconds=1"))) {
            serve.awaitOutput("ecombi is serving", Duration.ofSeconds(120));
            Files.writeString(w.resolve("inbox/last.trigger"), "");
            serve.awaitOutput("run 1 \\| kpi history started", Duration.ofSeconds(120));
            serve.terminate();
            serve.awaitExit(Duration.ofSeconds(60));
            assertThat(serve.output()).contains("run 1 interrupted").contains("trigger file last.trigger was not run to the end because ecombi is stopping: put back as");
        }
        assertThat(list(w.resolve("inbox/failed"))).isEmpty();
        assertThat(list(w.resolve("inbox"))).anyMatch(f -> f.matches("interrupted-\\d{8}-\\d{6}-\\d{3}-last\\.trigger"));
        assertThat(w.resolve("reports/default/latest")).doesNotExist();
        try (Database db = open(w.resolve("pg"))) {
            Sql.exec(db.dataSource(), "DROP TRIGGER slow_history ON bi.kpi_tables");
        }
        try (EcombiProcess serve = EcombiProcess.start(w.resolve("serve-again.log"), Map.of(), args(w, "serve"))) {
            serve.awaitOutput("run 2 succeeded", Duration.ofSeconds(120));
            serve.awaitOutput("trigger file interrupted-.*-last.trigger accepted", Duration.ofSeconds(5));
            serve.terminate();
            serve.awaitExit(Duration.ofSeconds(60));
        }
        assertThat(w.resolve("reports/default/runs/1")).as("the interrupted run's folder is gone").doesNotExist();
        assertThat(list(w.resolve("inbox/done"))).anyMatch(f -> f.endsWith("-last.trigger"));
    }

    /**
     * Issue 31, item 2: SIGTERM during the run a CSV drop started: the file went to done/, the run was interrupted and
     * no run came after a restart. The loaded file is done; the run is owed and happens at the next start.
     */
    @Test
    void sigtermDuringTheRunACsvDropStartedRunsItAtTheNextStart() throws Exception {
        Path w = workspace("sigterm-drop-run", 120);
        Files.createDirectories(w.resolve("inbox/data"));
        try (EcombiProcess serve = EcombiProcess.start(w.resolve("serve.log"), Map.of(), args(w, "serve", "ecombi.shutdown.grace-seconds=2"))) {
            serve.awaitOutput("ecombi is serving", Duration.ofSeconds(120));
            Files.copy(Path.of("src/test/resources/datasets/online_retail_slice.csv"), w.resolve("inbox/data/online_retail.csv"));
            serve.awaitOutput("run 1 \\| kpi category_margins started", Duration.ofSeconds(120));
            serve.terminate();
            serve.awaitExit(Duration.ofSeconds(60));
            assertThat(serve.output()).contains("run 1 interrupted").contains("the run after loading online_retail.csv failed");
        }
        assertThat(list(w.resolve("inbox/data/done"))).anyMatch(f -> f.endsWith("-online_retail.csv"));
        assertThat(list(w.resolve("inbox"))).singleElement().asString().matches("interrupted-\\d{8}-\\d{6}-\\d{3}-run-after-loading-online_retail\\.csv\\.trigger");
        unslow(w);
        try (EcombiProcess serve = EcombiProcess.start(w.resolve("serve-again.log"), Map.of(), args(w, "serve"))) {
            serve.awaitOutput("run 2 succeeded", Duration.ofSeconds(120));
            serve.terminate();
            serve.awaitExit(Duration.ofSeconds(60));
        }
        try (Database db = open(w.resolve("pg"))) {
            assertThat(Sql.rows(db.dataSource(), "SELECT run_id, status, trigger FROM bi.pipeline_runs ORDER BY run_id"))
                    .extracting(m -> m.get("run_id") + " " + m.get("status") + " " + m.get("trigger"))
                    .containsExactly("1 interrupted inbox-data:online_retail.csv", "2 succeeded inbox:" + list(w.resolve("inbox/done")).stream()
                            .filter(f -> f.contains("run-after-loading")).findFirst().orElseThrow().substring(20));
        }
    }

    // --- helpers --------------------------------------------------------------------------------

    static Database open(Path dataDir) {
        Map<String, String> o = new HashMap<>();
        o.put("ecombi.db.url", "");
        o.put("ecombi.db.embedded.data-dir", dataDir.toString());
        return Database.open(Settings.load(Settings.DEFAULT_FILE, Map.of(), o));
    }

    /** A folder with a copy of the fixture database and of sql/, whose category_margins KPI sleeps so long. */
    static Path workspace(String name, int slowSeconds) throws Exception {
        Path w = root.resolve(name);
        Files.createDirectories(w.resolve("inbox"));
        Process cp = new ProcessBuilder("cp", "-a", template.toString(), w.resolve("pg").toString()).inheritIO().start();
        assertThat(cp.waitFor()).isZero();
        io.ecombi.testing.SlowSql.copy(w.resolve("sql"), slowSeconds);
        return w;
    }

    static void unslow(Path w) throws Exception {
        Files.copy(Path.of("sql/kpi/category_margins.sql"), w.resolve("sql/kpi/category_margins.sql"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static String[] args(Path w, String command, String... sets) {
        List<String> a = new ArrayList<>(List.of(command));
        a.addAll(EcombiProcess.embeddedArgs(w));
        a.addAll(List.of("--set", "ecombi.sql.dir=" + w.resolve("sql"), "--set", "ecombi.schedule.cron=0 0 6 1 1 ? 2099"));
        for (String s : sets) a.addAll(List.of("--set", s));
        return a.toArray(String[]::new);
    }

    /** The UCI format's SQL in the workspace sleeps first: a load that is reliably under way for so long. */
    static void slowLoad(Path w, int seconds) throws Exception {
        Path uci = w.resolve("sql/ingest/online_retail.sql");
        String script = Files.readString(uci);
        assertThat(script).contains("\nCREATE TEMPORARY TABLE staged");
        Files.writeString(uci, script.replace("\nCREATE TEMPORARY TABLE staged", "\nSELECT pg_sleep(" + seconds + ");\n\nCREATE TEMPORARY TABLE staged"));
        Files.createDirectories(w.resolve("inbox/data"));
    }

    /** The UCI slice repeated copies times, each copy with its own invoice numbers; returns its data lines. */
    static long bigOnlineRetail(Path out, int copies) throws Exception {
        List<String> slice = Files.readAllLines(Path.of("src/test/resources/datasets/online_retail_slice.csv"), StandardCharsets.UTF_8);
        long n = 0;
        try (var wr = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            wr.write(slice.get(0) + "\n");
            for (int k = 0; k < copies; k++) {
                for (String line : slice.subList(1, slice.size())) {
                    if (line.isBlank()) continue;
                    int comma = line.indexOf(',');
                    String inv = line.substring(0, comma);
                    boolean credit = inv.startsWith("C");
                    long num = Long.parseLong(credit ? inv.substring(1) : inv) + k * 1_000_000L;
                    wr.write((credit ? "C" : "") + num + line.substring(comma) + "\n");
                    n++;
                }
            }
        }
        return n;
    }

    static org.postgresql.ds.PGSimpleDataSource childDb(Path w) throws Exception {
        org.postgresql.ds.PGSimpleDataSource child = new org.postgresql.ds.PGSimpleDataSource();
        // the shop default's database on the child's embedded server (one database per shop)
        child.setUrl("jdbc:postgresql://localhost:" + Files.readAllLines(w.resolve("pg/postmaster.pid")).get(3).trim() + "/shop_default");
        // as the role the child works as, with the password its first start generated into the data folder
        child.setUser("ecombi");
        child.setPassword(io.ecombi.db.EmbeddedServer.credentials(w.resolve("pg")).get("ecombi"));
        return child;
    }

    static void awaitLoading(javax.sql.DataSource ds, EcombiProcess p) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            try {
                if (((Number) Sql.one(ds, "SELECT count(*) FROM ingest.files WHERE status = 'loading'")).intValue() > 0) return;
            } catch (RuntimeException notYet) {
                // the schema is not there yet
            }
            assertThat(System.nanoTime()).as("the load starts\n" + p.output()).isLessThan(deadline);
            assertThat(p.process().isAlive()).as("still running\n" + p.output()).isTrue();
            Thread.sleep(20);
        }
    }

    /** A child on the shared external database, with its own folders under w/name. */
    static String[] external(Path w, String name, String url, String command, String... files) {
        List<String> a = new ArrayList<>(List.of(command));
        a.addAll(List.of(files));
        a.addAll(List.of("--set", "ecombi.db.url=" + url, "--set", "ecombi.db.user=" + io.ecombi.testing.TestDatabase.user(),
                "--set", "ecombi.reports.dir=" + w.resolve(name).resolve("reports"), "--set", "ecombi.inbox.dir=" + w.resolve(name).resolve("inbox"),
                "--set", "ecombi.demo.load-if-empty=false", "--set", "ecombi.routes.watch-interval-ms=0",
                "--set", "ecombi.sql.dir=" + w.resolve("sql"), "--set", "ecombi.schedule.cron=0 0 6 1 1 ? 2099"));
        return a.toArray(String[]::new);
    }

    static long pidOf(Path w) throws Exception {
        return Long.parseLong(Files.readAllLines(w.resolve("pg/postmaster.pid"), StandardCharsets.UTF_8).get(0).trim());
    }

    static String portIn(String output) {
        var m = java.util.regex.Pattern.compile("Embedded PostgreSQL started on port (\\d+)").matcher(output);
        return m.find() ? m.group(1) : "?";
    }

    static List<String> list(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
        }
    }
}
