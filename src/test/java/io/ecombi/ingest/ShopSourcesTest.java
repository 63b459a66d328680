package io.ecombi.ingest;

import io.ecombi.db.Database;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One shop, one business: a file from another source or in another currency than the shop's
 * files is refused whole, with the reason and the command for a shop of its own, unless
 * ecombi.ingest.accept-mixed says to take it.
 */
class ShopSourcesTest {
    static final Path DATA = Path.of("src/test/resources/datasets");

    @TempDir
    Path work;

    private Database open(String dbUrl, Map<String, String> extra) {
        Map<String, String> o = TestRuntime.overrides(dbUrl, work);
        o.putAll(extra);
        return Database.open(TestRuntime.settings(o));
    }

    private static long orders(DataSource ds) {
        return (Long) Sql.one(ds, "SELECT count(*) FROM orders");
    }

    @Test
    void aFileOfAnotherSourceIsRefusedNamingBothAndTheCommandForItsOwnShopUnlessAccepted() throws Exception {
        String url = TestDatabase.newDatabase();
        try (Database db = open(url, Map.of("ecombi.shop", "acme"))) {
            DataSource ds = db.dataSource();
            IngestStep step = new IngestStep(ds, TestRuntime.settings(withShop(url, "acme", false)));
            step.load(DATA.resolve("superstore_slice.csv"), work.resolve("issues/ss.csv"));
            long before = orders(ds);

            assertThatThrownBy(() -> step.load(DATA.resolve("online_retail_slice.csv"), work.resolve("issues/uci.csv")))
                    .isInstanceOf(IngestStep.FileRefused.class)
                    .hasMessageStartingWith("online_retail_slice.csv: not loaded into the shop acme, which holds superstore exports in USD (1 file: superstore_slice.csv)")
                    .hasMessageContaining("this file is online_retail exports in GBP (another source and another currency)")
                    .hasMessageContaining("bin/ecombi load --shop online-retail online_retail_slice.csv")
                    .hasMessageContaining("--set ecombi.ingest.accept-mixed=true");
            // nothing of it is in the shop; the refusal is on record
            assertThat(orders(ds)).isEqualTo(before);
            assertThat(Sql.one(ds, "SELECT status FROM ingest.files WHERE file_name = 'online_retail_slice.csv'")).isEqualTo("failed");

            // said on purpose: it loads
            IngestStep accepting = new IngestStep(ds, TestRuntime.settings(withShop(url, "acme", true)));
            IngestStep.Result r = accepting.load(DATA.resolve("online_retail_slice.csv"), work.resolve("issues/uci2.csv"));
            assertThat(r.loaded()).isPositive();
            assertThat(orders(ds)).isGreaterThan(before);
        }
    }

    @Test
    void filesOfOneSourceShareAShopAndAnotherCurrencyAloneIsRefused() throws Exception {
        String url = TestDatabase.newDatabase();
        try (Database db = open(url, Map.of())) {
            DataSource ds = db.dataSource();
            // Olist's four files are one source (-- source: olist): they load together
            IngestStep step = new IngestStep(ds, TestRuntime.settings(withShop(url, "default", false)));
            for (String f : new String[]{"customers.csv", "products.csv", "orders.csv", "order_items.csv"}) {
                assertThat(step.load(DATA.resolve("olist").resolve(f), work.resolve("issues/" + f)).loaded()).isPositive();
            }
        }
        String own = TestDatabase.newDatabase();
        Path customers = work.resolve("a/customers.csv"), products = work.resolve("b/products.csv");
        Files.createDirectories(customers.getParent());
        Files.createDirectories(products.getParent());
        Files.writeString(customers, "customer_id,email,registration_date,country\n1,a@x,2025-01-01,DE\n");
        Files.writeString(products, "product_id,product_name,category,unit_price,unit_cost\n1,Mug,Home,10.00,4.00\n");
        try (Database db = open(own, Map.of())) {
            DataSource ds = db.dataSource();
            Map<String, String> eur = withShop(own, "default", false);
            eur.put("ecombi.report.currency", "EUR");
            new IngestStep(ds, TestRuntime.settings(eur)).load(customers, work.resolve("issues/c.csv"));
            Map<String, String> usd = withShop(own, "default", false);
            usd.put("ecombi.report.currency", "USD");
            // ecombi's own tables, now said to be in USD: the same source, another currency
            assertThatThrownBy(() -> new IngestStep(ds, TestRuntime.settings(usd)).load(products, work.resolve("issues/p.csv")))
                    .hasMessageContaining("which holds ecombi's own table files in EUR (1 file: customers.csv)")
                    .hasMessageContaining("in USD (another currency)")
                    .hasMessageContaining("bin/ecombi load --shop second products.csv");
        }
    }

    private Map<String, String> withShop(String url, String shop, boolean acceptMixed) {
        Map<String, String> o = TestRuntime.overrides(url, work);
        o.put("ecombi.shop", shop);
        o.put("ecombi.ingest.accept-mixed", Boolean.toString(acceptMixed));
        return o;
    }
}
