package io.ecombi.explore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestService;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import javax.sql.DataSource;
import java.io.File;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Explore over real HTTP and in a real browser (Debian's chromium and chromedriver, installed by
 * .ci/run when missing), on the hand-made shop of src/test/resources/fixtures/kpi_fixture.sql as of
 * 2026-06-30, after one real run. Every expected figure is worked out by hand in a comment and
 * checked again by a query on the raw shop tables that does not use the fact layer or any file of sql/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExploreBrowserTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String UK = "United Kingdom";
    @TempDir
    static Path work;
    static TestService svc;
    static DataSource ds;
    static ChromeDriver browser;
    static Path downloads;

    @BeforeAll
    static void start() throws Exception {
        svc = TestService.start(work, "kpi_fixture.sql", Map.of(), Map.of());
        ds = svc.rt.database().dataSource();
        HttpResponse<String> r = svc.post("/api/runs", "{\"asOf\": \"2026-06-30\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        long id = JSON.readTree(r.body()).get("id").asLong();
        long deadline = System.nanoTime() + 180_000_000_000L;
        String status = "queued";
        while (System.nanoTime() < deadline && (status.equals("queued") || status.equals("running"))) {
            Thread.sleep(200);
            status = JSON.readTree(svc.get("/api/runs/" + id).body()).get("status").asText();
        }
        assertThat(status).isEqualTo("succeeded");
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (svc != null) svc.rt.close();
    }

    static JsonNode get(String path, int status) throws Exception {
        HttpResponse<String> r = svc.get(path);
        assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain(TestService.TOKEN);
        return JSON.readTree(r.body());
    }

    static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    /** Net revenue of the completed UK orders in the window (2025-06-30, 2026-06-30], straight from the shop's tables. */
    static BigDecimal independentUkNetRevenue() {
        return (BigDecimal) Sql.one(ds, """
                SELECT SUM(v) FROM (
                  SELECT o.order_id, SUM(i.quantity * i.unit_price) - o.discount_amount AS v
                  FROM orders o JOIN order_items i ON i.order_id = o.order_id JOIN customers c ON c.customer_id = o.customer_id
                  WHERE o.order_status = 'Completed' AND o.order_date > DATE '2025-06-30' AND o.order_date <= DATE '2026-06-30'
                    AND c.country = ?
                  GROUP BY o.order_id, o.discount_amount) t""", UK);
    }

    @Test
    @Order(1)
    void withNoFilterEveryFigureIsTheReports() throws Exception {
        long lines = ((Number) Sql.one(ds, "SELECT count(*) FROM fact.sales_lines")).longValue();
        JsonNode options = get("/api/explore/options", 200);
        List<String> kpis = new ArrayList<>();
        options.get("queries").forEach(q -> { if (q.asText().startsWith("kpi/")) kpis.add(q.asText()); });
        assertThat(kpis).contains("kpi/kpi_cards", "kpi/monthly_revenue", "kpi/category_margins", "kpi/geography_countries");
        JsonNode results = get("/api/explore/results?q=" + enc(String.join(",", kpis)), 200).get("results");
        for (String q : kpis) {
            String name = q.substring("kpi/".length());
            JsonNode report = get("/api/kpis/" + name, 200).get("rows");
            JsonNode explore = results.get(q).get("rows");
            assertThat(explore.size()).as(name + " rows").isEqualTo(report.size());
            for (int i = 0; i < report.size(); i++) {
                Iterator<Map.Entry<String, JsonNode>> fields = report.get(i).fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> f = fields.next();
                    assertThat(same(f.getValue(), explore.get(i).get(f.getKey())))
                            .as(name + " row " + i + " " + f.getKey() + ": report " + f.getValue() + ", explore " + explore.get(i).get(f.getKey())).isTrue();
                }
            }
        }
        // filters only ever narrow a rolled-back copy: the run's fact layer keeps every line
        get("/api/explore/results?q=kpi/kpi_cards&country=" + enc(UK), 200);
        assertThat(((Number) Sql.one(ds, "SELECT count(*) FROM fact.sales_lines")).longValue()).isEqualTo(lines);
        // the filters the shop's data has: countries and payment methods, no region or state
        assertThat(options.get("filters").has("country")).isTrue();
        assertThat(options.get("filters").has("payment")).isTrue();
        assertThat(options.get("filters").has("region")).isFalse();
    }

    static boolean same(JsonNode a, JsonNode b) {
        if (a == null || b == null || a.isNull() || b.isNull()) return (a == null || a.isNull()) == (b == null || b.isNull());
        try {
            return new BigDecimal(a.asText()).compareTo(new BigDecimal(b.asText())) == 0;
        } catch (NumberFormatException e) {
            return a.asText().equals(b.asText());
        }
    }

    @Test
    @Order(2)
    void filtersAndDrillDownOverTheApiMatchTheShopsTables() throws Exception {
        // UK = Alice: orders 100 (2026-05-31: 100 + 2 x 40 - 10 discount = 170) and 101 (2026-06-01: 20) = 190, 2 orders, 1 customer
        JsonNode cards = get("/api/explore/results?q=kpi/kpi_cards&country=" + enc(UK), 200).get("results").get("kpi/kpi_cards").get("rows").get(0);
        assertThat(cards.get("net_revenue").decimalValue()).isEqualByComparingTo("190.00").isEqualByComparingTo(independentUkNetRevenue());
        assertThat(cards.get("orders").asInt()).isEqualTo(2);
        assertThat(cards.get("customers").asInt()).isEqualTo(1);
        // payment PayPal = the same two orders; segment and date range narrow too: from 2026-06-01 only order 101 (20)
        assertThat(get("/api/explore/results?q=kpi/kpi_cards&payment=PayPal", 200).get("results").get("kpi/kpi_cards").get("rows").get(0)
                .get("net_revenue").decimalValue()).isEqualByComparingTo("190.00");
        assertThat(get("/api/explore/results?q=kpi/kpi_cards&dateFrom=2026-06-01", 200).get("results").get("kpi/kpi_cards").get("rows").get(0)
                .get("net_revenue").decimalValue()).isEqualByComparingTo("20.00");
        // the lines behind the Books bar of all countries: items 3 (107), 6 (108), 9 (101), 20 each = 60, paged by 2
        JsonNode page = get("/api/explore/lines?by=category&key=Books&limit=2", 200);
        assertThat(page.get("total").asInt()).isEqualTo(3);
        assertThat(page.get("totalNetRevenue").decimalValue()).isEqualByComparingTo("60");
        assertThat(page.get("rows").size()).isEqualTo(2);
        JsonNode next = get("/api/explore/lines?by=category&key=Books&limit=2&offset=2", 200);
        assertThat(next.get("rows").get(0).get("order_item_id").asInt()).isEqualTo(9);
    }

    @Test
    @Order(3)
    void badFilterValuesGetAClearMessageAndChangeNothing() throws Exception {
        long lines = ((Number) Sql.one(ds, "SELECT count(*) FROM fact.sales_lines")).longValue();
        assertThat(get("/api/explore/results?q=kpi/kpi_cards&country=Atlantis", 400).get("error").asText())
                .contains("no sale has country 'Atlantis'").contains(UK);
        assertThat(get("/api/explore/results?q=kpi/kpi_cards&dateFrom=2026-06-30&dateTo=2026-01-01", 400).get("error").asText())
                .contains("reversed");
        assertThat(get("/api/explore/results?q=kpi/kpi_cards&dateFrom=yesterday", 400).get("error").asText()).contains("YYYY-MM-DD");
        String injection = "United Kingdom' OR '1'='1'; DROP TABLE fact.sales_lines; --";
        assertThat(get("/api/explore/results?q=kpi/kpi_cards&country=" + enc(injection), 400).get("error").asText()).contains("no sale has country");
        assertThat(get("/api/explore/results?q=kpi/kpi_cards&product=1%20OR%201%3D1", 400).get("error").asText()).contains("not a product id");
        assertThat(get("/api/explore/results?q=kpi/kpi_cards;DROP", 400).get("error").asText()).contains("not one of Explore's queries");
        assertThat(get("/api/explore/results?q=kpi/kpi_cards&colour=red", 400).get("error").asText()).contains("unknown filter colour");
        assertThat(get("/api/explore/lines?by=month&key=May", 400).get("error").asText()).contains("YYYY-MM");
        assertThat(((Number) Sql.one(ds, "SELECT count(*) FROM fact.sales_lines")).longValue()).isEqualTo(lines);
        // the token is needed like on every path
        assertThat(svc.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + svc.apiPort + "/explore")).GET())
                .statusCode()).isEqualTo(401);
    }

    /** A newer request of the same view cancels the older one's query in PostgreSQL. */
    /**
     * Explore during a run deadlocked with the run's KPI queries and failed the run (each took the
     * fact tables' locks in another order). Now Explore waits for no run: while one holds the run
     * lock it answers 503; while an Explore transaction is open a run waits for it.
     */
    @Test
    @Order(4)
    void exploreAndARunNeverOverlap() throws Exception {
        ExploreData data = new ExploreData(ds, svc.rt.settings());
        try (io.ecombi.run.RunLock run = io.ecombi.run.RunLock.tryAcquire(ds)) {
            assertThat(run).as("no run holds the lock before").isNotNull();
            assertThatThrownBy(() -> data.within(Filters.NONE, null, (c, r) -> "read"))
                    .isInstanceOfSatisfying(ExploreData.ExploreProblem.class, p -> assertThat(p.status()).isEqualTo(503))
                    .hasMessageContaining("a run is in progress");
        }
        String inside = data.within(Filters.NONE, null, (c, r) -> {
            assertThat(io.ecombi.run.RunLock.tryAcquire(ds)).as("a run cannot start during an Explore request").isNull();
            return "read";
        });
        assertThat(inside).isEqualTo("read");
        try (io.ecombi.run.RunLock after = io.ecombi.run.RunLock.tryAcquire(ds)) {
            assertThat(after).as("the run lock is free once the request ended").isNotNull();
        }
    }

    @Test
    @Order(4)
    void aNewerRequestOfTheSameViewCancelsTheOlder() throws Exception {
        ExploreData data = new ExploreData(ds, svc.rt.settings());
        CompletableFuture<Object> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return data.within(Filters.NONE, "view1", (c, run) -> {
                    try (var s = c.createStatement()) { s.execute("SELECT pg_sleep(20)"); }
                    return "finished";
                });
            } catch (Exception e) {
                return e;
            }
        });
        Thread.sleep(1500);
        long t = System.nanoTime();
        String newer = data.within(Filters.NONE, "view1", (c, run) -> "newer");
        assertThat(newer).isEqualTo("newer");
        Object older = slow.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat((System.nanoTime() - t) / 1e9).isLessThan(10);
        assertThat(older).isInstanceOf(ExploreData.ExploreProblem.class);
        assertThat(((ExploreData.ExploreProblem) older).status()).isEqualTo(409);
        assertThat(((Exception) older).getMessage()).contains("cancelled");
    }

    static ChromeDriver browser() throws Exception {
        if (browser != null) return browser;
        downloads = Files.createDirectories(work.resolve("downloads"));
        ChromeOptions o = new ChromeOptions();
        o.setBinary("/usr/bin/chromium");
        o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900");
        o.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(), "download.prompt_for_download", false));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver")).build();
        browser = new ChromeDriver(service, o);
        // the page and its requests carry the token, as a proxy or a header extension would add it for a reader
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization", "Bearer " + TestService.TOKEN)));
        browser.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", downloads.toString()));
        return browser;
    }

    static WebDriverWait waiting(ChromeDriver b) { return new WebDriverWait(b, Duration.ofSeconds(30)); }

    @Test
    @Order(5)
    void inTheBrowserACountryFilterChangesTheCardAndABarOpensItsLinesAndTheirCsv() throws Exception {
        ChromeDriver b = browser();
        b.get("http://127.0.0.1:" + svc.apiPort + "/explore");
        WebDriverWait wait = waiting(b);
        wait.until(d -> d.findElements(By.cssSelector("#card-net_revenue .value")).size() == 1);
        // no filter: the report's 12 months, 445.00 (ApiTest works it out by hand)
        assertThat(b.findElement(By.cssSelector("#card-net_revenue .value")).getText()).isEqualTo("445.00");
        new Select(b.findElement(By.id("f-country"))).selectByValue(UK);
        wait.until(d -> d.findElement(By.id("status")).getText().contains("country = " + UK));
        String card = b.findElement(By.cssSelector("#card-net_revenue .value")).getText();
        assertThat(new BigDecimal(card.replace(",", ""))).isEqualByComparingTo(independentUkNetRevenue()).isEqualByComparingTo("190.00");
        assertThat(b.findElement(By.cssSelector("#card-orders .value")).getText()).isEqualTo("2");
        assertThat(b.getCurrentUrl()).contains("country=United+Kingdom");

        // click the bar of May 2026 on the chart (canvas): Alice's order 100 of 2026-05-31, 170
        WebElement chart = b.findElement(By.id("chart-kpi-monthly_revenue"));
        @SuppressWarnings("unchecked")
        List<Number> at = (List<Number>) ((JavascriptExecutor) b).executeScript("""
                const div = arguments[0], c = echarts.getInstanceByDom(div), o = c.getOption();
                const i = o.xAxis[0].data.indexOf(arguments[1]), v = o.series[0].data[i];
                const top = c.convertToPixel({seriesIndex: 0}, [i, v]), base = c.convertToPixel({seriesIndex: 0}, [i, 0]);
                return [top[0], (top[1] + base[1]) / 2, div.clientWidth, div.clientHeight, v];""", chart, "2026-05");
        assertThat(new BigDecimal(at.get(4).toString())).isEqualByComparingTo("170");
        new Actions(b).moveToElement(chart, (int) Math.round(at.get(0).doubleValue() - at.get(2).doubleValue() / 2),
                (int) Math.round(at.get(1).doubleValue() - at.get(3).doubleValue() / 2)).click().perform();
        wait.until(d -> d.findElement(By.id("drill")).isDisplayed());
        WebElement summary = b.findElement(By.id("drill-summary"));
        // its lines: item 7 (Widget 100 - 10 x 100/180) and item 8 (2 shirts 80 - 10 x 80/180), adding up to the bar
        assertThat(summary.getAttribute("data-total")).isEqualTo("2");
        assertThat(new BigDecimal(summary.getAttribute("data-net"))).isEqualByComparingTo("170");
        assertThat(b.findElements(By.cssSelector("#drill-table tr"))).hasSize(3);

        // download its rows and compare each with the shop's own tables
        b.findElement(By.id("drill-csv")).click();
        Path csv = awaitDownload();
        List<CSVRecord> rows;
        try (Reader r = Files.newBufferedReader(csv)) {
            rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
        }
        List<Map<String, Object>> expected = Sql.rows(ds, """
                SELECT i.order_item_id, CAST(o.order_date AS text) AS day,
                       i.quantity * i.unit_price - o.discount_amount * i.quantity * i.unit_price
                           / SUM(i.quantity * i.unit_price) OVER (PARTITION BY o.order_id) AS net
                FROM orders o JOIN order_items i ON i.order_id = o.order_id JOIN customers c ON c.customer_id = o.customer_id
                WHERE o.order_status = 'Completed' AND o.order_date BETWEEN DATE '2026-05-01' AND DATE '2026-05-31' AND c.country = ?
                ORDER BY o.order_date, o.order_id, i.order_item_id""", UK);
        assertThat(rows).hasSize(expected.size()).hasSize(2);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i).get("order_item_id")).isEqualTo(String.valueOf(expected.get(i).get("order_item_id")));
            assertThat(rows.get(i).get("day")).isEqualTo(expected.get(i).get("day"));
            assertThat(rows.get(i).get("country")).isEqualTo(UK);
            assertThat(new BigDecimal(rows.get(i).get("net_revenue")).setScale(6, RoundingMode.HALF_UP))
                    .isEqualByComparingTo(((BigDecimal) expected.get(i).get("net")).setScale(6, RoundingMode.HALF_UP));
        }
        assertThat(new BigDecimal(rows.get(0).get("net_revenue")).setScale(2, RoundingMode.HALF_UP)).isEqualByComparingTo("94.44");
    }

    static Path awaitDownload() throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Stream<Path> s = Files.list(downloads)) {
                List<Path> done = s.filter(p -> p.toString().endsWith(".csv")).toList();
                if (!done.isEmpty()) return done.get(0);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no CSV downloaded into " + downloads);
    }

    @Test
    @Order(6)
    void inTheBrowserABadFilterIsAMessageAboveTheSamePageAndThePageFits400Pixels() throws Exception {
        ChromeDriver b = browser();
        b.get("http://127.0.0.1:" + svc.apiPort + "/explore#money");
        WebDriverWait wait = waiting(b);
        wait.until(d -> d.findElements(By.id("chart-kpi-category_margins")).size() == 1);
        ((JavascriptExecutor) b).executeScript("""
                document.getElementById('f-dateFrom').value = '2026-06-30';
                document.getElementById('f-dateTo').value = '2026-01-01';
                document.getElementById('f-dateTo').dispatchEvent(new Event('change', {bubbles: true}));""");
        wait.until(d -> d.findElement(By.id("problem")).isDisplayed());
        assertThat(b.findElement(By.id("problem")).getText()).contains("reversed").contains("2026-06-30");
        assertThat(b.findElements(By.cssSelector("#tabs button"))).hasSize(5);
        b.manage().window().setSize(new Dimension(400, 900));
        b.get("http://127.0.0.1:" + svc.apiPort + "/explore#growing");
        wait.until(d -> d.findElements(By.cssSelector("#card-net_revenue .value")).size() == 1);
        Number width = (Number) ((JavascriptExecutor) b).executeScript("return document.documentElement.scrollWidth");
        Number viewport = (Number) ((JavascriptExecutor) b).executeScript("return window.innerWidth");
        assertThat(width.intValue()).as("page width at a 400 px window").isLessThanOrEqualTo(viewport.intValue());
        // Swagger UI from the jar, on the API's document
        b.get("http://127.0.0.1:" + svc.apiPort + "/api/docs");
        wait.until(d -> !d.findElements(By.cssSelector(".opblock-summary-path")).isEmpty());
        assertThat(b.findElements(By.cssSelector(".opblock-summary-path")).stream().map(WebElement::getText).toList())
                .contains("/api/explore/results", "/api/runs");
    }
}
