package io.ecombi.ingest;

import io.ecombi.EcombiRuntime;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a sale is, for each format (issue 11.2, 19.2, 11.1): credit notes, guest sales, non-product
 * stock codes, line discounts at full precision, freight, the country of an order, and the totals
 * each file must reproduce. Expected figures are computed here from the raw CSV with BigDecimal,
 * by the rules the format files state, not by ecombi's SQL.
 */
class SalesMappingTest {
    static final Path DATA = Path.of("src/test/resources/datasets");
    static final Set<String> SHIPPING = Set.of("POST", "DOT", "C2");
    static final Set<String> FEES = Set.of("S", "B", "BANK CHARGES", "AMAZONFEE", "CRUK");

    @TempDir
    Path work;

    EcombiRuntime start() throws Exception {
        return TestRuntime.start(TestRuntime.overrides(TestDatabase.newDatabase(), work));
    }

    static BigDecimal dec(Object o) {
        return o == null ? null : new BigDecimal(o.toString());
    }

    @Test
    void uciCreditNotesGuestSalesShippingDiscountsAndFeesAreMappedAndReconciled() throws Exception {
        Path file = DATA.resolve("online_retail_mapping.csv");
        List<CSVRecord> rows = IngestTest.records(file);
        // the stated rules, applied to the raw rows
        BigDecimal sales = BigDecimal.ZERO, credits = BigDecimal.ZERO, shipping = BigDecimal.ZERO, discounts = BigDecimal.ZERO, guestSales = BigDecimal.ZERO;
        Set<List<String>> seen = new HashSet<>();
        Set<String> saleInvoices = new HashSet<>(), creditInvoices = new HashSet<>();
        Map<String, String> countryOf = new HashMap<>();
        int duplicates = 0, fees = 0;
        for (CSVRecord r : rows) {
            if (!seen.add(r.toList())) { duplicates++; continue; }
            String inv = r.get("InvoiceNo"), code = r.get("StockCode").toUpperCase();
            boolean credit = inv.startsWith("C");
            int q = Integer.parseInt(r.get("Quantity"));
            BigDecimal p = new BigDecimal(r.get("UnitPrice")), v = p.multiply(BigDecimal.valueOf(q));
            if (FEES.contains(code)) { fees++; continue; }
            if (p.signum() <= 0 || (!credit && q <= 0)) continue;
            (credit ? creditInvoices : saleInvoices).add(inv);
            countryOf.put(inv, r.get("Country"));
            if (SHIPPING.contains(code)) shipping = shipping.add(v);
            else if (code.equals("D")) discounts = discounts.add(v);
            else if (credit) credits = credits.add(v);
            else {
                sales = sales.add(v);
                if (r.get("CustomerID").isBlank()) guestSales = guestSales.add(v);
            }
        }
        assertThat(duplicates).isPositive();
        assertThat(fees).isPositive();
        assertThat(guestSales.signum()).isPositive();
        assertThat(shipping.signum()).isPositive();
        assertThat(discounts.signum()).isNegative();

        try (EcombiRuntime rt = start()) {
            DataSource ds = rt.database().dataSource();
            IngestStep.Result r = new IngestStep(ds, rt.settings()).load(file, work.resolve("issues/uci.csv"));
            assertThat(r.read()).isEqualTo(rows.size());
            assertThat(r.loaded() + r.rejected() + r.setAside()).isEqualTo(r.read());
            assertThat(r.rejected()).isZero();

            // revenue of product lines: sales minus credit notes, each order signed by its kind
            Map<String, Object> t = Sql.rows(ds, """
                    SELECT sum(i.quantity * i.unit_price) FILTER (WHERE o.order_kind = 'sale') AS sales,
                           sum(i.quantity * i.unit_price) FILTER (WHERE o.order_kind = 'credit_note') AS credits,
                           sum(i.quantity * i.unit_price) FILTER (WHERE o.order_kind = 'sale' AND o.customer_id IS NULL) AS guest_sales
                    FROM orders o JOIN order_items i USING (order_id)""").get(0);
            assertThat(dec(t.get("sales"))).isEqualByComparingTo(sales);
            assertThat(dec(t.get("credits"))).isEqualByComparingTo(credits.negate());
            assertThat(dec(t.get("guest_sales"))).isEqualByComparingTo(guestSales);
            assertThat(dec(Sql.one(ds, "SELECT sum(CASE WHEN order_kind = 'credit_note' THEN -shipping_cost ELSE shipping_cost END) FROM orders"))).isEqualByComparingTo(shipping);
            assertThat(dec(Sql.one(ds, "SELECT sum(CASE WHEN order_kind = 'credit_note' THEN discount_amount ELSE -discount_amount END) FROM orders"))).isEqualByComparingTo(discounts);
            // every order is a completed sale or credit note with its country; C invoices keep customer, products and country
            assertThat(Sql.one(ds, "SELECT count(*) FROM orders WHERE order_kind = 'sale'")).isEqualTo((long) saleInvoices.size());
            assertThat(Sql.one(ds, "SELECT count(*) FROM orders WHERE order_kind = 'credit_note'")).isEqualTo((long) creditInvoices.size());
            assertThat(Sql.one(ds, "SELECT count(*) FROM orders WHERE order_status <> 'Completed' OR ship_country IS NULL")).isEqualTo(0L);
            assertThat(Sql.one(ds, "SELECT o.ship_country FROM orders o JOIN ingest.key_map k ON k.id = o.order_id AND k.entity = 'order' WHERE k.external_id = '536370'"))
                    .isEqualTo(countryOf.get("536370")).isEqualTo("France");
            Map<String, Object> c = Sql.rows(ds, """
                    SELECT o.customer_id, o.order_kind, p.product_name, i.quantity, i.unit_price
                    FROM orders o JOIN ingest.key_map k ON k.id = o.order_id AND k.entity = 'order' AND k.external_id = 'C581484'
                    JOIN order_items i USING (order_id) JOIN products p USING (product_id)""").get(0);
            assertThat(c).containsEntry("customer_id", 16446L).containsEntry("order_kind", "credit_note").containsEntry("product_name", "PAPER CRAFT , LITTLE BIRDIE")
                    .containsEntry("quantity", 80995);
            // no shipping or discount code became a product; fees are set aside naming the code; copies name the first line
            assertThat(Sql.one(ds, "SELECT count(*) FROM ingest.key_map WHERE entity = 'product' AND external_id IN ('POST', 'DOT', 'C2', 'D', 'AMAZONFEE', 'BANK CHARGES')")).isEqualTo(0L);
            String setAside = Files.readString(work.resolve("issues/uci.csv.set-aside.csv"));
            assertThat(setAside).contains("StockCode AMAZONFEE (AMAZON FEE) is a fee or adjustment, not a product sale")
                    .contains("StockCode BANK CHARGES").doesNotContain("StockCode M (Manual)").containsPattern("exact duplicate of line \\d+");
            assertThat(setAside).doesNotContain("no CustomerID");

            // reconciliation recorded: the file's totals and the shop tables' agree, in GBP
            Map<String, Object> f = Sql.rows(ds, "SELECT currency, source_totals::text AS s, loaded_totals::text AS l FROM ingest.files WHERE file_id = ?", r.fileId()).get(0);
            assertThat(f.get("currency")).isEqualTo("GBP");
            var json = new com.fasterxml.jackson.databind.ObjectMapper();
            var src = json.readTree((String) f.get("s"));
            var loaded = json.readTree((String) f.get("l"));
            assertThat(src.get("sales").decimalValue()).isEqualByComparingTo(sales);
            assertThat(src.get("credit_notes").decimalValue()).isEqualByComparingTo(credits);
            assertThat(loaded.get("sales").decimalValue()).isEqualByComparingTo(sales);
            assertThat(loaded.get("credit_notes").decimalValue()).isEqualByComparingTo(credits);
            assertThat(loaded.get("shipping").decimalValue()).isEqualByComparingTo(shipping);
            assertThat(loaded.get("discounts").decimalValue()).isEqualByComparingTo(discounts);
            assertThat(loaded.get("sales_without_customer").decimalValue()).isEqualByComparingTo(guestSales);
            assertThat(Sql.one(ds, "SELECT count(*) FROM ingest.key_map WHERE entity = 'order' AND last_file_id = ?", r.fileId()))
                    .isEqualTo((long) saleInvoices.size() + creditInvoices.size());
        }
    }

