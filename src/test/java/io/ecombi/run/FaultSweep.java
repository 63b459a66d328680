package io.ecombi.run;

import io.ecombi.Settings;
import io.ecombi.db.Database;
import io.ecombi.testing.EcombiProcess;
import io.ecombi.testing.Sql;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The measurements of issue 31's note, not part of mvn test (minutes per stage): real ecombi processes on the KPI
 * fixture, SIGTERM (grace 1 s) or kill -9 when a run reaches each stage, `tries` times each. Run from the project
 * folder with the test classpath:
 *
 *   java -cp target/test-classes:target/classes:$(cat cp.txt) io.ecombi.run.FaultSweep sigterm|kill9 TRIES WORKDIR
 *
 * SIGTERM: per stage, how the run and its trigger ended (succeeded and done/, interrupted and put back, or lost), and
 * whether the next start ran a put-back trigger to success. kill -9: per stage, what reports/latest points at after
 * the kill and after the next start, and whether that run succeeded.
 */
public final class FaultSweep {
    static final List<String> STAGES = List.of("fact layer", "kpi data_scope", "kpi category_margins", "churn model: train", "forecast",
            "anomalies", "kpi rfm_segments", "executive summary", "kpi history", "dashboard", "publish");

    public static void main(String[] a) throws Exception {
        String mode = a[0];
        int tries = Integer.parseInt(a[1]);
        Path root = Path.of(a[2]).toAbsolutePath();
        Path template = root.resolve("template");
        if (!Files.exists(template.resolve("PG_VERSION"))) {
            try (Database db = open(template)) {
                Sql.loadKpiFixture(db.dataSource());
            }
        }
        StringBuilder report = new StringBuilder("| stage | tries | " + (mode.equals("sigterm")
                ? "run succeeded | run interrupted, trigger put back | put-back trigger ran at next start | runs lost | triggers lost |"
                : "latest on a run that did not succeed (after kill) | after next start | next start's run succeeded |") + "\n|---|---|---|---|---|"
                + (mode.equals("sigterm") ? "---|---|" : "") + "\n");
        // an optional fourth argument: the stages to sweep, comma-separated (default: all of STAGES)
        for (String stage : a.length > 3 ? List.of(a[3].split(",")) : STAGES) {
            int ok = 0, back = 0, ranLater = 0, runsLost = 0, triggersLost = 0, badLatest = 0, badLatestAfter = 0, nextOk = 0;
            for (int t = 0; t < tries; t++) {
                Path w = root.resolve(mode + "-" + stage.replaceAll("[^a-z]+", "_") + "-" + t);
                deleteTree(w);
                Files.createDirectories(w.resolve("inbox"));
                run("cp", "-a", template.toString(), w.resolve("pg").toString());
                String[] serve = args(w, "serve", mode.equals("sigterm") ? "ecombi.shutdown.grace-seconds=1" : "ecombi.shutdown.grace-seconds=60");
                try (EcombiProcess p = EcombiProcess.start(w.resolve("serve.log"), Map.of(), serve)) {
                    p.awaitOutput("ecombi is serving", Duration.ofSeconds(180));
                    Files.writeString(w.resolve("inbox/t.trigger"), "");
                    p.awaitOutput("run 1 \\| " + java.util.regex.Pattern.quote(stage) + " started", Duration.ofSeconds(180));
                    if (mode.equals("sigterm")) {
                        p.terminate();
                        p.awaitExit(Duration.ofSeconds(120));
                    } else {
                        p.kill9();
                    }
                }
                if (mode.equals("sigterm")) {
                    String status = status(w, 1);
                    boolean done = list(w.resolve("inbox/done")).stream().anyMatch(f -> f.endsWith("-t.trigger"));
                    boolean putBack = list(w.resolve("inbox")).stream().anyMatch(f -> f.matches("interrupted-.*-t\\.trigger"));
                    boolean failed = list(w.resolve("inbox/failed")).stream().anyMatch(f -> f.endsWith("-t.trigger"));
                    if ("succeeded".equals(status) && done) ok++;
                    else if (putBack) {
                        back++;
                        try (EcombiProcess p = EcombiProcess.start(w.resolve("serve-again.log"), Map.of(), args(w, "serve"))) {
                            p.awaitOutput("run 2 (succeeded|failed)", Duration.ofSeconds(180));
                            p.terminate();
                            p.awaitExit(Duration.ofSeconds(120));
                        }
                        if ("succeeded".equals(status(w, 2))) ranLater++;
                        else runsLost++;
                    } else runsLost++;
                    if (failed || (!done && !putBack)) triggersLost++;
                    System.out.printf("%s try %d: run 1 %s, trigger %s%n", stage, t, status, done ? "done" : putBack ? "put back" : failed ? "FAILED/" : "GONE");
                } else {
                    if (!latestSucceeded(w)) badLatest++;
                    String afterStart;
                    try (EcombiProcess p = EcombiProcess.start(w.resolve("serve-again.log"), Map.of(), args(w, "serve"))) {
                        p.awaitOutput("ecombi is serving", Duration.ofSeconds(180));
                        // what latest points at once the next start has recovered (its run is read after it stops: it holds the folder)
                        afterStart = latestTarget(w);
                        Files.writeString(w.resolve("inbox/u.trigger"), "");
                        p.awaitOutput("run 2 (succeeded|failed)", Duration.ofSeconds(180));
                        p.terminate();
                        p.awaitExit(Duration.ofSeconds(120));
                    }
                    if (!afterStart.equals("(none)") && !"succeeded".equals(status(w, Long.parseLong(afterStart.replace("runs/", ""))))) badLatestAfter++;
                    if ("succeeded".equals(status(w, 2)) && latestSucceeded(w)) nextOk++;
                    System.out.printf("%s try %d: run 1 %s, latest %s%n", stage, t, status(w, 1), latestTarget(w));
                }
                deleteTree(w.resolve("pg"));
            }
            report.append(mode.equals("sigterm")
                    ? String.format("| %s | %d | %d | %d | %d | %d | %d |%n", stage, tries, ok, back, ranLater, runsLost, triggersLost)
                    : String.format("| %s | %d | %d | %d | %d |%n", stage, tries, badLatest, badLatestAfter, nextOk));
            Files.writeString(root.resolve(mode + ".md"), report);
        }
        System.out.print(report);
    }

