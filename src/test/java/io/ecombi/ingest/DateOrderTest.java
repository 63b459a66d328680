package io.ecombi.ingest;

import io.ecombi.Settings;
import io.ecombi.db.Database;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Dates with slashes in a Superstore-shaped file: 5/11/2026 is 5 November when the file is
 * day-first (a line with 25/11/2026 says so), 11 May when it is month-first (11/25/2026 says so).
 * Before, every such file was read month-first: the day-first file loaded 5 November as 11 May and
 * rejected 25/11 as "not a date". A file whose lines disagree, or that contradicts a format stating
 * its order, is refused with the lines that show it, and nothing of it is loaded.
 */
class DateOrderTest {
    private static final String HEADER = "Order ID,Order Date,Customer ID,Customer Name,Segment,Country,Product ID,Category,Sub-Category,Product Name,Sales,Quantity,Discount,Profit\n";

    @TempDir
    Path work;

    private static String line(String order, String date, String product) {
        return order + "," + date + ",C-1,Ann Example,Consumer,United Kingdom," + product + ",Furniture,Chairs,Chair " + product + ",100.00,1,0,20.00\n";
    }

    private Path file(String name, String... lines) throws Exception {
        Path f = work.resolve(name);
        Files.writeString(f, HEADER + String.join("", lines));
        return f;
    }

    private IngestStep.Result load(Map<String, String> extra, Path file) throws Exception {
        Map<String, String> o = TestRuntime.overrides(TestDatabase.newDatabase(), work);
        o.putAll(extra);
        Settings s = TestRuntime.settings(o);
        try (Database db = Database.open(s)) {
            try {
                return new IngestStep(db.dataSource(), s).load(file, work.resolve("issues").resolve(file.getFileName().toString()));
            } finally {
                loadedDates = String.valueOf(Sql.one(db.dataSource(), "SELECT coalesce(string_agg(order_id || '=' || order_date, ' ' ORDER BY order_id), '') FROM orders"));
            }
        }
    }

    private String loadedDates;

    @Test
    void aDayFirstFileIsReadDayFirstAsAWhole() throws Exception {
        IngestStep.Result r = load(Map.of(), file("day_first.csv", line("1", "5/11/2026", "P-1"), line("2", "25/11/2026", "P-2"), line("3", "1/2/2026", "P-3")));
        assertThat(r.loaded()).isEqualTo(3);
        assertThat(r.rejected()).isZero();
        // order ids are hashed keys: compare the dates as a set
        assertThat(loadedDates).contains("=2026-11-05").contains("=2026-11-25").contains("=2026-02-01").doesNotContain("2026-05-11");
    }

    @Test
    void aMonthFirstFileIsReadMonthFirst() throws Exception {
        IngestStep.Result r = load(Map.of(), file("month_first.csv", line("1", "5/11/2026", "P-1"), line("2", "11/25/2026", "P-2")));
        assertThat(r.loaded()).isEqualTo(2);
        assertThat(loadedDates).contains("=2026-05-11").contains("=2026-11-25");
    }

    @Test
    void aFileWhoseDatesCannotTellIsReadInTheFormatsFallbackOrder() throws Exception {
        load(Map.of(), file("unclear.csv", line("1", "5/11/2026", "P-1"), line("2", "12/1/2026", "P-2")));
        assertThat(loadedDates).contains("=2026-05-11").contains("=2026-12-01");
    }

    @Test
    void aFileWhoseLinesDisagreeIsRefusedNamingBothLines() throws Exception {
        Path f = file("mixed.csv", line("1", "5/11/2026", "P-1"), line("2", "25/11/2026", "P-2"), line("3", "11/25/2026", "P-3"));
        assertThatThrownBy(() -> load(Map.of(), f)).isInstanceOf(IngestStep.FileRefused.class)
                .hasMessageContaining("mixed.csv").hasMessageContaining("line 3 has 25/11/2026").hasMessageContaining("line 4 has 11/25/2026");
        assertThat(loadedDates).isEmpty();
    }

    /** A format added as a file alone, stating month-first: a day-first file contradicts it and is refused with the evidence. */
    @Test
    void aFileContradictingItsFormatsStatedOrderIsRefusedWithTheEvidence() throws Exception {
        Path sql = work.resolve("sql");
        Files.createDirectories(sql.resolve("ingest"));
        String superstore = Files.readString(Path.of("sql/ingest/superstore.sql"));
        Files.writeString(sql.resolve("ingest/us_orders.sql"), superstore.replace("-- format: superstore", "-- format: us_orders")
                .replace("-- date-order: by-file, else month-first", "-- date-order: month-first"));
        Path f = file("eu.csv", line("1", "5/11/2026", "P-1"), line("2", "25/11/2026", "P-2"), line("3", "30/11/2026", "P-3"));
        assertThatThrownBy(() -> load(Map.of("ecombi.sql.dir", sql.toString()), f)).isInstanceOf(IngestStep.FileRefused.class)
                .hasMessageContaining("eu.csv: order date is written day first (line 3: 25/11/2026, and 1 more lines")
                .hasMessageContaining("the format us_orders reads month first").hasMessageContaining("Nothing of the file was loaded");
        assertThat(loadedDates).isEmpty();
    }
}
