package io.ecombi;

import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** `load FILE...` (issue 11.11, "Smaller"): parents first whatever the order given, and a refused file does not stop the others. */
class LoadCommandTest {
    @TempDir
    Path work;

    @Test
    void loadOrdersParentsFirstReportsARefusedFileAndLoadsTheRest() throws Exception {
        Path olist = Path.of("src/test/resources/datasets/olist");
        Path bad = work.resolve("sales.csv");
        Files.writeString(bad, "when,what\n2025-01-01,tea\n");
        // shell-glob order: children before parents, and a file of no known format in the middle
        List<Path> files = new ArrayList<>(List.of(olist.resolve("order_items.csv"), olist.resolve("orders.csv"), bad,
                olist.resolve("product_category_name_translation.csv"), olist.resolve("products.csv"), olist.resolve("customers.csv")));
        String url = TestDatabase.newDatabase();
        Map<String, String> o = TestRuntime.overrides(url, work);

        int exit = io.ecombi.cli.LoadCommand.load(files, TestRuntime.settings(o));

        assertThat(exit).isEqualTo(1);
        try (var db = io.ecombi.db.Database.open(TestRuntime.settings(o))) {
            var ds = db.dataSource();
            assertThat(Sql.rows(ds, "SELECT file_name, status, rows_rejected FROM ingest.files ORDER BY file_id")).extracting(m -> m.get("file_name") + " " + m.get("status") + " " + m.get("rows_rejected"))
                    .containsExactly("customers.csv loaded 0", "products.csv loaded 0", "product_category_name_translation.csv loaded 0",
                            "orders.csv loaded 0", "order_items.csv loaded 0", "sales.csv failed null");
        }
    }

    /**
     * Issue 36: the full Olist set has files ecombi does not use (sellers, zip-code coordinates).
     * They were refused as unknown formats and the command exited 1; now they are recognised, every
     * line set aside with the reason, and the set loads with exit 0.
     */
    @Test
    void theOlistFilesEcombiDoesNotUseAreRecognisedAndSetAsideNotFailed() throws Exception {
        Path olist = Path.of("src/test/resources/datasets/olist"), extra = Path.of("src/test/resources/datasets/olist-extra");
        List<Path> files = List.of(olist.resolve("customers.csv"), olist.resolve("products.csv"), olist.resolve("product_category_name_translation.csv"),
                olist.resolve("orders.csv"), olist.resolve("order_items.csv"), extra.resolve("olist_sellers_dataset.csv"), extra.resolve("olist_geolocation_dataset.csv"));
        Map<String, String> o = TestRuntime.overrides(TestDatabase.newDatabase(), work);

        assertThat(io.ecombi.cli.LoadCommand.load(files, TestRuntime.settings(o))).isZero();

        try (var db = io.ecombi.db.Database.open(TestRuntime.settings(o))) {
            var ds = db.dataSource();
            // 3 sellers and 4 coordinates in the files: read = set aside, nothing loaded, nothing rejected
            assertThat(Sql.rows(ds, "SELECT file_name, status, rows_read, rows_loaded, rows_rejected, rows_set_aside FROM ingest.files WHERE file_name LIKE 'olist_%' ORDER BY file_name"))
                    .extracting(m -> m.get("file_name") + " " + m.get("status") + " " + m.get("rows_read") + "=" + m.get("rows_loaded") + "+" + m.get("rows_rejected") + "+" + m.get("rows_set_aside"))
                    .containsExactly("olist_geolocation_dataset.csv loaded 4=0+0+4", "olist_sellers_dataset.csv loaded 3=0+0+3");
            assertThat(Sql.one(ds, "SELECT string_agg(DISTINCT reason, ' | ') FROM ingest.row_issues i JOIN ingest.files f USING (file_id) WHERE f.file_name = 'olist_sellers_dataset.csv'"))
                    .isEqualTo("seller: a known Olist file that ecombi's reports do not use");
        }
    }
}
