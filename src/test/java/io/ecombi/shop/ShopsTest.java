package io.ecombi.shop;

import io.ecombi.EcombiRuntime;
import io.ecombi.Settings;
import io.ecombi.db.Database;
import io.ecombi.db.EmbeddedServer;
import io.ecombi.ingest.IngestStep;
import io.ecombi.testing.Sql;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Named shops on the embedded PostgreSQL (one server, one database per shop) with real files:
 * the demo stays in the shop demo, a first real load goes into default and its run succeeds and
 * names its data, shops keep their rows apart, list and reset.
 */
class ShopsTest {
    static final Path DATA = Path.of("src/test/resources/datasets");

    @TempDir
    Path work;

    private Map<String, String> embedded() {
        Map<String, String> o = new HashMap<>();
        o.put("ecombi.db.url", "");
        o.put("ecombi.db.embedded.data-dir", work.resolve("pg").toString());
        o.put("ecombi.db.embedded.durable", "false");
        o.put("ecombi.reports.dir", work.resolve("reports").toString());
        o.put("ecombi.inbox.dir", work.resolve("inbox").toString());
        o.put("ecombi.triggers.enabled", "false");
        o.put("ecombi.routes.watch-interval-ms", "0");
        o.put("ecombi.demo.customers", "150");
        return o;
    }

    private static Settings settings(Map<String, String> o) {
        return Settings.load(Settings.DEFAULT_FILE, Map.of(), o);
    }

    @Test
    void aShopNameIsValidatedNamingTheSetting() {
        Map<String, String> o = embedded();
        o.put("ecombi.shop", "My Shop");
        assertThatThrownBy(() -> Database.open(settings(o))).hasMessageContaining("ecombi.shop=My Shop").hasMessageContaining("lower-case");
        assertThat(work.resolve("pg")).doesNotExist();   // before any server starts
        assertThat(Shop.validName("acme-uk_2")).isEqualTo("acme-uk_2");
    }

    @Test
    void demoThenOwnDataInDefaultRunsAndNamesTheData() throws Exception {
        Map<String, String> o = embedded();
        // fresh checkout: run shows the demo shop, filled on first use
        try (EcombiRuntime rt = EcombiRuntime.start(settings(o))) {
            assertThat(rt.database().shop().name()).isEqualTo("demo");
            Exchange demo = rt.runOnce("test", null);
            assertThat(demo.getException()).isNull();
        }
        assertThat(Files.readString(work.resolve("reports/demo/index.html"))).contains("DEMO DATA").contains("Shop performance: demo");

        // a first real load without a shop goes into default, which has no demo data
        Map<String, String> load = new HashMap<>(o);
        load.put("ecombi.demo.load-if-empty", "false");
        try (Database db = Database.open(settings(load))) {
            assertThat(db.shop().name()).isEqualTo("default");
            assertThat(db.count("orders")).isZero();
            new IngestStep(db.dataSource(), settings(load)).load(DATA.resolve("superstore_slice.csv"), work.resolve("issues/superstore"));
        }

        // the next run is on default: no row-count drop against the demo, the page names the file
        try (EcombiRuntime rt = EcombiRuntime.start(settings(o))) {
            assertThat(rt.database().shop().name()).isEqualTo("default");
            Exchange own = rt.runOnce("test", LocalDate.of(2017, 12, 31));
            assertThat(own.getException()).isNull();
        }
        String page = Files.readString(work.resolve("reports/default/index.html"));
        assertThat(page).doesNotContain("DEMO DATA").contains("Shop performance: default").contains("superstore_slice.csv");
        assertThat(Files.readString(work.resolve("reports/index.html"))).contains("href=\"demo/index.html\"").contains("href=\"default/index.html\"");
        // readable as any report file is (it was owner-only, from a temporary file): the same permissions as a file written beside it
        Path probe = Files.writeString(work.resolve("reports/probe.txt"), "x");
        assertThat(Files.getPosixFilePermissions(work.resolve("reports/index.html"))).isEqualTo(Files.getPosixFilePermissions(probe));
        Files.delete(probe);

        try (Shops shops = Shops.open(settings(o))) {
            assertThat(shops.list()).extracting(Shops.Summary::name).containsExactly("default", "demo");
            Shops.Summary def = shops.get("default"), dem = shops.get("demo");
            assertThat(def.filesLoaded()).isEqualTo(1);
            assertThat(def.currency()).isEqualTo("USD");
            assertThat(def.lastRunStatus()).isEqualTo("succeeded");
            assertThat(def.orders()).isPositive().isLessThan(dem.orders());
            assertThat(def.lastOrder()).isBefore(LocalDate.of(2018, 1, 1));
            assertThat(dem.filesLoaded()).isZero();
            assertThat(dem.lastRunStatus()).isEqualTo("succeeded");

            shops.reset("default");

            Shops.Summary reset = shops.get("default");
            assertThat(reset.orders()).isZero();
            assertThat(reset.filesLoaded()).isZero();
            assertThat(reset.lastRunId()).isNull();   // row_count_drop has no earlier run of this shop to compare with
            assertThat(work.resolve("reports/default")).doesNotExist();
            assertThat(shops.get("demo").orders()).isEqualTo(dem.orders());
            assertThat(Files.readString(work.resolve("reports/index.html"))).doesNotContain("default/index.html").contains("demo/index.html");
            assertThatThrownBy(() -> shops.reset("nope")).hasMessageContaining("no shop nope").hasMessageContaining("default, demo");
        }
    }

