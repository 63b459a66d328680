package io.ecombi.ingest;

import io.ecombi.EcombiRuntime;
import io.ecombi.run.PipelineRun;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Reader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Real exports (slices of the shared data sets) through the ingest path, with the expected numbers
 * computed here from the raw CSV by the format's stated rules, not by ecombi's SQL.
 */
class IngestTest {
    static final Path DATA = Path.of("src/test/resources/datasets");

    @TempDir
    Path work;

    static List<CSVRecord> records(Path file) throws Exception {
        try (Reader r = Files.newBufferedReader(file)) {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
        }
    }

    EcombiRuntime start() throws Exception {
        return TestRuntime.start(TestRuntime.overrides(TestDatabase.newDatabase(), work));
    }

    IngestStep ingest(EcombiRuntime rt) {
        return new IngestStep(rt.database().dataSource(), rt.settings());
    }

    @Test
    void onlineRetailLoadsEveryRowAccountedForAndSaysCostIsUnknown() throws Exception {
        Path file = DATA.resolve("online_retail_slice.csv");
        // by the format's rules: guests are sales; C invoices are credit notes; copies of an earlier row are set aside
        List<CSVRecord> rows = records(file);
        Set<String> credit = new HashSet<>(), sale = new HashSet<>();
        Set<List<String>> seen = new HashSet<>();
        long zeroPrice = 0;
        BigDecimal copiesWorth = BigDecimal.ZERO;
        for (CSVRecord r : rows) {
            if (!seen.add(r.toList())) {
                copiesWorth = copiesWorth.add(new BigDecimal(r.get("Quantity")).multiply(new BigDecimal(r.get("UnitPrice"))));
                continue;
            }
            if (new BigDecimal(r.get("UnitPrice")).signum() == 0) { zeroPrice++; continue; }
            (r.get("InvoiceNo").startsWith("C") ? credit : sale).add(r.get("InvoiceNo"));
        }
        try (EcombiRuntime rt = start()) {
            IngestStep.Result r = ingest(rt).load(file, work.resolve("issues/slice.csv"));

            assertThat(r.format()).isEqualTo("online_retail");
            assertThat(r.read()).isEqualTo(rows.size());
            assertThat(r.loaded() + r.rejected() + r.setAside()).isEqualTo(r.read());
            assertThat(r.setAside()).isEqualTo(rows.size() - seen.size() + zeroPrice);
            var ds = rt.database().dataSource();
            assertThat(((Number) Sql.one(ds, "SELECT count(*) FROM orders WHERE order_kind = 'credit_note'")).intValue()).isEqualTo(credit.size());
            assertThat(((Number) Sql.one(ds, "SELECT count(*) FROM orders WHERE order_kind = 'sale'")).intValue()).isEqualTo(sale.size());
            assertThat(Sql.one(ds, "SELECT customer_id FROM customers WHERE customer_id = 17850")).isEqualTo(17850L);   // from 17850.0

            PipelineRun run = EcombiRuntime.runOf(rt.runOnce("test", LocalDate.of(2010, 12, 31)));
            // the format states its currency: the report's money is in pounds
            assertThat(run.kpi("data_scope").value(0, "currency")).isEqualTo("GBP");
            String page = Files.readString(run.dir().resolve("index.html"));
            assertThat(page).contains("<div class=\"value\">£");
            // the page's top says where its data came from, every row accounted for, and why rows were set aside
            org.jsoup.select.Elements sources = org.jsoup.Jsoup.parse(page).select("details.sources");
            long copies = rows.size() - seen.size();
            assertThat(sources.select("summary").text()).isEqualTo(String.format(java.util.Locale.US,
                    "Data from 1 file: online_retail_slice.csv (%d of %d rows loaded, %d set aside)", r.loaded(), rows.size(), copies + zeroPrice));
            assertThat(sources.select("li")).extracting(org.jsoup.nodes.Element::text).contains(
                    String.format(java.util.Locale.US, "set aside: exact duplicate of line N — %d rows, worth %s£%.2f (quantity × unit price)",
                            copies, copiesWorth.signum() < 0 ? "-" : "", copiesWorth.abs()),
                    String.format(java.util.Locale.US, "set aside: zero UnitPrice — %d row%s, worth £0.00 (quantity × unit price)", zeroPrice, zeroPrice == 1 ? "" : "s"));
            assertThat(Files.readAllLines(run.dir().resolve(sources.select("a").attr("href")))).hasSize(1 + (int) (copies + zeroPrice));
            // no cost column: margins are not available, and the report says how much revenue has a cost
            assertThat(run.kpi("category_margins").value(0, "margin_pct")).isNull();
            assertThat((BigDecimal) run.kpi("category_margins").value(0, "cost_coverage_pct")).isEqualByComparingTo("0");
        }
    }

