package io.ecombi.run;

import io.ecombi.EcombiRuntime;
import io.ecombi.testing.EcombiProcess;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two ecombi processes on one database with the clustered schedule (Quartz JDBC job store) and a
 * cron every 2 seconds: every fire runs exactly once, on one of the nodes.
 */
class ClusterScheduleTest {
    @TempDir
    Path work;

    @Test
    void twoNodesOneSchedule_everyFireRunsExactlyOnce() throws Exception {
        String db = TestDatabase.newDatabase();
        try (EcombiRuntime rt = TestRuntime.start(TestRuntime.overrides(db, work.resolve("setup")))) {
            Sql.loadKpiFixture(rt.database().dataSource());
        }
        Path routes = scheduleOnlyRoutes();
        List<EcombiProcess> nodes = new ArrayList<>();
        long windowStart;
        long windowEnd;
        try {
            for (String node : List.of("a", "b")) {
                nodes.add(EcombiProcess.start(work.resolve(node + ".log"), Map.of(), "serve",
                        "--set", "ecombi.db.url=" + db, "--set", "ecombi.db.user=" + TestDatabase.user(),
                        "--set", "ecombi.reports.dir=" + work.resolve(node + "/reports"), "--set", "ecombi.inbox.dir=" + work.resolve(node + "/inbox"),
                        "--set", "camel.main.routes-include-pattern=file:" + routes + "/*.camel.yaml", "--set", "ecombi.routes.dir=" + routes,
                        "--set", "ecombi.schedule.clustered=true", "--set", "ecombi.schedule.cron=0/2 * * * * ?",
                        "--set", "ecombi.schedule.misfire-threshold-ms=60000", "--set", "ecombi.schedule.cluster-checkin-ms=1000"));
            }
            for (EcombiProcess n : nodes) n.awaitOutput("ecombi is serving", Duration.ofSeconds(120));
            // both nodes are up: count the fires of the next 14 seconds
            Thread.sleep(2000);
            windowStart = System.currentTimeMillis();
            Thread.sleep(14_000);
            windowEnd = System.currentTimeMillis();
            Thread.sleep(2000);
            for (EcombiProcess n : nodes) n.terminate();
            for (EcombiProcess n : nodes) n.awaitExit(Duration.ofSeconds(90));
        } finally {
            for (EcombiProcess n : nodes) n.close();
        }

        try (EcombiRuntime rt = TestRuntime.start(TestRuntime.overrides(db, work.resolve("check")))) {
            List<Map<String, Object>> runs = Sql.rows(rt.database().dataSource(),
                    "SELECT trigger, host, status FROM bi.pipeline_runs WHERE trigger LIKE 'cron %' ORDER BY run_id");
            List<Long> fires = runs.stream().map(r -> Long.parseLong(((String) r.get("trigger")).substring(5))).toList();
            Set<Long> distinct = new TreeSet<>(fires);
            assertThat(fires).as("no fire ran twice").hasSameSizeAs(distinct);
            Set<Long> expected = new TreeSet<>();
            for (long t = (windowStart / 2000 + 1) * 2000; t <= windowEnd; t += 2000) expected.add(t);
            Set<Long> inWindow = new TreeSet<>(distinct);
            inWindow.removeIf(t -> t < windowStart || t > windowEnd);
            assertThat(inWindow).as("every fire of the window ran").isEqualTo(expected);
            assertThat(runs).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("succeeded"));
            System.out.printf("cluster: %d fires in the window, %d runs, by node %s%n", expected.size(), inWindow.size(),
                    runs.stream().collect(java.util.stream.Collectors.groupingBy(r -> (String) r.get("host"), java.util.stream.Collectors.counting())));
        }
    }

    /** The real trigger route, and a pipeline route that only opens and closes the run record: a run takes milliseconds. */
    private Path scheduleOnlyRoutes() throws Exception {
        Path routes = work.resolve("routes");
        Files.createDirectories(routes);
        try (var files = Files.list(Path.of("routes"))) {
            for (Path p : files.toList()) Files.copy(p, routes.resolve(p.getFileName()));
        }
        Path cron = routes.resolve("trigger-cron.camel.yaml");
        String c = Files.readString(cron);
        String stamped = c.replace("- setHeader: {name: ecombiTrigger, constant: cron}",
                "- setHeader: {name: ecombiTrigger, simple: \"cron ${header.scheduledFireTime.time}\"}");
        assertThat(stamped).isNotEqualTo(c);
        Files.writeString(cron, stamped);
        Files.writeString(routes.resolve("run-pipeline.camel.yaml"), """
                - route:
                    id: run-pipeline
                    from:
                      uri: direct:run
                      steps:
                        - doTry:
                            steps:
                              - bean: {ref: runLifecycle, method: open}
                              - bean: {ref: runLifecycle, method: succeed}
                            doCatch:
                              - exception: [java.lang.Exception]
                                steps:
                                  - bean: {ref: runLifecycle, method: fail}
                            doFinally:
                              steps:
                                - bean: {ref: runLifecycle, method: release}
                """);
        return routes;
    }
}
