package io.ecombi.routes;

import io.ecombi.EcombiRuntime;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Editing routes/*.camel.yaml while ecombi runs: good edits apply, bad ones are refused and the old route keeps working. */
class RouteReloadTest {
    @TempDir
    Path work;

    @Test
    void theShippedRouteFilesAllPassValidation() throws Exception {
        try (var files = Files.list(Path.of("routes"))) {
            List<Path> routes = files.filter(p -> p.toString().endsWith(".camel.yaml")).toList();
            assertThat(routes).extracting(p -> p.getFileName().toString()).contains(
                    "run-pipeline.camel.yaml", "kpi-query.camel.yaml", "trigger-cron.camel.yaml", "trigger-inbox.camel.yaml");
            for (Path p : routes) assertThat(RouteFileWatcher.validate(p, Files.readString(p))).as(p.toString()).isNull();
        }
    }

    @Test
    void aBrokenEditIsRefusedWithItsLineAndTheOldRouteKeepsRunning() throws Exception {
        Path routes = copyRoutes();
        try (EcombiRuntime rt = start(routes)) {
            Path kpiRoute = routes.resolve("kpi-query.camel.yaml");
            String good = Files.readString(kpiRoute);
            // an indentation slip: 'steps' one space left of 'uri', its sibling under 'from'
            Files.writeString(kpiRoute, good.replace("      steps:", "     steps:"));

            List<RouteFileWatcher.Outcome> outcomes = rt.routeWatcher().checkNow();

            assertThat(outcomes).hasSize(1);
            assertThat(outcomes.get(0).applied()).isFalse();
            assertThat(outcomes.get(0).message()).contains("line ").contains("previous definition keeps running");
            assertThat(rt.runOnce("test", LocalDate.of(2026, 6, 30)).getException()).isNull();
        }
    }

    @Test
    void anUnknownStepAndASecondRouteInOneFileAreRefused() throws Exception {
        Path routes = copyRoutes();
        try (EcombiRuntime rt = start(routes)) {
            Path kpiRoute = routes.resolve("kpi-query.camel.yaml");
            String good = Files.readString(kpiRoute);
            Files.writeString(kpiRoute, good.replace("- bean: {ref: kpiStep, method: run}", "- nosuchstep: {x: 1}"));
            assertThat(rt.routeWatcher().checkNow().get(0).message()).contains("not a valid Camel route");

            Files.writeString(kpiRoute, good + "\n- route:\n    id: extra\n    from:\n      uri: direct:extra\n      steps:\n        - log: hi\n");
            assertThat(rt.routeWatcher().checkNow().get(0).message()).contains("exactly one route");

            assertThat(rt.runOnce("test", LocalDate.of(2026, 6, 30)).getException()).isNull();
        }
    }

    @Test
    void aBrokenScheduleEditKeepsTheSchedule() throws Exception {
        Path routes = copyRoutes();
        try (EcombiRuntime rt = start(routes)) {
            Path cron = routes.resolve("trigger-cron.camel.yaml");
            Files.writeString(cron, Files.readString(cron).replace("stateful: true", "stateful: true\n       bad: [indent"));

            assertThat(rt.routeWatcher().checkNow().get(0).applied()).isFalse();

            assertThat(rt.camelContext().getRoute("trigger-cron")).isNotNull();
            assertThat(rt.camelContext().getRouteController().getRouteStatus("trigger-cron")).isEqualTo(ServiceStatus.Started);
        }
    }

    @Test
    void aGoodEditIsAppliedAndTheNextRunUsesIt() throws Exception {
        Path routes = copyRoutes();
        try (EcombiRuntime rt = start(routes)) {
            Path pipeline = routes.resolve("run-pipeline.camel.yaml");
            // drop the country step from the KPI list (no chart needs it)
            String edited = Files.readString(pipeline).replace(
                    "kpi_cards, revenue_by_country,", "kpi_cards,");
            assertThat(edited).isNotEqualTo(Files.readString(pipeline));
            Files.writeString(pipeline, edited);

            List<RouteFileWatcher.Outcome> outcomes = rt.routeWatcher().checkNow();

            assertThat(outcomes.get(0).applied()).as(outcomes.get(0).message()).isTrue();
            var result = rt.runOnce("test", LocalDate.of(2026, 6, 30));
            assertThat(result.getException()).isNull();
            assertThat(EcombiRuntime.runOf(result).kpis()).doesNotContainKey("revenue_by_country").containsKey("product_pareto");
        }
    }