    @Test
    void superstoreKeepsLineDiscountsAndFullPrecisionSoSalesAndProfitReproduceToTheCent() throws Exception {
        Path file = DATA.resolve("superstore_slice.csv");
        List<CSVRecord> rows = IngestTest.records(file);
        BigDecimal sales = BigDecimal.ZERO, profit = BigDecimal.ZERO, furnitureSales = BigDecimal.ZERO;
        for (CSVRecord r : rows) {
            sales = sales.add(new BigDecimal(r.get("Sales")));
            profit = profit.add(new BigDecimal(r.get("Profit")));
            if (r.get("Category").equals("Furniture")) furnitureSales = furnitureSales.add(new BigDecimal(r.get("Sales")));
        }
        // per Region, from the file: what the orders' ship_region must reproduce
        Map<String, BigDecimal> regionSales = new HashMap<>();
        Map<String, Set<String>> regionOrders = new HashMap<>();
        for (CSVRecord r : rows) {
            regionSales.merge(r.get("Region"), new BigDecimal(r.get("Sales")), BigDecimal::add);
            regionOrders.computeIfAbsent(r.get("Region"), k -> new HashSet<>()).add(r.get("Order ID"));
        }
        try (EcombiRuntime rt = start()) {
            DataSource ds = rt.database().dataSource();
            IngestStep.Result r = new IngestStep(ds, rt.settings()).load(file, work.resolve("issues/ss.csv"));
            assertThat(r.loaded()).isEqualTo(rows.size());
            Map<String, Object> t = Sql.rows(ds, """
                    SELECT sum(quantity * unit_price - discount_amount) AS net, sum(quantity * unit_price - discount_amount - quantity * unit_cost) AS profit,
                           (SELECT sum(discount_amount) FROM orders) AS order_discounts, (SELECT count(*) FROM orders WHERE ship_country = 'United States') AS us_orders,
                           (SELECT count(*) FROM orders) AS orders
                    FROM order_items""").get(0);
            assertThat(dec(t.get("net")).setScale(2, java.math.RoundingMode.HALF_UP)).isEqualByComparingTo(sales.setScale(2, java.math.RoundingMode.HALF_UP));
            assertThat(dec(t.get("profit")).setScale(2, java.math.RoundingMode.HALF_UP)).isEqualByComparingTo(profit.setScale(2, java.math.RoundingMode.HALF_UP));
            assertThat(dec(t.get("order_discounts"))).isEqualByComparingTo("0");
            assertThat(t.get("us_orders")).isEqualTo(t.get("orders"));
            // a discounted line: Sales 22.368 at 20% off, quantity 2 -> list price 13.98, line discount 5.592
            Map<String, Object> line = Sql.rows(ds, """
                    SELECT i.unit_price, i.discount_amount, i.unit_cost FROM order_items i JOIN ingest.key_map k ON k.id = i.product_id AND k.entity = 'product'
                    WHERE k.external_id = 'OFF-ST-10000760' AND i.quantity = 2""").get(0);
            assertThat(dec(line.get("unit_price"))).isEqualByComparingTo("13.98");
            assertThat(dec(line.get("discount_amount"))).isEqualByComparingTo("5.592");
            assertThat(dec(line.get("unit_cost"))).isEqualByComparingTo(new BigDecimal("22.368").subtract(new BigDecimal("2.5164")).divide(BigDecimal.valueOf(2)));
            var loaded = new com.fasterxml.jackson.databind.ObjectMapper().readTree((String) Sql.one(ds, "SELECT loaded_totals::text FROM ingest.files WHERE file_id = ?", r.fileId()));
            assertThat(loaded.get("by_category").get("Furniture").get("sales").decimalValue()).isEqualByComparingTo(furnitureSales);
            assertThat(Sql.one(ds, "SELECT currency FROM ingest.files WHERE file_id = ?", r.fileId())).isEqualTo("USD");
            // Region, State and City are the order's: line 2 of the file, CA-2016-152156 to Henderson, Kentucky (South)
            Map<String, Object> first = Sql.rows(ds, """
                    SELECT o.ship_region, o.ship_state, o.ship_city FROM orders o JOIN ingest.key_map k ON k.id = o.order_id AND k.entity = 'order'
                    WHERE k.external_id = 'CA-2016-152156'""").get(0);
            assertThat(first).containsEntry("ship_region", "South").containsEntry("ship_state", "Kentucky").containsEntry("ship_city", "Henderson");
            assertThat(Sql.one(ds, "SELECT count(*) FROM orders WHERE ship_region IS NULL OR ship_state IS NULL")).isEqualTo(0L);
            assertThat(regionSales).hasSizeGreaterThan(1);
            for (Map.Entry<String, BigDecimal> e : regionSales.entrySet()) {
                assertThat(dec(Sql.one(ds, "SELECT sum(i.quantity * i.unit_price - i.discount_amount) FROM order_items i JOIN orders o USING (order_id) WHERE o.ship_region = ?", e.getKey()))
                        .setScale(2, java.math.RoundingMode.HALF_UP)).as(e.getKey()).isEqualByComparingTo(e.getValue().setScale(2, java.math.RoundingMode.HALF_UP));
                assertThat(Sql.one(ds, "SELECT count(*) FROM orders WHERE ship_region = ?", e.getKey())).as(e.getKey()).isEqualTo((long) regionOrders.get(e.getKey()).size());
                assertThat(loaded.get("by_region").get(e.getKey()).get("sales").decimalValue()).as(e.getKey()).isEqualByComparingTo(e.getValue());
            }
        }
    }