    @Test
    void olistFilesDroppedTogetherLoadInOrderAndTheirRevenueMatches() throws Exception {
        Path olist = DATA.resolve("olist");
        List<CSVRecord> orders = records(olist.resolve("orders.csv"));
        Set<String> completed = new HashSet<>();
        for (CSVRecord o : orders) if (!Set.of("canceled", "unavailable").contains(o.get("order_status"))) completed.add(o.get("order_id"));
        double revenue = records(olist.resolve("order_items.csv")).stream().filter(i -> completed.contains(i.get("order_id")))
                .mapToDouble(i -> Double.parseDouble(i.get("price"))).sum();
        Map<String, String> o = TestRuntime.overrides(TestDatabase.newDatabase(), work);
        o.put("ecombi.triggers.enabled", "true");
        o.put("ecombi.ingest.run-after-load", "false");
        o.put("ecombi.schedule.cron", "0 0 6 1 1 ? 2099");
        try (EcombiRuntime rt = TestRuntime.start(o)) {
            Path drop = work.resolve("inbox/data");
            // written elsewhere and moved in, as a careful user (or a sync tool) does
            Path staging = Files.createDirectories(work.resolve("staging"));
            for (String f : List.of("order_items.csv", "orders.csv", "products.csv", "customers.csv", "product_category_name_translation.csv")) {
                Files.copy(olist.resolve(f), staging.resolve(f));
            }
            for (Path p : Files.list(staging).toList()) Files.move(p, drop.resolve(p.getFileName()));
            TriggersTest.await(() -> TriggersTest.files(drop.resolve("done")).stream().filter(f -> f.endsWith(".csv") && !f.contains(".rejects") && !f.contains(".set-aside")).count() == 5);

            var ds = rt.database().dataSource();
            assertThat(TriggersTest.files(drop.resolve("done"))).filteredOn(f -> f.endsWith("orders.csv")).allMatch(f -> f.matches("\\d{8}-\\d{6}-\\d{3}-(orders|order_items)\\.csv"));
            assertThat(Sql.one(ds, "SELECT count(*) FROM ingest.files WHERE status = 'loaded' AND rows_rejected = 0")).isEqualTo(5L);
            assertThat(((BigDecimal) Sql.one(ds, "SELECT sum(i.quantity * i.unit_price) FROM order_items i JOIN orders o USING (order_id) WHERE o.order_status = 'Completed'"))
                    .doubleValue()).isCloseTo(revenue, within(0.001));
            // the person, not Olist's per-order id, is the customer; categories are in English
            assertThat(((Number) Sql.one(ds, "SELECT count(*) FROM customers")).longValue())
                    .isEqualTo(records(olist.resolve("customers.csv")).stream().map(r -> r.get("customer_unique_id")).distinct().count());
            Set<String> english = new HashSet<>();
            for (CSVRecord t : records(olist.resolve("product_category_name_translation.csv"))) english.add(t.get("product_category_name_english"));
            assertThat(Sql.rows(ds, "SELECT DISTINCT category FROM products WHERE category IS NOT NULL")).extracting(m -> (String) m.get("category"))
                    .isNotEmpty().allMatch(english::contains);
        }
    }

