package io.ecombi.quality;

import io.ecombi.EcombiRuntime;
import io.ecombi.result.Finding;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.apache.camel.Exchange;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The gate before the KPIs: warnings lead the report's section in words, a failed error check stops the run. */
class QualityGateTest {
    @TempDir
    Path work;

    @Test
    void aWarningShowsInTheReportAndABlockingCheckStopsTheRunKeepingThePreviousReport() throws Exception {
        try (EcombiRuntime rt = TestRuntime.start(TestRuntime.overrides(TestDatabase.newDatabase(), work))) {
            var ds = rt.database().dataSource();
            Sql.loadKpiFixture(ds);
            // order 111 has no lines: a warning
            Sql.exec(ds, "INSERT INTO orders VALUES (111, 1, '2026-06-10', 'Completed', 0, 0, 'Card')");
            Exchange good = rt.runOnce("test", LocalDate.of(2026, 6, 30));
            assertThat(good.getException()).isNull();
            long goodRun = EcombiRuntime.runOf(good).id();
            String page = Files.readString(work.resolve("reports/default/index.html"));
            assertThat(page).contains("<h3>Data quality checks</h3>").contains("orders_without_items").contains("warning");
            // a check's description shows the value it ran with, not its parameter's name (the fixture is stale: stale_data fires)
            assertThat(page).contains("older than 7 days (ecombi.quality.freshness-days)").doesNotContain(":freshnessDays");
            assertThat(Sql.one(ds, "SELECT offending_rows FROM bi.quality_results WHERE run_id = ? AND check_name = 'orders_without_items'", goodRun)).isEqualTo(1L);

            // the result: one check per file of sql/quality; two warn, in words: order 111, and the fixture's last
            // order (2 Jul 2026) is older than 7 days before today; every other check passes
            long checks;
            try (var files = Files.list(Path.of("sql/quality"))) {
                checks = files.filter(f -> f.getFileName().toString().endsWith(".sql")).count();
            }
            QualitySection q = (QualitySection) EcombiRuntime.runOf(good).get(QualityGate.SECTION_KEY);
            assertThat(q.findings()).extracting(Finding::severity).containsExactly("warn", "warn");
            assertThat(q.findings().get(0).text()).isEqualTo("orders_without_items: 1 offending row — orders that have no order lines (they count as"
                    + " orders nowhere: the KPIs join the lines). For example: order_id=111, customer_id=1, order_date=2026-06-10, order_status=Completed.");
            assertThat(q.findings().get(1).text()).startsWith("stale_data: 1 offending row — the latest order is older than 7 days"
                    + " (ecombi.quality.freshness-days): is the feed still running? For example: latest_order=2026-07-02, days_old=");
            assertThat(q.summary()).isEqualTo(checks + " checks ran: " + (checks - 2) + " passed, 2 warnings, 0 failed.");
            assertThat(List.of(q.passed(), q.warnings(), q.failed())).containsExactly((int) checks - 2, 2, 0);
            // the page leads with the two warnings and folds the list of every check
            Document doc = Jsoup.parse(page);
            assertThat(doc.select("#quality > p.finding.warn")).extracting(Element::text)
                    .containsExactly("Warning: " + q.findings().get(0).text() + " evidence", "Warning: " + q.findings().get(1).text() + " evidence");
            assertThat(doc.select("#quality > p.finding").first().elementSiblingIndex()).isLessThan(doc.select("#quality > details").first().elementSiblingIndex());
            assertThat(doc.select("#quality details tbody tr")).hasSize((int) checks);
            assertThat(doc.select("#quality details tbody tr")).extracting(tr -> String.join(" | ", tr.select("td").eachText()))
                    .contains("orders_without_items | warn | warning | 1 | orders that have no order lines (they count as orders nowhere: the KPIs join the lines)"
                                    + " | order_id=111, customer_id=1, order_date=2026-06-10, order_status=Completed",
                            "future_order_dates | error | passed | 0 | orders dated after today (clock or import errors) | –");
            List<String> csv = Files.readAllLines(EcombiRuntime.runOf(good).dir().resolve("data/quality_checks.csv"));
            assertThat(csv.get(0)).isEqualTo("check,severity,result,offending_rows,description,example");
            assertThat(csv).hasSize((int) checks + 1).anySatisfy(l -> assertThat(l).startsWith("orders_without_items,warn,warning,1,"));

            // a completed order line with a negative quantity: blocking
            Sql.exec(ds, "INSERT INTO order_items VALUES (99, 101, 12, -3, 20, 15)");
            Exchange bad = rt.runOnce("test", LocalDate.of(2026, 6, 30));

            assertThat(bad.getException()).hasMessageContaining("data-quality check 'negative_values_on_completed_orders' (severity error) failed: 1 offending row(s)")
                    .hasMessageContaining("order_item_id=99");
            assertThat(Files.readSymbolicLink(work.resolve("reports/default/latest")).toString()).isEqualTo("runs/" + goodRun);
            assertThat(Files.readString(work.resolve("reports/default/index.html"))).isEqualTo(page);
            assertThat(Sql.one(ds, "SELECT status FROM bi.pipeline_runs WHERE run_id = ?", EcombiRuntime.runOf(bad).id())).isEqualTo("failed");
        }
    }

    @Test
    void aBigDropInRowsSinceTheLastRunIsCaught() throws Exception {
        try (EcombiRuntime rt = TestRuntime.start(TestRuntime.overrides(TestDatabase.newDatabase(), work))) {
            var ds = rt.database().dataSource();
            Sql.loadKpiFixture(ds);
            assertThat(rt.runOnce("test", LocalDate.of(2026, 6, 30)).getException()).isNull();
            // 12 lines -> 6: a 50 % drop, over the 20 % threshold
            Sql.exec(ds, "DELETE FROM order_items WHERE order_item_id IN (2, 3, 9, 10, 11, 12)");

            Exchange after = rt.runOnce("test", LocalDate.of(2026, 6, 30));

            assertThat(after.getException()).hasMessageContaining("row_count_drop").hasMessageContaining("order_items");
        }
    }

    @Test
    void anOrphanLineIsCaughtOnADatabaseWithoutTheForeignKey() throws Exception {
        try (EcombiRuntime rt = TestRuntime.start(TestRuntime.overrides(TestDatabase.newDatabase(), work))) {
            var ds = rt.database().dataSource();
            Sql.loadKpiFixture(ds);
            // with ecombi's foreign keys the check is known to pass without a scan
            assertThat(rt.runOnce("test", LocalDate.of(2026, 6, 30)).getException()).isNull();
            // a shop database without the key to orders, and a line of an order that does not exist
            String fk = (String) Sql.one(ds, "SELECT conname FROM pg_constraint WHERE conrelid = 'order_items'::regclass "
                    + "AND contype = 'f' AND confrelid = 'orders'::regclass");
            Sql.exec(ds, "ALTER TABLE order_items DROP CONSTRAINT " + fk);
            Sql.exec(ds, "INSERT INTO order_items VALUES (98, 999, 12, 1, 20, 15)");

            Exchange after = rt.runOnce("test", LocalDate.of(2026, 6, 30));

            assertThat(after.getException()).hasMessageContaining("lines_without_order_or_product")
                    .hasMessageContaining("order_item_id=98");
        }
    }
}