    @Test
    void twoShopsKeepTheirRowsApartAndTheDemoStaysOutOfRealShops() throws Exception {
        Settings base = settings(embedded());
        try (EmbeddedServer server = Database.startServer(base)) {
            Settings sa = base.with(Shop.SETTING, "shop-a"), sb = base.with(Shop.SETTING, "shop_b");
            try (Database a = Database.open(sa, server, false); Database b = Database.open(sb, server, false)) {
                new IngestStep(a.dataSource(), sa).load(DATA.resolve("superstore_slice.csv"), work.resolve("i/a"));
                new IngestStep(b.dataSource(), sb).load(DATA.resolve("online_retail_slice.csv"), work.resolve("i/b"));
                assertThat(Sql.one(a.dataSource(), "SELECT string_agg(file_name, ',') FROM ingest.files")).isEqualTo("superstore_slice.csv");
                assertThat(Sql.one(b.dataSource(), "SELECT string_agg(file_name, ',') FROM ingest.files")).isEqualTo("online_retail_slice.csv");
                assertThat(a.count("orders")).isNotEqualTo(b.count("orders"));
            }
            // the shop demo takes no files; the shop default never gets the demo
            Settings sd = base.with(Shop.SETTING, "demo");
            try (Database demo = Database.open(sd, server, false)) {
                assertThatThrownBy(() -> new IngestStep(demo.dataSource(), sd).load(DATA.resolve("superstore_slice.csv"), work.resolve("i/d")))
                        .hasMessageContaining("shop demo").hasMessageContaining("takes no files");
            }
            try (Database def = Database.open(base, server, false)) {
                assertThatThrownBy(() -> io.ecombi.demo.DemoData.generateAndLoad(def, 50, 1, LocalDate.of(2026, 10, 31)))
                        .hasMessageContaining("never demo data");
                assertThat(def.count("orders")).isZero();
            }
            // the demo command with no shop named fills demo, or the shop it names
            assertThat(Shop.of(DemoShop.forDemoCommand(base)).name()).isEqualTo("demo");
            assertThat(Shop.of(DemoShop.forDemoCommand(base.with(Shop.SETTING, "copy"))).name()).isEqualTo("copy");
            assertThat(server.databases("shop_")).containsExactlyInAnyOrder("shop_default", "shop_demo", "shop_shop-a", "shop_shop_b");
        }
    }
}