    @Test
    void superstoreWithoutRegionColumnsLoadsWithoutALocation() throws Exception {
        // an export of the same shape without Region, State, City (they are optional columns)
        Path file = work.resolve("superstore_no_region.csv");
        List<String> header = List.of("Order ID", "Order Date", "Customer ID", "Customer Name", "Segment", "Country", "Product ID",
                "Category", "Sub-Category", "Product Name", "Sales", "Quantity", "Discount", "Profit");
        StringBuilder csv = new StringBuilder(String.join(",", header)).append('\n');
        int n = 0;
        for (CSVRecord r : IngestTest.records(DATA.resolve("superstore_slice.csv"))) {
            if (n++ == 20) break;
            csv.append(String.join(",", header.stream().map(h -> '"' + r.get(h).replace("\"", "\"\"") + '"').toList())).append('\n');
        }
        Files.writeString(file, csv);
        try (EcombiRuntime rt = start()) {
            DataSource ds = rt.database().dataSource();
            IngestStep.Result r = new IngestStep(ds, rt.settings()).load(file, work.resolve("issues/ss2.csv"));
            assertThat(r.loaded()).isEqualTo(20);
            assertThat(Sql.one(ds, "SELECT count(*) FROM orders WHERE ship_region IS NOT NULL OR ship_state IS NOT NULL OR ship_city IS NOT NULL")).isEqualTo(0L);
            assertThat(Sql.one(ds, "SELECT count(*) FROM orders WHERE ship_country = 'United States'")).isEqualTo(Sql.one(ds, "SELECT count(*) FROM orders"));
        }
    }

