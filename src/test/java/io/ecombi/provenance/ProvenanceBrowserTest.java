package io.ecombi.provenance;

import io.ecombi.EcombiRuntime;
import io.ecombi.run.PipelineRun;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 33, "every card links to a provenance page, checked in Chromium": the run's page on the KPI
 * fixture, opened in Debian's chromium; every card has a link, and every provenance link of the page
 * opens a page showing the SQL file as it is in sql/, byte for byte, with its SHA-256 worked out here
 * from the file (not read from ecombi's record).
 */
class ProvenanceBrowserTest {
    @TempDir
    static Path work;
    static EcombiRuntime rt;
    static PipelineRun run;
    static ChromeDriver browser;

    static String url;

    @BeforeAll
    static void aRun() throws Exception {
        url = TestDatabase.newDatabase();
        rt = TestRuntime.start(TestRuntime.overrides(url, work));
        Sql.loadFixture(rt.database().dataSource(), "kpi_fixture.sql");
        run = TestRuntime.succeededRun(rt, LocalDate.of(2026, 6, 30));
        ChromeOptions o = new ChromeOptions();
        o.setBinary("/usr/bin/chromium");
        o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900", "--allow-file-access-from-files");
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver")).build(), o);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (rt != null) rt.close();
    }

    @Test
    void everyCardAndEveryLinkedTableLeadsToItsSqlAsItRan() throws Exception {
        Path page = run.dir().resolve("index.html");
        browser.get(page.toUri().toString());
        List<WebElement> cards = browser.findElements(By.cssSelector("#cards .card"));
        assertThat(cards).as("the headline cards").hasSizeGreaterThanOrEqualTo(4);
        for (WebElement card : cards) {
            assertThat(card.findElements(By.cssSelector("a[href^='provenance/']"))).as(card.getText()).isNotEmpty();
        }
        Set<String> links = new LinkedHashSet<>();
        for (WebElement a : browser.findElements(By.cssSelector("a[href^='provenance/']"))) links.add(a.getAttribute("href"));
        assertThat(links).as("provenance pages linked from the page").hasSizeGreaterThanOrEqualTo(5);

        for (String link : links) {
            browser.get(link);
            String file = browser.findElement(By.id("sql-file")).getText().strip();
            Path sql = Path.of(file);
            assertThat(sql).as(link).isRegularFile();
            byte[] bytes = Files.readAllBytes(sql);
            String shown = browser.findElement(By.id("sql")).getAttribute("textContent");
            assertThat(shown.strip()).as(link + ": the query as it ran").isEqualTo(new String(bytes, StandardCharsets.UTF_8).strip());
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            assertThat(browser.findElement(By.id("sql-sha256")).getText().strip()).as(link).isEqualTo(sha);
        }
    }

    /** `ecombi explain KPI` prints the same record from its own process; an unknown KPI exits 2 naming it. */
    @Test
    void explainPrintsTheSameRecord() throws Exception {
        byte[] bytes = Files.readAllBytes(Path.of("sql/kpi/kpi_cards.sql"));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        List<String> common = new java.util.ArrayList<>();
        for (var e : TestRuntime.overrides(url, work.resolve("cli")).entrySet()) common.addAll(List.of("--set", e.getKey() + "=" + e.getValue()));
        List<String> args = new java.util.ArrayList<>(List.of("explain", "kpi_cards"));
        args.addAll(common);
        try (var p = io.ecombi.testing.EcombiProcess.start(work.resolve("explain.log"), java.util.Map.of(), args.toArray(String[]::new))) {
            assertThat(p.awaitExit(java.time.Duration.ofSeconds(90))).as(p.output()).isZero();
            assertThat(p.output()).contains("SQL file    sql/kpi/kpi_cards.sql").contains("SHA-256     " + sha)
                    .contains("run         " + run.id() + " (as of 2026-06-30");
        }
        args.set(1, "no_such_kpi");
        try (var p = io.ecombi.testing.EcombiProcess.start(work.resolve("explain2.log"), java.util.Map.of(), args.toArray(String[]::new))) {
            assertThat(p.awaitExit(java.time.Duration.ofSeconds(90))).as(p.output()).isEqualTo(2);
            assertThat(p.output()).contains("no_such_kpi");
        }
    }
}