    @Test
    void badRowsOfEveryKindAreRejectedWithTheirReasonAndTheRestLoads() throws Exception {
        try (EcombiRuntime rt = start()) {
            Sql.exec(rt.database().dataSource(), "INSERT INTO customers (customer_id, registration_date) VALUES (1, '2025-01-01'), (2, '2025-01-01')");
            Path file = work.resolve("orders.csv");
            Files.writeString(file, """
                    order_id,customer_id,order_date,order_status,shipping_cost,discount_amount,payment_method
                    10,1,2025-02-01,Completed,5.00,0,Card
                    11,1,2025-02-30,Completed,5.00,0,Card
                    12,99,2025-02-02,Completed,5.00,0,Card
                    13,2,2025-02-03,Shipped,5.00,0,Card
                    14,2,2025-02-04,Completed,-5.00,0,Card
                    ,2,2025-02-05,Completed,0,0,Card
                    15,2,2025-02-06,Completed,abc,0,Card
                    16,2,2025-02-07,Completed,0,0
                    17,2,2025-02-08,Returned,0,0,"Gift, card"
                    17,2,2025-02-09,Returned,0,0,Gift card
                    """);
            IngestStep.Result r = ingest(rt).load(file, work.resolve("done/orders.csv"));

            assertThat(r.format()).isEqualTo("table orders");
            assertThat(r.read()).isEqualTo(10);
            assertThat(r.loaded()).isEqualTo(2);      // 10 and the last 17
            assertThat(r.rejected()).isEqualTo(8);
            assertThat(r.loaded() + r.rejected() + r.setAside()).isEqualTo(r.read());
            String rejects = Files.readString(work.resolve("done/orders.csv.rejects.csv"));
            assertThat(rejects.lines().skip(1).map(l -> l.substring(0, l.indexOf(','))).toList())
                    .containsExactly("3", "4", "5", "6", "7", "8", "9", "10");
            assertThat(rejects).contains("order_date '2025-02-30' is not a date (YYYY-MM-DD)")
                    .contains("unknown customer_id 99 (not in customers)")
                    .contains("order_status 'Shipped' is not one of Completed/Cancelled/Returned")
                    .contains("negative shipping_cost -5.00")
                    .contains("missing order_id")
                    .contains("shipping_cost 'abc' is not a plain decimal number")
                    .contains("expected 7 fields, found 6")
                    .contains("order_id 17 appears again on a later line");
            assertThat(Sql.one(rt.database().dataSource(), "SELECT order_date FROM orders WHERE order_id = 17").toString()).isEqualTo("2025-02-09");
            assertThat(Sql.one(rt.database().dataSource(), "SELECT count(*) FROM ingest.row_issues WHERE file_id = ?", r.fileId())).isEqualTo(8L);
        }
    }

    @Test
    void theSameFileTwiceLoadsOnceAndANewerExportUpdatesItsOrders() throws Exception {
        try (EcombiRuntime rt = start()) {
            Path file = DATA.resolve("superstore_slice.csv");
            IngestStep step = ingest(rt);
            step.load(file, work.resolve("a/x"));
            Object lines = Sql.one(rt.database().dataSource(), "SELECT count(*) FROM order_items");

            IngestStep.Result again = step.load(file, work.resolve("b/x"));

            assertThat(again.duplicate()).isTrue();
            assertThat(Sql.one(rt.database().dataSource(), "SELECT count(*) FROM order_items")).isEqualTo(lines);
            // the same orders with one quantity changed: updated in place, not added
            Path newer = work.resolve("superstore_newer.csv");
            Files.writeString(newer, Files.readString(file).replaceFirst("261\\.96,2,0,41\\.9136", "392.94,3,0,62.8704"));
            IngestStep.Result updated = step.load(newer, work.resolve("c/x"));
            assertThat(updated.duplicate()).isFalse();
            assertThat(Sql.one(rt.database().dataSource(), "SELECT count(*) FROM order_items")).isEqualTo(lines);
            assertThat(Sql.one(rt.database().dataSource(), "SELECT sum(quantity) FROM order_items")).isEqualTo(
                    records(file).stream().mapToLong(x -> Long.parseLong(x.get("Quantity"))).sum() + 1);
        }
    }

    @Test
    void aFileWithAnUnknownHeaderGoesToFailedWithTheExpectedHeaders() throws Exception {
        Map<String, String> o = TestRuntime.overrides(TestDatabase.newDatabase(), work);
        o.put("ecombi.triggers.enabled", "true");
        o.put("ecombi.schedule.cron", "0 0 6 1 1 ? 2099");
        try (EcombiRuntime rt = TestRuntime.start(o)) {
            Path drop = work.resolve("inbox/data");
            Path tmp = work.resolve("sales.csv");
            Files.writeString(tmp, "when,what,how much\n2025-01-01,tea,3\n");
            Files.move(tmp, drop.resolve("sales.csv"));

            // the error file is written first, then the file is moved
            TriggersTest.await(() -> TriggersTest.files(drop.resolve("failed")).stream().anyMatch(f -> f.endsWith("-sales.csv.error.txt"))
                    && TriggersTest.files(drop.resolve("failed")).stream().anyMatch(f -> f.endsWith("-sales.csv")));

            List<String> failed = TriggersTest.files(drop.resolve("failed"));
            assertThat(failed).anyMatch(f -> f.matches("\\d{8}-\\d{6}-\\d{3}-sales\\.csv"));
            String error = Files.readString(drop.resolve("failed").resolve(failed.stream().filter(f -> f.endsWith(".error.txt")).findFirst().orElseThrow()));
            assertThat(error).contains("is not a known format").contains("online_retail: [invoice_no, stock_code").contains("superstore:")
                    .contains("named <table>.csv");
            assertThat(Sql.one(rt.database().dataSource(), "SELECT status FROM ingest.files WHERE file_name = 'sales.csv'")).isEqualTo("failed");
        }
    }

}