    @Test
    void olistPricesAreExactFreightIsShippingAndEveryOrderShipsToBrazil() throws Exception {
        Path olist = DATA.resolve("olist");
        BigDecimal freight = BigDecimal.ZERO, price = BigDecimal.ZERO;
        for (CSVRecord i : IngestTest.records(olist.resolve("order_items.csv"))) {
            freight = freight.add(new BigDecimal(i.get("freight_value")));
            price = price.add(new BigDecimal(i.get("price")));
        }
        try (EcombiRuntime rt = start()) {
            DataSource ds = rt.database().dataSource();
            IngestStep step = new IngestStep(ds, rt.settings());
            for (String f : List.of("customers.csv", "products.csv", "orders.csv", "order_items.csv")) step.load(olist.resolve(f), work.resolve("issues/" + f));
            assertThat(dec(Sql.one(ds, "SELECT sum(shipping_cost) FROM orders"))).isEqualByComparingTo(freight);
            assertThat(dec(Sql.one(ds, "SELECT sum(quantity * unit_price) FROM order_items"))).isEqualByComparingTo(price);
            assertThat(Sql.one(ds, "SELECT count(*) FROM orders WHERE ship_country IS DISTINCT FROM 'Brazil'")).isEqualTo(0L);
            // each person's state and city from the customers file (the slice gives one address per person)
            Map<String, String> stateOf = new HashMap<>();
            for (CSVRecord c : IngestTest.records(olist.resolve("customers.csv"))) {
                stateOf.put(c.get("customer_unique_id"), c.get("customer_state") + "/" + c.get("customer_city"));
            }
            List<Map<String, Object>> loadedStates = Sql.rows(ds, """
                    SELECT k.external_id, c.state || '/' || c.city AS place FROM customers c
                    JOIN ingest.key_map k ON k.id = c.customer_id AND k.source = 'olist' AND k.entity = 'customer'""");
            assertThat(loadedStates).hasSize(stateOf.size());
            for (Map<String, Object> row : loadedStates) assertThat(row.get("place")).as(row.get("external_id").toString()).isEqualTo(stateOf.get(row.get("external_id")));
            assertThat(stateOf.get("634f09f6075fe9032e6c19609ffe995a")).isEqualTo("BA/feira de santana");
            assertThat(Sql.one(ds, "SELECT count(*) FROM ingest.files WHERE status = 'loaded' AND currency = 'BRL' AND loaded_totals IS NOT NULL")).isEqualTo(4L);
        }
    }