    @Test
    void anEditSavedDuringARunWaitsForTheRunToEndThenApplies() throws Exception {
        Path routes = copyRoutes();
        Path sql = io.ecombi.testing.SlowSql.copy(work.resolve("sql"), 3);
        try (EcombiRuntime rt = start(routes, Map.of("ecombi.sql.dir", sql.toString()))) {
            var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
            var first = pool.submit(() -> rt.runOnce("test", LocalDate.of(2026, 6, 30)));
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (rt.lifecycle().currentRun() == null || rt.lifecycle().currentRun().stages().stream().noneMatch(s -> s.name().equals("kpi category_margins"))) {
                assertThat(System.nanoTime()).as("the run reaches the slow KPI").isLessThan(deadline);
                Thread.sleep(20);
            }
            Path pipeline = routes.resolve("run-pipeline.camel.yaml");
            Files.writeString(pipeline, Files.readString(pipeline).replace(
                    "kpi_cards, revenue_by_country,", "kpi_cards,"));

            List<RouteFileWatcher.Outcome> during = rt.routeWatcher().checkNow();

            assertThat(during).hasSize(1);
            assertThat(during.get(0).applied()).isFalse();
            assertThat(during.get(0).message()).isEqualTo(RouteFileWatcher.WAITING);
            var result = first.get();
            pool.shutdown();
            assertThat(result.getException()).isNull();
            // the run in progress ran its own definition to the end
            assertThat(io.ecombi.EcombiRuntime.runOf(result).kpis()).containsKey("revenue_by_country");

            List<RouteFileWatcher.Outcome> after = rt.routeWatcher().checkNow();
            assertThat(after).hasSize(1);
            assertThat(after.get(0).applied()).as(after.get(0).message()).isTrue();
            assertThat(io.ecombi.EcombiRuntime.runOf(rt.runOnce("test", LocalDate.of(2026, 6, 30))).kpis()).doesNotContainKey("revenue_by_country");
        }
    }

