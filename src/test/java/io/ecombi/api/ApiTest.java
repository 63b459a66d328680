package io.ecombi.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The REST API over real HTTP to a running ecombi (as `serve` runs it) on the hand-made shop of
 * KpiQueriesTest (src/test/resources/fixtures/kpi_fixture.sql), as of 2026-06-30. Every expected
 * figure is worked out by hand from the fixture in a comment.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path work;
    static TestService svc;
    static long firstRun;

    @BeforeAll
    static void start() throws Exception {
        svc = TestService.start(work, "kpi_fixture.sql", Map.of(), Map.of());
    }

    @AfterAll
    static void stop() {
        if (svc != null) svc.rt.close();
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        return JSON.readTree(r.body());
    }

    /** An error answer: the status, JSON naming the problem, never a stack trace or the token. */
    static JsonNode problem(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode j = json(r);
        assertThat(j.get("status").asInt()).isEqualTo(status);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain(TestService.TOKEN);
        return j;
    }

    static JsonNode awaitEnd(long id) throws Exception {
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode run = json(svc.get("/api/runs/" + id));
            String status = run.get("status").asText();
            if (!status.equals("queued") && !status.equals("running")) return run;
            Thread.sleep(200);
        }
        throw new AssertionError("run " + id + " did not end");
    }

    @Test
    @Order(1)
    void beforeAnyRunTheApiSaysSoAndReadinessIsDown() throws Exception {
        assertThat(problem(svc.get("/api/kpis/kpi_cards"), 404).get("error").asText()).contains("no run has succeeded yet");
        HttpResponse<String> ready = svc.send(svc.management("/observe/health/ready").GET());
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("ecombi-last-run").contains("no run has succeeded yet");
    }

    @Test
    @Order(2)
    void postRunAnswers202WithTheIdAndLocationAndTheRunSucceeds() throws Exception {
        HttpResponse<String> r = svc.post("/api/runs", "{\"asOf\": \"2026-06-30\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode body = json(r);
        firstRun = body.get("id").asLong();
        assertThat(r.headers().firstValue("Location")).hasValue("/api/runs/" + firstRun);
        assertThat(body.get("asOf").asText()).isEqualTo("2026-06-30");
        JsonNode run = awaitEnd(firstRun);
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("succeeded");
        assertThat(run.get("trigger").asText()).isEqualTo("api");
        assertThat(run.get("asOf").asText()).isEqualTo("2026-06-30");
        assertThat(run.get("error").isNull()).isTrue();
        // stages with rows and timings; the fact layer is the first
        JsonNode fact = run.get("stages").get(0);
        assertThat(fact.get("name").asText()).isEqualTo("fact layer");
        assertThat(fact.get("status").asText()).isEqualTo("succeeded");
        assertThat(fact.get("seconds").asDouble()).isGreaterThanOrEqualTo(0);
        JsonNode cards = null;
        for (JsonNode s : run.get("stages")) if (s.get("name").asText().equals("kpi kpi_cards")) cards = s;
        assertThat(cards).as("stage 'kpi kpi_cards' in " + run.get("stages")).isNotNull();
        assertThat(cards.get("rows").asLong()).isEqualTo(2);   // current and previous window
        // GET /api/runs lists it first
        JsonNode list = json(svc.get("/api/runs"));
        assertThat(list.get("runs").get(0).get("id").asLong()).isEqualTo(firstRun);
        assertThat(list.get("shop").asText()).isEqualTo("default");
    }

    @Test
    @Order(3)
    void kpiAsJsonIsTheRunsTableAndAsCsvItsFile() throws Exception {
        JsonNode k = json(svc.get("/api/kpis/kpi_cards"));
        assertThat(k.get("run").asLong()).isEqualTo(firstRun);
        assertThat(k.get("asOf").asText()).isEqualTo("2026-06-30");
        JsonNode current = k.get("rows").get(0);
        // (2025-06-30, 2026-06-30]: orders 106, 107, 104, 108, 100, 101: net 20 + 20 + (100 - 5) + 120 + (180 - 10) + 20 = 445,
        // 6 orders, customers Alice, Bob, Cara = 3
        assertThat(current.get("period").asText()).isEqualTo("current");
        assertThat(current.get("net_revenue").decimalValue()).isEqualByComparingTo("445.00");
        assertThat(current.get("orders").asInt()).isEqualTo(6);
        assertThat(current.get("customers").asInt()).isEqualTo(3);
        assertThat(k.get("columns").get(0).asText()).isEqualTo("period");
        // ?run= names the run
        assertThat(json(svc.get("/api/kpis/kpi_cards?run=" + firstRun)).get("rows")).isEqualTo(k.get("rows"));
        // CSV: the run's own file, byte for byte
        HttpResponse<byte[]> csv = svc.bytes(svc.api("/api/kpis/kpi_cards").header("Accept", "text/csv").GET());
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        Path file = work.resolve("reports/default/runs/" + firstRun + "/data/kpi_cards.csv");
        assertThat(csv.body()).isEqualTo(Files.readAllBytes(file));
        assertThat(new String(csv.body())).contains("445.00");
    }

    @Test
    @Order(4)
    void badInputIsA4xxJsonNamingTheProblem() throws Exception {
        assertThat(problem(svc.get("/api/kpis/no_such_kpi"), 404).get("error").asText())
                .contains("unknown KPI 'no_such_kpi'").contains("kpi_cards");
        assertThat(problem(svc.get("/api/kpis/Bad-Name"), 400).get("error").asText()).contains("'Bad-Name' is not a KPI name");
        assertThat(problem(svc.get("/api/kpis/kpi_cards?run=abc"), 400).get("error").asText()).contains("run 'abc' is not a run id");
        assertThat(problem(svc.get("/api/kpis/kpi_cards?run=987654"), 404).get("error").asText()).contains("run 987654 does not exist");
        assertThat(problem(svc.get("/api/runs/987654"), 404).get("error").asText()).contains("run 987654 does not exist");
        assertThat(problem(svc.get("/api/runs/x1"), 400).get("error").asText()).contains("'x1' is not a run id");
        assertThat(problem(svc.get("/api/runs?limit=0"), 400).get("error").asText()).contains("limit '0'");
        assertThat(problem(svc.post("/api/runs", "{\"asOf\": \"2026-13-01\"}"), 400).get("error").asText())
                .contains("asOf '2026-13-01' is not a date").contains("YYYY-MM-DD");
        assertThat(problem(svc.post("/api/runs", "{\"asof\": \"2026-06-30\"}"), 400).get("error").asText()).contains("unknown field 'asof'");
        assertThat(problem(svc.post("/api/runs", "{not json"), 400).get("error").asText()).contains("not JSON");
        assertThat(problem(svc.post("/api/runs", "{\"shop\": \"acme\"}"), 409).get("error").asText()).contains("serves the shop 'default', not 'acme'");
        String big = "{\"asOf\": \"" + "x".repeat(70_000) + "\"}";
        assertThat(problem(svc.post("/api/runs", big), 413).get("error").asText()).contains("over the limit of 65536 bytes");
        assertThat(problem(svc.get("/api/nothing-here"), 404).get("error").asText()).contains("no such endpoint");
    }

    @Test
    @Order(5)
    void everyEndpointButHealthNeedsTheToken() throws Exception {
        for (String path : new String[]{"/api/runs", "/api/kpis/kpi_cards", "/api/customers/1", "/api/openapi.json", "/", "/reports/index.html"}) {
            HttpResponse<String> none = svc.send(svc.management("/").uri(java.net.URI.create("http://127.0.0.1:" + svc.apiPort + path)).GET());
            assertThat(problem(none, 401).get("error").asText()).as(path).contains("bearer token");
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"ecombi\"");
            HttpResponse<String> wrong = svc.send(svc.api(path).setHeader("Authorization", "Bearer " + TestService.TOKEN + "x").GET());
            problem(wrong, 401);
        }
        assertThat(problem(svc.send(svc.api("/api/runs").setHeader("Authorization", "Basic dXNlcjpwdw==").GET()), 401)).isNotNull();
        // the other configured token works too
        assertThat(svc.send(svc.api("/api/runs").setHeader("Authorization", "Bearer other-token").GET()).statusCode()).isEqualTo(200);
        // metrics need it, health does not
        assertThat(svc.send(svc.management("/observe/metrics").GET()).statusCode()).isEqualTo(401);
        assertThat(svc.send(svc.management("/observe/health/live").GET()).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(6)
    void theDashboardAndItsFilesOverHttp() throws Exception {
        HttpResponse<String> home = svc.get("/");
        assertThat(home.statusCode()).isEqualTo(302);
        assertThat(home.headers().firstValue("Location")).hasValue("/reports/index.html");
        HttpResponse<String> page = svc.get("/reports/index.html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).isEqualTo(Files.readString(work.resolve("reports/default/runs/" + firstRun + "/index.html")));
        // a chart the page links, relative to it
        String src = org.jsoup.Jsoup.parse(page.body()).select("img[src$=.png]").first().attr("src");
        HttpResponse<byte[]> png = svc.bytes(svc.api("/reports/" + src).GET());
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
        // nothing outside the shop's reports folder
        problem(svc.get("/reports/..%2F..%2F..%2Fetc%2Fpasswd"), 404);
        problem(svc.get("/reports/runs/987654/index.html"), 404);
        // the response never echoes the caller's Authorization header
        assertThat(page.headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase("Authorization"));
    }

    @Test
    @Order(7)
    void openApiDescribesEveryEndpoint() throws Exception {
        JsonNode doc = json(svc.get("/api/openapi.json"));
        assertThat(doc.get("paths").has("/api/runs")).isTrue();
        assertThat(doc.get("paths").get("/api/runs").has("post")).isTrue();
        assertThat(doc.get("paths").get("/api/runs").has("get")).isTrue();
        for (String p : new String[]{"/api/runs/{id}", "/api/kpis/{name}", "/api/customers/{id}", "/api/churn/predict"}) {
            assertThat(doc.get("paths").has(p)).as(p).isTrue();
        }
    }

    @Test
    @Order(8)
    void healthIsReadyAfterASucceededRunAndNamesIt() throws Exception {
        HttpResponse<String> ready = svc.send(svc.management("/observe/health/ready").GET());
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(ready.body()).contains("ecombi-database").contains("the latest succeeded run (" + firstRun + ", as of 2026-06-30)")
                .contains("next scheduled fire: ").contains("last refused route edit: none");
        // ?data=true adds each check's details
        assertThat(svc.send(svc.management("/observe/health/ready?data=true").GET()).body()).contains("\"succeeded_run_id\":" + firstRun)
                .contains("next_fire").contains("last_error");
        assertThat(svc.send(svc.management("/observe/health/ready?stackTrace=true").GET()).statusCode()).isEqualTo(400);
        // stale beyond ecombi.health.max-run-age-hours: the run's end moved 40 hours back
        Sql.exec(svc.rt.database().dataSource(), "UPDATE bi.pipeline_runs SET finished_at = finished_at - interval '40 hours' WHERE run_id = " + firstRun);
        HttpResponse<String> stale = svc.send(svc.management("/observe/health/ready").GET());
        assertThat(stale.statusCode()).isEqualTo(503);
        assertThat(stale.body()).contains("more than ecombi.health.max-run-age-hours=36");
        Sql.exec(svc.rt.database().dataSource(), "UPDATE bi.pipeline_runs SET finished_at = finished_at + interval '40 hours' WHERE run_id = " + firstRun);
    }

    @Test
    @Order(9)
    void aRunAskedForDuringARunIsQueuedBehindIt() throws Exception {
        CompletableFuture<org.apache.camel.Exchange> cli = CompletableFuture.supplyAsync(() -> {
            try {
                return svc.rt.runOnce("cli", LocalDate.of(2026, 6, 30));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        // wait until the command-line run holds the lock
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (svc.rt.lifecycle().currentRun() == null && System.nanoTime() < deadline) Thread.sleep(20);
        long cliRun = svc.rt.lifecycle().currentRun().id();
        HttpResponse<String> r = svc.post("/api/runs", "");
        assertThat(r.statusCode()).isEqualTo(202);
        long queued = json(r).get("id").asLong();
        assertThat(json(svc.get("/api/runs/" + queued)).get("status").asText()).isEqualTo("queued");
        assertThat(cli.get().getException()).isNull();
        JsonNode api = awaitEnd(queued);
        JsonNode first = json(svc.get("/api/runs/" + cliRun));
        assertThat(api.get("status").asText()).isEqualTo("succeeded");
        // it started only once the run before it had ended
        assertThat(Instant.parse(api.get("startedAt").asText().replaceFirst("\\+00:00$", "Z")))
                .isAfterOrEqualTo(Instant.parse(first.get("finishedAt").asText().replaceFirst("\\+00:00$", "Z")));
    }

    @Test
    @Order(10)
    void metricsCountRunsStagesAndKpiRows() throws Exception {
        HttpResponse<String> m = svc.send(svc.management("/observe/metrics").header("Authorization", "Bearer " + TestService.TOKEN).GET());
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.body()).contains("ecombi_runs_total{status=\"succeeded\"} 3.0")
                .contains("ecombi_stage_seconds_count{stage=\"fact layer\"} 3")
                .contains("ecombi_kpi_rows{kpi=\"kpi_cards\"} 2.0")
                .contains("ecombi_ingest_rows{outcome=\"loaded\"}");
    }
}
