package io.ecombi.ingest;

import io.ecombi.EcombiRuntime;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 31, item 4: after a kill -9 during a UCI load, autovacuum analysed the rolled-back rows and left
 * pg_class saying orders and order_items hold 0 rows on pages full of dead ones; the next load's
 * UPDATE ingest.files SET loaded_totals was planned for empty tables and ran 5 to 14 minutes. Here the
 * statistics are set to what that autovacuum left (reltuples 0, relpages as they are) and the next
 * load must take about as long as the first.
 */
class ReloadAfterCrashTest {
    @TempDir
    Path work;

    @Test
    void aLoadDoesNotTrustTheStatisticsACrashLeftBehind() throws Exception {
        try (EcombiRuntime rt = TestRuntime.start(TestRuntime.overrides(TestDatabase.newDatabase(), work))) {
            IngestStep ingest = new IngestStep(rt.database().dataSource(), rt.settings());
            Path first = onlineRetail(work.resolve("first/online_retail.csv"), 0, 60);
            Path second = onlineRetail(work.resolve("second/online_retail.csv"), 60, 60);

            long t0 = System.nanoTime();
            ingest.load(first, work.resolve("first/issues"));
            double firstSeconds = (System.nanoTime() - t0) / 1e9;

            // what autovacuum leaves after a crashed load's rows were rolled back: the pages, and 0 live rows on them
            Sql.exec(rt.database().dataSource(), "UPDATE pg_class SET reltuples = 0 WHERE oid IN ('orders'::regclass, 'order_items'::regclass)");
            assertThat(Sql.one(rt.database().dataSource(), "SELECT count(*) FROM pg_class WHERE oid IN ('orders'::regclass, 'order_items'::regclass) "
                    + "AND reltuples = 0 AND relpages > 0")).isEqualTo(2L);

            long t1 = System.nanoTime();
            IngestStep.Result r = ingest.load(second, work.resolve("second/issues"));
            double secondSeconds = (System.nanoTime() - t1) / 1e9;

            assertThat(r.loaded()).isGreaterThan(20_000);
            System.out.printf("reload after poisoned statistics: first load %.1f s, second %.1f s%n", firstSeconds, secondSeconds);
            assertThat(secondSeconds).as("first load took %.1f s", firstSeconds).isLessThan(Math.max(15, 3 * firstSeconds));
        }
    }

    /**
     * The same when the shop was empty before the killed load: the tables' pages hold only dead rows, which an
     * ANALYZE counts as 0 live rows per page; the file's own rows must be counted before the statements that read them.
     */
    @Test
    void aFirstLoadAfterAKilledFirstLoadDoesNotPlanItsTablesAsEmpty() throws Exception {
        try (EcombiRuntime rt = TestRuntime.start(TestRuntime.overrides(TestDatabase.newDatabase(), work))) {
            var ds = rt.database().dataSource();
            IngestStep ingest = new IngestStep(ds, rt.settings());
            long t0 = System.nanoTime();
            ingest.load(onlineRetail(work.resolve("first/online_retail.csv"), 0, 60), work.resolve("first/issues"));
            double firstSeconds = (System.nanoTime() - t0) / 1e9;
            // the killed load's rows are dead (deleted, not yet vacuumed) and autovacuum's ANALYZE has counted them: 0 live rows
            Sql.exec(ds, "DELETE FROM order_items; DELETE FROM orders; DELETE FROM ingest.key_map; DELETE FROM ingest.row_issues; DELETE FROM ingest.files; "
                    + "ANALYZE orders, order_items");
            assertThat(Sql.one(ds, "SELECT count(*) FROM pg_class WHERE oid IN ('orders'::regclass, 'order_items'::regclass) "
                    + "AND reltuples = 0 AND relpages > 0")).isEqualTo(2L);

            long t1 = System.nanoTime();
            IngestStep.Result r = ingest.load(onlineRetail(work.resolve("second/online_retail.csv"), 60, 60), work.resolve("second/issues"));
            double secondSeconds = (System.nanoTime() - t1) / 1e9;

            assertThat(r.loaded()).isGreaterThan(20_000);
            System.out.printf("first load after a killed first load: first %.1f s, second %.1f s%n", firstSeconds, secondSeconds);
            assertThat(secondSeconds).as("first load took %.1f s", firstSeconds).isLessThan(Math.max(15, 3 * firstSeconds));
        }
    }

    /** The UCI slice repeated copies times from copy `from`, each copy with its own invoice numbers. */
    static Path onlineRetail(Path out, int from, int copies) throws Exception {
        List<String> slice = Files.readAllLines(Path.of("src/test/resources/datasets/online_retail_slice.csv"), StandardCharsets.UTF_8);
        Files.createDirectories(out.getParent());
        try (var wr = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            wr.write(slice.get(0) + "\n");
            for (int k = from; k < from + copies; k++) {
                for (String line : slice.subList(1, slice.size())) {
                    if (line.isBlank()) continue;
                    int comma = line.indexOf(',');
                    String inv = line.substring(0, comma);
                    boolean credit = inv.startsWith("C");
                    long num = Long.parseLong(credit ? inv.substring(1) : inv) + k * 1_000_000L;
                    wr.write((credit ? "C" : "") + num + line.substring(comma) + "\n");
                }
            }
        }
        return out;
    }
}