    /**
     * The race between "no run in progress" and the swap: a run that starts in that moment (from the
     * command line, or a trigger file) must not enter the route being replaced. It waits outside
     * every route until the edit is applied, then runs on the new definition; the edit applies in
     * milliseconds, not after Camel's 30 s forced stop of a route with an exchange inside.
     */
    @Test
    void aRunStartingWhileAnEditIsSwappedInWaitsOutsideTheRoutesAndUsesTheNewDefinition() throws Exception {
        Path routes = copyRoutes();
        try (EcombiRuntime rt = start(routes)) {
            Path pipeline = routes.resolve("run-pipeline.camel.yaml");
            String original = Files.readString(pipeline);
            String edited = original.replace(
                    "kpi_cards, revenue_by_country,", "kpi_cards,");
            assertThat(edited).isNotEqualTo(original);
            var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
            java.util.concurrent.atomic.AtomicReference<java.util.concurrent.Future<org.apache.camel.Exchange>> started = new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.atomic.AtomicInteger inflightAtSwap = new java.util.concurrent.atomic.AtomicInteger(-1);
            // the gate is taken (no run was in progress); a run starts now, before the swap
            rt.routeWatcher().beforeSwapForTest(() -> {
                started.set(pool.submit(() -> rt.runOnce("test", LocalDate.of(2026, 6, 30))));
                inflightAtSwap.set(awaitInflight(rt, 3_000));
            });
            Files.writeString(pipeline, edited);

            long t0 = System.nanoTime();
            List<RouteFileWatcher.Outcome> outcomes = rt.routeWatcher().checkNow();
            double swapSeconds = (System.nanoTime() - t0) / 1e9;

            assertThat(outcomes.get(0).applied()).as(outcomes.get(0).message()).isTrue();
            assertThat(inflightAtSwap.get()).as("no exchange inside a route while it is replaced").isZero();
            assertThat(swapSeconds).as("applied without waiting for a forced stop").isLessThan(10);
            var result = started.get().get(120, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(result.getException()).isNull();
            assertThat(EcombiRuntime.runOf(result).kpis()).doesNotContainKey("revenue_by_country").containsKey("product_pareto");

            // the same with a trigger file that arrives in that moment, while the inbox route itself is replaced
            Path inbox = routes.resolve("trigger-inbox.camel.yaml");
            rt.routeWatcher().beforeSwapForTest(() -> {
                try {
                    Files.writeString(work.resolve("inbox/race.trigger"), "asOf=2026-06-30\n");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                inflightAtSwap.set(awaitInflight(rt, 3_000));
            });
            Files.writeString(inbox, Files.readString(inbox).replace("# arrival order: oldest file first, then by name", "# oldest file first"));
            t0 = System.nanoTime();
            outcomes = rt.routeWatcher().checkNow();
            swapSeconds = (System.nanoTime() - t0) / 1e9;
            assertThat(outcomes.get(0).applied()).as(outcomes.get(0).message()).isTrue();
            assertThat(inflightAtSwap.get()).as("the inbox is not polled while its route is replaced").isZero();
            assertThat(swapSeconds).isLessThan(10);
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!Files.isDirectory(work.resolve("inbox/done")) || Files.list(work.resolve("inbox/done")).noneMatch(f -> f.toString().endsWith("-race.trigger"))) {
                assertThat(System.nanoTime()).as("the trigger file is run after the edit").isLessThan(deadline);
                Thread.sleep(100);
            }
            assertThat(work.resolve("inbox/failed")).doesNotExist();
            pool.shutdown();
        }
    }

    /** Waits up to ms for an exchange to be in flight; returns how many are. */
    private static int awaitInflight(EcombiRuntime rt, long ms) {
        long deadline = System.nanoTime() + ms * 1_000_000;
        while (System.nanoTime() < deadline && rt.camelContext().getInflightRepository().size() == 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return rt.camelContext().getInflightRepository().size();
    }

    @Test
    void anEditThatSendsToADirectEndpointWithNoRouteIsRefused() throws Exception {
        Path routes = copyRoutes();
        try (EcombiRuntime rt = start(routes)) {
            Path pipeline = routes.resolve("run-pipeline.camel.yaml");
            String good = Files.readString(pipeline);
            Files.writeString(pipeline, good.replace("- to: direct:churn-model", "- to: direct:churn-modell"));

            RouteFileWatcher.Outcome typo = rt.routeWatcher().checkNow().get(0);
            assertThat(typo.applied()).isFalse();
            assertThat(typo.message()).contains("no route consumes 'direct:churn-modell'").contains("previous definition keeps running");

            // renaming a route's own endpoint would leave run-pipeline sending into nothing
            Files.writeString(pipeline, good);
            rt.routeWatcher().checkNow();
            Path kpi = routes.resolve("kpi-query.camel.yaml");
            Files.writeString(kpi, Files.readString(kpi).replace("uri: direct:kpi-query", "uri: direct:kpi"));
            RouteFileWatcher.Outcome renamed = rt.routeWatcher().checkNow().get(0);
            assertThat(renamed.applied()).isFalse();
            assertThat(renamed.message()).contains("no route consumes 'direct:kpi-query' (sent to by ");

            assertThat(rt.runOnce("test", LocalDate.of(2026, 6, 30)).getException()).isNull();
        }
    }

    /**
     * Issue 31: a deleted route file was "accepted", and after a restart every run failed 30 s in with
     * "No consumers available on endpoint: direct://anomaly". The deletion now says the next start will be
     * refused, and the start is refused, naming the endpoint and who sends to it.
     */
    @Test
    void aDeletedRouteFileThatARouteSendsToIsReportedAndTheNextStartIsRefused() throws Exception {
        Path routes = copyRoutes();
        try (EcombiRuntime rt = start(routes)) {
            Files.delete(routes.resolve("anomaly.camel.yaml"));
            List<RouteFileWatcher.Outcome> outcomes = rt.routeWatcher().checkNow();
            assertThat(outcomes).singleElement().satisfies(o -> assertThat(o.message())
                    .contains("its route keeps running until ecombi restarts, and then ecombi refuses to start: no route consumes 'direct:anomaly' (sent to by run-pipeline.camel.yaml)"));
        }
        Map<String, String> o = TestRuntime.overrides(TestDatabase.newDatabase(), work);
        o.put("camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml");
        o.put("ecombi.routes.dir", routes.toString());
        assertThatThrownBy(() -> TestRuntime.start(o).close()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no route consumes 'direct:anomaly' (sent to by run-pipeline.camel.yaml)")
                .hasMessageContaining("Restore the missing route file");
    }

    private EcombiRuntime start(Path routes) throws Exception {
        return start(routes, Map.of());
    }

    private EcombiRuntime start(Path routes, Map<String, String> extra) throws Exception {
        Map<String, String> o = TestRuntime.overrides(TestDatabase.newDatabase(), work);
        o.put("camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml");
        o.put("ecombi.routes.dir", routes.toString());
        o.put("ecombi.triggers.enabled", "true");
        o.put("ecombi.schedule.cron", "0 0 6 1 1 ? 2099");
        o.putAll(extra);
        EcombiRuntime rt = TestRuntime.start(o);
        Sql.loadKpiFixture(rt.database().dataSource());
        return rt;
    }

    private Path copyRoutes() throws Exception {
        Path routes = work.resolve("routes");
        Files.createDirectories(routes);
        try (var files = Files.list(Path.of("routes"))) {
            for (Path p : files.toList()) Files.copy(p, routes.resolve(p.getFileName()));
        }
        return routes;
    }
}