    @Test
    void olistStateIsThePlaceMostOfAPersonsRowsGiveAndANewerFileUpdatesIt() throws Exception {
        // person P has three per-order ids: two in SP, one in RJ -> SP; person Q gives no state -> NULL
        Path first = work.resolve("first/customers.csv");
        Files.createDirectories(first.getParent());
        Files.writeString(first, """
                customer_id,customer_unique_id,customer_zip_code_prefix,customer_city,customer_state
                a1,P,01000,sao paulo,SP
                a2,P,20000,rio de janeiro,rj
                a3,P,01000,sao paulo,SP
                b1,Q,30000,,
                """);
        // a later export: Q has moved to Belo Horizonte, MG
        Path later = work.resolve("later/customers.csv");
        Files.createDirectories(later.getParent());
        Files.writeString(later, """
                customer_id,customer_unique_id,customer_zip_code_prefix,customer_city,customer_state
                b2,Q,30100,belo horizonte,MG
                """);
        try (EcombiRuntime rt = start()) {
            DataSource ds = rt.database().dataSource();
            IngestStep step = new IngestStep(ds, rt.settings());
            step.load(first, work.resolve("issues/c1.csv"));
            String place = "SELECT coalesce(c.state, '-') || '/' || coalesce(c.city, '-') FROM customers c JOIN ingest.key_map k ON k.id = c.customer_id"
                    + " WHERE k.source = 'olist' AND k.entity = 'customer' AND k.external_id = ?";
            assertThat(Sql.one(ds, place, "P")).isEqualTo("SP/sao paulo");
            assertThat(Sql.one(ds, place, "Q")).isEqualTo("-/-");
            step.load(later, work.resolve("issues/c2.csv"));
            assertThat(Sql.one(ds, place, "Q")).isEqualTo("MG/belo horizonte");
            assertThat(Sql.one(ds, place, "P")).isEqualTo("SP/sao paulo");
            assertThat(Sql.one(ds, "SELECT count(*) FROM customers WHERE region IS NOT NULL")).isEqualTo(0L);
        }
    }

