package io.ecombi.ingest;

import io.ecombi.EcombiRuntime;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Broken files of the kinds real exports bring (issue 11.6-11.11 and "Smaller"): bad numbers, other
 * encodings, copies, future dates, re-sent orders with a bad line, quoted line breaks, empty or
 * truncated files. Each is a small file made here; nothing a user gave disappears silently.
 */
class BadInputTest {
    static final String UCI = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n";

    @TempDir
    Path work;

    EcombiRuntime start() throws Exception {
        return TestRuntime.start(TestRuntime.overrides(TestDatabase.newDatabase(), work));
    }

    Path write(String name, String text) throws Exception {
        Path p = work.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    static String issues(Path base, String kind) throws Exception {
        return Files.readString(base.resolveSibling(base.getFileName() + (kind.equals("rejected") ? ".rejects.csv" : ".set-aside.csv")));
    }

    @Test
    void nanInfinityExponentsAndOverflowAreRejectedRowsWithLineColumnAndReason() throws Exception {
        Path file = write("prices.csv", UCI + """
                600001,85123A,WHITE HANGING HEART,6,2011-01-05 08:26:00,2.55,17850.0,United Kingdom
                600002,71053,WHITE METAL LANTERN,6,2011-01-05 08:26:00,NaN,17850.0,United Kingdom
                600003,71053,WHITE METAL LANTERN,6,2011-01-05 08:26:00,Infinity,17850.0,United Kingdom
                600004,71053,WHITE METAL LANTERN,1e3,2011-01-05 08:26:00,3.39,17850.0,United Kingdom
                600005,71053,WHITE METAL LANTERN,6,2011-01-05 08:26:00,1e3,17850.0,United Kingdom
                600006,71053,WHITE METAL LANTERN,6,2011-01-05 08:26:00,12345678901.23,17850.0,United Kingdom
                600007,71053,WHITE METAL LANTERN,99999999999,2011-01-05 08:26:00,3.39,17850.0,United Kingdom
                """);
        try (EcombiRuntime rt = start()) {
            DataSource ds = rt.database().dataSource();
            IngestStep.Result r = new IngestStep(ds, rt.settings()).load(file, work.resolve("out/prices.csv"));
            assertThat(r.loaded()).isEqualTo(1);
            assertThat(r.rejected()).isEqualTo(6);
            List<String> lines = issues(work.resolve("out/prices.csv"), "rejected").lines().skip(1).toList();
            assertThat(lines).hasSize(6);
            assertThat(lines.get(0)).startsWith("3,\"UnitPrice 'NaN' is not a plain decimal number").contains("InvoiceNo 600002");
            assertThat(lines.get(1)).startsWith("4,\"UnitPrice 'Infinity' is not a plain decimal number");
            assertThat(lines.get(2)).startsWith("5,\"Quantity '1e3' is not a whole number");
            assertThat(lines.get(3)).startsWith("6,\"UnitPrice '1e3' is not a plain decimal number");
            assertThat(lines.get(4)).startsWith("7,\"UnitPrice '12345678901.23' is out of range (more than 10 digits before the decimal point)");
            assertThat(lines.get(5)).startsWith("8,\"Quantity '99999999999' is out of range");
            assertThat(dec(Sql.one(ds, "SELECT sum(quantity * unit_price) FROM order_items"))).isEqualByComparingTo("15.30");
        }
    }

    @Test
    void aLatin1FileIsReadAsLatin1AndSaysSoAndAnUndecidableOneIsRefused() throws Exception {
        Path latin1 = work.resolve("latin1.csv");
        StringBuilder text = new StringBuilder(UCI);
        // enough text for the detector to be sure, as a real export would have
        String[] names = {"CAFÉ CRÈME £ MUG", "PÂTISSERIE BOÎTE", "CRÊPE PAN SÉRIE", "NOËL CANDLE À LA CRÈME", "THÉ GLACÉ CARAFE"};
        for (int i = 0; i < 40; i++) {
            text.append(700000 + i).append(",2").append(String.format("%04d", i % 5)).append(',').append(names[i % 5]).append(",2,2011-02-0").append(1 + i % 9)
                    .append(" 10:00:00,4.95,12345.0,France\n");
        }
        Files.write(latin1, text.toString().getBytes(StandardCharsets.ISO_8859_1));
        // bytes that are neither UTF-8 nor text in any single-byte code page the detector knows
        Path binary = work.resolve("binary.csv");
        byte[] junk = new byte[4000];
        new java.util.Random(7).nextBytes(junk);
        try (OutputStream out = Files.newOutputStream(binary)) {
            out.write(UCI.getBytes(StandardCharsets.US_ASCII));
            out.write(junk);
        }
        try (EcombiRuntime rt = start()) {
            DataSource ds = rt.database().dataSource();
            IngestStep step = new IngestStep(ds, rt.settings());
            IngestStep.Result r = step.load(latin1, work.resolve("out/latin1.csv"));
            assertThat(r.loaded()).isEqualTo(40);
            assertThat(Sql.one(ds, "SELECT product_name FROM products WHERE product_name LIKE 'CAF%'")).isEqualTo("CAFÉ CRÈME £ MUG");
            assertThat(Sql.one(ds, "SELECT count(*) FROM products WHERE product_name LIKE '%\uFFFD%'")).isEqualTo(0L);
            assertThat((String) Sql.one(ds, "SELECT encoding FROM ingest.files WHERE file_id = ?", r.fileId())).matches("(ISO-8859-1|WINDOWS-1252|windows-1252) \\(detected\\)");

            assertThatThrownBy(() -> step.load(binary, work.resolve("out/binary.csv"))).hasMessageStartingWith("binary.csv: ")
                    .hasMessageContaining("save it as UTF-8");
            assertThat(Sql.one(ds, "SELECT status FROM ingest.files WHERE file_name = 'binary.csv'")).isEqualTo("failed");
        }
    }

    @Test
    void aByteOrderMarkAndUsDatesLoadLikeTheirPlainForms() throws Exception {
        Path bom = work.resolve("bom.csv");
        Files.write(bom, ("\uFEFF" + UCI + "600100,85123A,WHITE HANGING HEART,6,1/5/2011 8:26,2.55,17850.0,United Kingdom\n"
                + "600101,85123A,WHITE HANGING HEART,2,12/31/2010 23:59,2.55,17850.0,United Kingdom\n"
                + "600102,85123A,WHITE HANGING HEART,2,2/30/2011 10:00,2.55,17850.0,United Kingdom\n").getBytes(StandardCharsets.UTF_8));
        try (EcombiRuntime rt = start()) {
            DataSource ds = rt.database().dataSource();
            IngestStep.Result r = new IngestStep(ds, rt.settings()).load(bom, work.resolve("out/bom.csv"));
            assertThat(r.format()).isEqualTo("online_retail");
            assertThat(r.loaded()).isEqualTo(2);
            assertThat(issues(work.resolve("out/bom.csv"), "rejected")).contains("InvoiceDate '2/30/2011 10:00' is not a date");
            assertThat(Sql.rows(ds, "SELECT order_date::text AS d FROM orders ORDER BY 1")).extracting(m -> m.get("d")).containsExactly("2010-12-31", "2011-01-05");
            assertThat(Sql.one(ds, "SELECT encoding FROM ingest.files WHERE file_id = ?", r.fileId())).isEqualTo("UTF-8 (byte-order mark)");
        }
    }

    @Test
    void futureLinesAreRejectedWithTheInvoiceAndAnOrderIsOnlyReplacedByAWholeNewerVersion() throws Exception {
        Path slice = Path.of("src/test/resources/datasets/online_retail_slice.csv");
        try (EcombiRuntime rt = start()) {
            DataSource ds = rt.database().dataSource();
            IngestStep step = new IngestStep(ds, rt.settings());
            step.load(slice, work.resolve("out/slice.csv"));
            String before = "SELECT count(*) || ' lines, ' || sum(i.quantity * i.unit_price) FROM order_items i JOIN ingest.key_map k ON k.id = i.order_id AND k.entity = 'order' WHERE k.external_id = ?";
            assertThat(Sql.one(ds, before, "536367")).isEqualTo("12 lines, 278.73");

            // the same invoice re-sent: two lines dated in the future, one price unreadable, the rest fine
            List<String> lines = Files.readAllLines(slice).stream().filter(l -> l.startsWith("536367,")).toList();
            StringBuilder resent = new StringBuilder(UCI);
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i);
                if (i == 3 || i == 4) l = l.replace("2010-12-01 08:34:00", "2099-12-01 08:34:00");
                if (i == 7) l = l.replace(",9.95,", ",NaN,");
                resent.append(l).append('\n');
            }
            resent.append("600200,85123A,WHITE HANGING HEART,6,2099-01-05 08:26:00,2.55,17850.0,United Kingdom\n");
            resent.append("600201,85123A,WHITE HANGING HEART,6,2011-01-05 08:26:00,2.55,17850.0,United Kingdom\n");
            Path file = write("resent.csv", resent.toString());
            IngestStep.Result r = step.load(file, work.resolve("out/resent.csv"));

            assertThat(r.loaded()).isEqualTo(1);
            assertThat(r.rejected()).isEqualTo(13);
            assertThat(Sql.one(ds, before, "536367")).isEqualTo("12 lines, 278.73");
            String rejects = issues(work.resolve("out/resent.csv"), "rejected");
            assertThat(rejects).contains("5,\"InvoiceDate 2099-12-01 08:34:00 is after the load date").contains("(InvoiceNo 536367, StockCode 22749); invoice 536367 keeps its earlier version")
                    .contains("9,\"UnitPrice 'NaN' is not a plain decimal number")
                    .contains("2,\"InvoiceNo 536367 is not loaded because line 5 of the same invoice is rejected; invoice 536367 keeps its earlier version")
                    .contains("14,\"InvoiceDate 2099-01-05 08:26:00 is after the load date").contains("InvoiceNo 600200, StockCode 85123A); invoice 600200 is not loaded");
        }
    }

    /**
     * The UCI checks run only on lines holding a value that fails its check once per distinct value (or a blank
     * InvoiceNo / StockCode): every rule still names its line, also when the bad value's neighbours are good.
     */
    @Test
    void everyUciCheckStillFindsItsLineAmongGoodOnes() throws Exception {
        Path file = write("checks.csv", UCI + """
                600301,85123A,WHITE HANGING HEART,6,2011-01-05 08:26:00,2.55,17850.0,United Kingdom
                 ,85123A,WHITE HANGING HEART,6,2011-01-05 08:26:00,2.55,17850.0,United Kingdom
                600303, ,WHITE HANGING HEART,6,2011-01-05 08:26:00,2.55,17850.0,United Kingdom
                600304,85123A,WHITE HANGING HEART,6,2011-01-05 08:26:00,2.55,17850.x,United Kingdom
                600305,85123A,WHITE HANGING HEART,6,2011-01-05 08:26:00,2.55,1785000000000000,United Kingdom
                600306,85123A,WHITE HANGING HEART,6,2011-01-05 08:26:00,2.55, 17851 ,United Kingdom
                600307,85123A,WHITE HANGING HEART,2147483648,2011-01-05 08:26:00,2.55,17850.0,United Kingdom
                600308,85123A,WHITE HANGING HEART,6,2011-01-05 08:26:00,2.5.5,17850.0,United Kingdom
                600309,85123A,WHITE HANGING HEART,6,2011-02-30 08:26:00,2.55,17850.0,United Kingdom
                600310,85123A,WHITE HANGING HEART,6,2011-01-05 08:26:00,2.55,17850.0,United Kingdom
                """);
        try (EcombiRuntime rt = start()) {
            DataSource ds = rt.database().dataSource();
            IngestStep.Result r = new IngestStep(ds, rt.settings()).load(file, work.resolve("out/checks.csv"));
            // lines 2, 7 and 11 are good (line 7's CustomerID ' 17851 ' is a whole number with spaces); 3-6 and 8-10 are not
            assertThat(r.loaded()).isEqualTo(3);
            assertThat(r.rejected()).isEqualTo(7);
            assertThat(Sql.one(ds, "SELECT string_agg(external_id, ',' ORDER BY external_id) FROM ingest.key_map WHERE entity = 'order'")).isEqualTo("600301,600306,600310");
            assertThat(Sql.one(ds, "SELECT customer_id FROM orders o JOIN ingest.key_map k ON k.id = o.order_id WHERE k.external_id = '600306'")).isEqualTo(17851L);
            String rejects = issues(work.resolve("out/checks.csv"), "rejected");
            assertThat(rejects).contains("3,\"missing InvoiceNo (StockCode 85123A)")
                    .contains("4,\"missing StockCode (InvoiceNo 600303)")
                    .contains("5,\"CustomerID '17850.x' is not a whole number (InvoiceNo 600304)")
                    .contains("6,\"CustomerID '1785000000000000' is not a whole number (InvoiceNo 600305)")
                    .contains("8,\"Quantity '2147483648' is out of range")
                    .contains("9,\"UnitPrice '2.5.5' is not a plain decimal number")
                    .contains("10,\"InvoiceDate '2011-02-30 08:26:00' is not a date");
        }
    }

    @Test
    void nothingLoadedBecauseTheParentsAreMissingIsNotMarkedLoadedAndLoadsLater() throws Exception {
        Path olist = Path.of("src/test/resources/datasets/olist");
        try (EcombiRuntime rt = start()) {
            DataSource ds = rt.database().dataSource();
            IngestStep step = new IngestStep(ds, rt.settings());
            assertThatThrownBy(() -> step.load(olist.resolve("order_items.csv"), work.resolve("out/a")))
                    .hasMessageStartingWith("order_items.csv: nothing loaded").hasMessageContaining("unknown order_id").hasMessageContaining("load the files it points to first");
            assertThat(Sql.one(ds, "SELECT status FROM ingest.files WHERE file_name = 'order_items.csv'")).isEqualTo("failed");
            Path payments = write("order_payments.csv", "order_id,payment_sequential,payment_type,payment_installments,payment_value\n"
                    + "e481f51cbdc54678b7cc49136f2d6af7,1,credit_card,1,18.12\n");
            assertThatThrownBy(() -> step.load(payments, work.resolve("out/p"))).hasMessageStartingWith("order_payments.csv: nothing loaded");
            for (String f : List.of("customers.csv", "products.csv", "orders.csv")) step.load(olist.resolve(f), work.resolve("out/" + f));
            IngestStep.Result r = step.load(olist.resolve("order_items.csv"), work.resolve("out/b"));
            assertThat(r.duplicate()).isFalse();
            assertThat(r.loaded()).isEqualTo(r.read());
        }
    }

    @Test
    void reportedLinesAreTheFilesOwnLinesWhenValuesHoldLineBreaks() throws Exception {
        Path file = write("multiline.csv", UCI
                + "600300,85123A,\"WHITE HANGING\nHEART\",6,2011-01-05 08:26:00,2.55,17850.0,United Kingdom\n"
                + "600300,85123A,\"A\nB\nC\",6,2011-01-05 08:26:00,2.55,17850.0,United Kingdom\n"
                + "600300,85123A,WHITE HANGING HEART,6,2011-01-05 08:26:00,abc,17850.0,United Kingdom\n"
                + "600301,85123A,WHITE HANGING HEART,6,2011-01-05 08:26:00,2.55,17850.0,United Kingdom\n");
        try (EcombiRuntime rt = start()) {
            IngestStep.Result r = new IngestStep(rt.database().dataSource(), rt.settings()).load(file, work.resolve("out/m.csv"));
            assertThat(r.rejected()).isEqualTo(3);   // the bad price on line 7, and its invoice is whole or nothing
            assertThat(issues(work.resolve("out/m.csv"), "rejected").lines().skip(1).map(l -> l.substring(0, l.indexOf(','))).toList()).containsExactly("2", "4", "7");
        }
    }

    @Test
    void errorsNameTheFileForEmptyTruncatedAndMalformedFiles() throws Exception {
        Path emptyGz = work.resolve("empty.csv.gz");
        Files.write(emptyGz, new byte[0]);
        Path truncated = work.resolve("cut.csv.gz");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(Files.readAllBytes(Path.of("src/test/resources/datasets/online_retail_slice.csv")));
        }
        byte[] all = bytes.toByteArray();
        Files.write(truncated, java.util.Arrays.copyOf(all, all.length / 2));
        Path malformed = write("quotes.csv", UCI + "600400,\"85123A\"X,WHITE,6,2011-01-05 08:26:00,2.55,17850.0,United Kingdom\n");
        Path empty = write("nothing.csv", "");
        try (EcombiRuntime rt = start()) {
            IngestStep step = new IngestStep(rt.database().dataSource(), rt.settings());
            assertThatThrownBy(() -> step.load(emptyGz, work.resolve("out/1"))).hasMessageStartingWith("empty.csv.gz: the .gz file is empty or cut short");
            assertThatThrownBy(() -> step.load(truncated, work.resolve("out/2"))).hasMessageStartingWith("cut.csv.gz: ");
            assertThatThrownBy(() -> step.load(malformed, work.resolve("out/3"))).hasMessageStartingWith("quotes.csv: cannot read it as CSV:").hasMessageContaining("line");
            assertThatThrownBy(() -> step.load(empty, work.resolve("out/4"))).hasMessageStartingWith("nothing.csv: the file is empty");
            assertThat(Sql.one(rt.database().dataSource(), "SELECT count(*) FROM ingest.files WHERE status = 'failed' AND error_text IS NOT NULL")).isEqualTo(4L);
        }
    }

    @Test
    void aFileWhoseLoadDoesNotReproduceItsTotalsFailsWithTheDifference() throws Exception {
        // a format whose merge loses a line (as a faulty edit of sql/ingest would): the reconciliation catches it
        Path sql = work.resolve("sql");
        Files.createDirectories(sql.resolve("ingest"));
        String script = Files.readString(Path.of("sql/ingest/online_retail.sql"));
        String lossy = script.replace("-- what the file holds, from its rows", "DELETE FROM order_items WHERE order_item_id = (SELECT max(order_item_id) FROM order_items);\n\n-- what the file holds, from its rows");
        assertThat(lossy).isNotEqualTo(script);
        Files.writeString(sql.resolve("ingest/online_retail.sql"), lossy);
        Map<String, String> o = TestRuntime.overrides(TestDatabase.newDatabase(), work);
        try (EcombiRuntime rt = TestRuntime.start(o)) {
            o.put("ecombi.sql.dir", sql.toString());
            IngestStep lossyStep = new IngestStep(rt.database().dataSource(), TestRuntime.settings(o));
            Path file = write("one.csv", UCI + "600500,85123A,WHITE HANGING HEART,6,2011-01-05 08:26:00,2.55,17850.0,United Kingdom\n"
                    + "600500,71053,WHITE METAL LANTERN,2,2011-01-05 08:26:00,3.39,17850.0,United Kingdom\n");
            assertThatThrownBy(() -> lossyStep.load(file, work.resolve("out/one.csv")))
                    .hasMessageStartingWith("one.csv: the loaded data does not reproduce the file's totals")
                    .hasMessageContaining("sales: file 22.08, loaded 15.30, difference -6.78").hasMessageContaining("order_lines: file 2, loaded 1");
            assertThat(Sql.one(rt.database().dataSource(), "SELECT count(*) FROM order_items")).isEqualTo(0L);
        }
    }

    @Test
    void theIngestChecksNeedNothingNewerThanPostgreSql14() throws Exception {
        // pg_input_is_valid exists from PostgreSQL 16 on: no format, no generated check, no live function may call it
        try (var files = Files.list(Path.of("sql/ingest"))) {
            for (Path f : files.toList()) assertThat(Files.readString(f)).as(f.toString()).doesNotContain("pg_input_is_valid");
        }
        try (EcombiRuntime rt = start(); var c = rt.database().dataSource().getConnection()) {
            assertThat(ShopTableMerge.script(c, "orders", List.of("order_id", "customer_id", "order_date", "order_status"))).doesNotContain("pg_input_is_valid");
            assertThat(Sql.one(rt.database().dataSource(), "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                    + "WHERE n.nspname = 'ingest' AND p.prosrc LIKE '%pg_input_is_valid%'")).isEqualTo(0L);
            assertThat(Sql.one(rt.database().dataSource(), "SELECT ingest.value_problem('NaN', 'numeric')")).asString().contains("not a plain decimal number");
            assertThat(Sql.one(rt.database().dataSource(), "SELECT ingest.value_problem('2025-02-29', 'date')")).asString().contains("is not a date");
            assertThat(Sql.one(rt.database().dataSource(), "SELECT ingest.value_problem('2147483648', 'integer')")).asString().contains("out of range");
        }
    }

    static BigDecimal dec(Object o) {
        return new BigDecimal(o.toString());
    }
}
