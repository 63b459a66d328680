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

    /** One embedded database with the KPI fixture, copied for every test. */
    @BeforeAll
    static void prepare() throws Exception {
        template = root.resolve("template");
        try (Database db = open(template)) {
            Sql.loadKpiFixture(db.dataSource());
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
            assertThat(w.resolve("reports/runs/1/data/monthly_revenue.csv")).exists();
            serve.kill9();
        }
        unslow(w);
        try (EcombiProcess run = EcombiProcess.start(w.resolve("run.log"), Map.of(), args(w, "run"))) {
            assertThat(run.awaitExit(Duration.ofSeconds(180))).as(run.output()).isZero();
        }
        assertThat(w.resolve("reports/runs/1")).doesNotExist();
        assertThat(Files.readSymbolicLink(w.resolve("reports/latest")).toString()).isEqualTo("runs/2");
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
        assertThat(w.resolve("reports/latest")).doesNotExist();
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
            org.postgresql.ds.PGSimpleDataSource child = new org.postgresql.ds.PGSimpleDataSource();
            child.setUrl("jdbc:postgresql://localhost:" + Files.readAllLines(w.resolve("pg/postmaster.pid")).get(3).trim() + "/postgres");
            child.setUser("postgres");
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (((Number) Sql.one(child, "SELECT count(*) FROM ingest.files WHERE status = 'loading'")).intValue() == 0) {
                assertThat(System.nanoTime()).as("the load starts\n" + serve.output()).isLessThan(deadline);
                Thread.sleep(20);
            }
            serve.kill9();
        }
        assertThat(w.resolve("inbox/data/online_retail.csv")).as("the file is still in the inbox").exists();
        try (EcombiProcess serve = EcombiProcess.start(w.resolve("serve-again.log"), Map.of(), serveArgs.toArray(String[]::new))) {
            serve.awaitOutput("online_retail.csv: .* rows read", Duration.ofSeconds(120));
            serve.terminate();
            serve.awaitExit(Duration.ofSeconds(60));
        }
        try (Database db = open(w.resolve("pg"))) {
            List<Map<String, Object>> files = Sql.rows(db.dataSource(), "SELECT status, error_text FROM ingest.files WHERE file_name = 'online_retail.csv' ORDER BY file_id");
            assertThat(files).extracting(m -> m.get("status")).containsExactly("interrupted", "loaded");
            assertThat((String) files.get(0).get("error_text")).contains("rolled back");
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
