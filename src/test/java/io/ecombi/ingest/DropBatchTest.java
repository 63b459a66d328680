package io.ecombi.ingest;

import io.ecombi.EcombiRuntime;
import io.ecombi.demo.DemoData;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The inbox's data drops (issue 11.12, 11.13, "Smaller"): one run per batch, no demo data mixed in, a .txt not ignored. */
class DropBatchTest {
    @TempDir
    Path work;

    Map<String, String> serving() {
        Map<String, String> o = TestRuntime.overrides(TestDatabase.newDatabase(), work);
        o.put("ecombi.triggers.enabled", "true");
        o.put("ecombi.schedule.cron", "0 0 6 1 1 ? 2099");
        return o;
    }

    /** Written elsewhere and moved in together, as a careful user (or a sync tool) does. */
    void dropTogether(Path drop, Path dir, List<String> names) throws Exception {
        Path staging = Files.createDirectories(work.resolve("staging"));
        for (String f : names) Files.copy(dir.resolve(f), staging.resolve(f));
        for (String f : names) Files.move(staging.resolve(f), drop.resolve(f));
    }

    @Test
    void filesDroppedTogetherStartOneRunAfterTheLastHasLoaded() throws Exception {
        Map<String, String> o = serving();
        o.put("ecombi.ingest.run-after-load", "true");
        try (EcombiRuntime rt = TestRuntime.start(o)) {
            Path drop = work.resolve("inbox/data");
            List<String> names = List.of("order_items.csv", "orders.csv", "products.csv", "customers.csv", "product_category_name_translation.csv");
            dropTogether(drop, Path.of("src/test/resources/datasets/olist"), names);
            var ds = rt.database().dataSource();
            TriggersTest.await(() -> ((Number) Sql.one(ds, "SELECT count(*) FROM bi.pipeline_runs WHERE status <> 'running'")).intValue() >= 1);
            Thread.sleep(3000);   // a second run would have started by now
            assertThat(Sql.one(ds, "SELECT count(*) FROM ingest.files WHERE status = 'loaded'")).isEqualTo(5L);
            assertThat(Sql.rows(ds, "SELECT trigger FROM bi.pipeline_runs")).extracting(m -> m.get("trigger")).containsExactly("inbox-data:5 files");
            // the run started after every file had loaded
            assertThat((Boolean) Sql.one(ds, "SELECT (SELECT min(started_at) FROM bi.pipeline_runs) > (SELECT max(received_at) FROM ingest.files)")).isTrue();
        }
    }

    @Test
    void aTextFileInTheDataInboxIsLoggedAndGoesToFailedWithTheReason() throws Exception {
        Map<String, String> o = serving();
        o.put("ecombi.ingest.run-after-load", "false");
        try (EcombiRuntime rt = TestRuntime.start(o)) {
            Path drop = work.resolve("inbox/data");
            Path tmp = work.resolve("notes.txt");
            Files.writeString(tmp, "orders for march\n");
            Files.move(tmp, drop.resolve("notes.txt"));
            TriggersTest.await(() -> TriggersTest.files(drop.resolve("failed")).stream().anyMatch(f -> f.endsWith("-notes.txt.error.txt"))
                    && TriggersTest.files(drop.resolve("failed")).stream().anyMatch(f -> f.endsWith("-notes.txt")));
            String error = Files.readString(drop.resolve("failed").resolve(TriggersTest.files(drop.resolve("failed")).stream().filter(f -> f.endsWith(".error.txt")).findFirst().orElseThrow()));
            assertThat(error).contains("notes.txt: not a CSV export").contains(".csv and .csv.gz");
            assertThat(TriggersTest.files(drop.resolve("failed"))).anyMatch(f -> f.matches("\\d{8}-\\d{6}-\\d{3}-notes\\.txt"));
        }
    }

    /** Issue 36: the batch's summary said "are loaded" of files that failed; it now counts them. */
    @Test
    void theBatchSummaryCountsTheFilesThatFailed() throws Exception {
        Map<String, String> o = serving();
        o.put("ecombi.ingest.run-after-load", "true");
        io.ecombi.testing.LogCapture log = io.ecombi.testing.LogCapture.start();
        try (EcombiRuntime rt = TestRuntime.start(o)) {
            Path drop = work.resolve("inbox/data");
            Path dir = Files.createDirectories(work.resolve("set"));
            Files.copy(Path.of("src/test/resources/datasets/olist/customers.csv"), dir.resolve("customers.csv"));
            Files.writeString(dir.resolve("sales.csv"), "when,what\n2025-01-01,tea\n");
            dropTogether(drop, dir, List.of("customers.csv", "sales.csv"));
            TriggersTest.await(() -> log.text().contains("files dropped together"));
            assertThat(log.text()).contains("the 2 files dropped together: 1 taken, 1 not loaded (each with its reason in").doesNotContain("are loaded");
        } finally {
            log.stop();
        }
    }

    @Test
    void aRealFileReplacesDemoDataInsteadOfMixingWithIt() throws Exception {
        Map<String, String> o = TestRuntime.overrides(TestDatabase.newDatabase(), work);
        try (EcombiRuntime rt = TestRuntime.start(o)) {
            var ds = rt.database().dataSource();
            DemoData.generateAndLoad(rt.database(), 200, 42, LocalDate.of(2026, 10, 31));
            assertThat(((Number) Sql.one(ds, "SELECT count(*) FROM customers")).intValue()).isEqualTo(200);
            IngestStep.Result r = new IngestStep(ds, rt.settings()).load(Path.of("src/test/resources/datasets/superstore_slice.csv"), work.resolve("out/ss"));
            // only the file's customers and orders are left
            assertThat(Sql.one(ds, "SELECT count(*) FROM customers c WHERE NOT EXISTS (SELECT 1 FROM ingest.key_map k WHERE k.id = c.customer_id)")).isEqualTo(0L);
            assertThat(Sql.one(ds, "SELECT count(*) FROM order_items")).isEqualTo(r.loaded());
            assertThat(Sql.one(ds, "SELECT replaced_by FROM ingest.demo_loads")).isEqualTo("superstore_slice.csv");
        }
    }
}
