package io.ecombi.quality;

import io.ecombi.EcombiRuntime;
import io.ecombi.ingest.IngestStep;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The standing reconciliation: every run checks the facts its KPIs read against the totals each
 * loaded file was reconciled to at load, and a cent's difference stops the run naming the file.
 */
class ReconciliationCheckTest {
    static final Path DATA = Path.of("src/test/resources/datasets");

    @TempDir
    Path work;

    @Test
    void theFactsReproduceEachFilesTotalsAndACentOffStopsTheRun() throws Exception {
        // a GBP and a USD source in one shop, said on purpose
        var o = TestRuntime.overrides(TestDatabase.newDatabase(), work);
        o.put("ecombi.ingest.accept-mixed", "true");
        try (EcombiRuntime rt = TestRuntime.start(o)) {
            var ds = rt.database().dataSource();
            IngestStep ingest = new IngestStep(ds, rt.settings());
            ingest.load(DATA.resolve("online_retail_slice.csv"), work.resolve("done/uci.csv"));
            ingest.load(DATA.resolve("superstore_slice.csv"), work.resolve("done/superstore.csv"));

            Exchange good = rt.runOnce("test", LocalDate.of(2017, 12, 31));
            assertThat(good.getException()).isNull();
            long run = EcombiRuntime.runOf(good).id();
            assertThat(Sql.one(ds, "SELECT passed FROM bi.quality_results WHERE run_id = ? AND check_name = 'reconciliation'", run)).isEqualTo(true);
            // a GBP file and a USD file: the report does not pretend they are one currency
            var scope = EcombiRuntime.runOf(good).kpi("data_scope");
            assertThat(scope.value(0, "currency")).isEqualTo("USD");
            assertThat(String.valueOf(scope.value(0, "currency_note"))).contains("several currencies (GBP, USD)").contains("not converted");

            // one line of each file a cent higher than the file said: the facts no longer match its totals
            // (UCI sales; Superstore sales and profit: 3 figures)
            for (String source : new String[]{"superstore", "online_retail"}) {
                Sql.exec(ds, "UPDATE order_items SET unit_price = unit_price + 0.01 WHERE order_item_id = (SELECT min(i.order_item_id) "
                        + "FROM order_items i JOIN orders o ON o.order_id = i.order_id AND o.order_kind = 'sale' AND i.quantity = 1 "
                        + "JOIN ingest.key_map k ON k.id = i.order_id AND k.source = '" + source + "')");
            }
            Exchange bad = rt.runOnce("test", LocalDate.of(2017, 12, 31));
            assertThat(bad.getException()).hasMessageContaining("data-quality check 'reconciliation' (severity error) failed")
                    .hasMessageContaining("3 offending row(s)").hasMessageContaining("superstore_slice.csv")
                    .hasMessageContaining("online_retail_slice.csv").hasMessageContaining("difference=0.01");
        }
    }
}