    static String latestTarget(Path w) {
        try {
            Path latest = w.resolve("reports/default/latest");
            return Files.isSymbolicLink(latest) ? Files.readSymbolicLink(latest).toString() : "(none)";
        } catch (Exception e) {
            return "?";
        }
    }

    /** latest is absent or points at a run recorded succeeded. */
    static boolean latestSucceeded(Path w) throws Exception {
        String target = latestTarget(w);
        if (target.equals("(none)")) return true;
        long id = Long.parseLong(target.replace("runs/", ""));
        return "succeeded".equals(status(w, id));
    }

    static String status(Path w, long runId) throws Exception {
        // a process just killed may hold the data folder's lock a moment longer
        for (int attempt = 0; ; attempt++) {
            try (Database db = open(w.resolve("pg"))) {
                List<Map<String, Object>> r = Sql.rows(db.dataSource(), "SELECT status FROM bi.pipeline_runs WHERE run_id = ?", runId);
                return r.isEmpty() ? "(none)" : (String) r.get(0).get("status");
            } catch (IllegalStateException e) {
                if (attempt >= 30 || !String.valueOf(e.getMessage()).contains("another ecombi uses")) throw e;
                Thread.sleep(1000);
            }
        }
    }

    static Database open(Path dataDir) {
        Map<String, String> o = new HashMap<>();
        o.put("ecombi.db.url", "");
        o.put("ecombi.db.embedded.data-dir", dataDir.toString());
        return Database.open(Settings.load(Settings.DEFAULT_FILE, Map.of(), o));
    }

    static String[] args(Path w, String command, String... sets) {
        List<String> a = new ArrayList<>(List.of(command));
        a.addAll(EcombiProcess.embeddedArgs(w));
        a.addAll(List.of("--set", "ecombi.schedule.cron=0 0 6 1 1 ? 2099"));
        for (String s : sets) a.addAll(List.of("--set", s));
        return a.toArray(String[]::new);
    }

    static List<String> list(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    static void run(String... cmd) throws Exception {
        if (new ProcessBuilder(cmd).inheritIO().start().waitFor() != 0) throw new IllegalStateException(String.join(" ", cmd));
    }

    static void deleteTree(Path p) throws Exception {
        if (!Files.exists(p)) return;
        run("rm", "-rf", p.toString());
    }
}