    /**
     * Issue 30: a later export into a shop that already holds another format's orders. Each file
     * takes over the orders it loads (ingest.key_map.last_file_id, which reconciliation reads):
     * new keys and keys an earlier file of the same format brought alike, and nothing else.
     */
    @Test
    void aLaterExportTakesOverItsOrdersAndLeavesTheOthersToTheirFiles() throws Exception {
        Path uci = DATA.resolve("online_retail_slice.csv");
        List<String> lines = Files.readAllLines(uci);
        // a newer export: every line of the slice's first 15 invoices (whole invoices, so none is cut)
        Set<String> resent = new HashSet<>();
        List<String> newerLines = new java.util.ArrayList<>(List.of(lines.get(0)));
        for (String line : lines.subList(1, lines.size())) {
            String invoice = line.substring(0, line.indexOf(','));
            if (resent.size() < 15 || resent.contains(invoice)) { resent.add(invoice); newerLines.add(line); }
        }
        Path newer = work.resolve("online_retail_newer.csv");
        Files.write(newer, newerLines);

        // two sources in one shop, said on purpose (otherwise the second is refused: ShopSourcesTest)
        Map<String, String> o = TestRuntime.overrides(TestDatabase.newDatabase(), work);
        o.put("ecombi.ingest.accept-mixed", "true");
        try (EcombiRuntime rt = TestRuntime.start(o)) {
            DataSource ds = rt.database().dataSource();
            IngestStep step = new IngestStep(ds, rt.settings());
            IngestStep.Result superstore = step.load(DATA.resolve("superstore_slice.csv"), work.resolve("issues/superstore.csv"));
            IngestStep.Result first = step.load(uci, work.resolve("issues/uci.csv"));
            long keys = (Long) Sql.one(ds, "SELECT count(*) FROM ingest.key_map");
            String owners = "SELECT count(*) FROM ingest.key_map WHERE entity = 'order' AND last_file_id = ?";
            long superstoreOrders = (Long) Sql.one(ds, owners, superstore.fileId());
            long firstOrders = (Long) Sql.one(ds, owners, first.fileId());
            assertThat(superstoreOrders).isPositive();
            assertThat(firstOrders).isEqualTo(ordersLoaded(ds, first.fileId()))
                    .isEqualTo((Long) Sql.one(ds, "SELECT count(*) FROM ingest.key_map WHERE source = 'online_retail' AND entity = 'order'"));

            IngestStep.Result second = step.load(newer, work.resolve("issues/uci-newer.csv"));
            assertThat(second.duplicate()).isFalse();
            long secondOrders = (Long) Sql.one(ds, owners, second.fileId());
            assertThat(secondOrders).isPositive().isEqualTo(ordersLoaded(ds, second.fileId()));
            // the newer file's orders are its own, the rest stay with the file that loaded them; no key is added
            assertThat(Sql.one(ds, "SELECT count(*) FROM ingest.key_map WHERE last_file_id = ? AND NOT (external_id = ANY (?))",
                    second.fileId(), resent.toArray(String[]::new))).isEqualTo(0L);
            assertThat(Sql.one(ds, owners, first.fileId())).isEqualTo(firstOrders - secondOrders);
            assertThat(Sql.one(ds, owners, superstore.fileId())).isEqualTo(superstoreOrders);
            assertThat(Sql.one(ds, "SELECT count(*) FROM ingest.key_map")).isEqualTo(keys);
        }
    }

    static long ordersLoaded(DataSource ds, long fileId) {
        return Long.parseLong(Sql.one(ds, "SELECT loaded_totals ->> 'orders' FROM ingest.files WHERE file_id = ?", fileId).toString());
    }
}
