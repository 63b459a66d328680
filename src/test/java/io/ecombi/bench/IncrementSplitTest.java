package io.ecombi.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The benchmark's later exports: the cut of a shop's files into a base and a later export (a fixture worked out by hand), and the ingest's phase line it reads. */
class IncrementSplitTest {
    private static final String ORDERS = """
            order_id,customer_id,order_date,order_status,shipping_cost,discount_amount,payment_method
            1,1,2026-10-01,Completed,5.99,0.00,Card
            2,1,2026-10-05,Returned,0.00,0.00,PayPal
            3,2,2026-10-02,Completed,5.99,1.00,Card
            4,2,2026-10-05,Cancelled,5.99,0.00,Card
            5,3,2026-10-03,Completed,0.00,0.00,"Gift card, store"
            6,3,2026-10-04,Completed,5.99,0.00,Card
            """;
    private static final String ITEMS = """
            order_item_id,order_id,product_id,quantity,unit_price,unit_cost
            1,1,10,1,9.99,5.00
            2,1,11,2,4.50,2.00
            3,2,12,1,20.00,11.00
            4,3,10,1,9.99,5.00
            5,4,13,3,1.00,0.50
            6,4,11,1,4.50,2.00
            7,5,12,1,20.00,11.00
            8,6,10,2,9.99,5.00
            """;

    @Test
    void theLatestWholeDaysAreTheIncrementAndTheKeysFollowTheDates(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("orders.csv"), ORDERS);
        Files.writeString(dir.resolve("order_items.csv"), ITEMS);
        // 20 % of 6 orders is 1 order (rounded), on 2026-10-05: that day's two orders are the increment
        IncrementSplit.Result r = IncrementSplit.split(dir, 0.2, dir.resolve("base"), dir.resolve("inc"), dir.resolve("resent"));
        assertThat(r).isEqualTo(new IncrementSplit.Result(4, 5, 2, 3, "2026-10-05"));

        // renumbered by (date, old id): 1 -> 1, 3 -> 2, 5 -> 3, 6 -> 4, 2 -> 5, 4 -> 6; the other values byte for byte
        assertThat(Files.readString(dir.resolve("base/orders.csv"))).isEqualTo("""
                order_id,customer_id,order_date,order_status,shipping_cost,discount_amount,payment_method
                1,1,2026-10-01,Completed,5.99,0.00,Card
                2,2,2026-10-02,Completed,5.99,1.00,Card
                3,3,2026-10-03,Completed,0.00,0.00,"Gift card, store"
                4,3,2026-10-04,Completed,5.99,0.00,Card
                """);
        assertThat(Files.readString(dir.resolve("inc/orders.csv"))).isEqualTo("""
                order_id,customer_id,order_date,order_status,shipping_cost,discount_amount,payment_method
                5,1,2026-10-05,Returned,0.00,0.00,PayPal
                6,2,2026-10-05,Cancelled,5.99,0.00,Card
                """);
        // lines follow their orders, renumbered by (new order, old line)
        assertThat(Files.readString(dir.resolve("base/order_items.csv"))).isEqualTo("""
                order_item_id,order_id,product_id,quantity,unit_price,unit_cost
                1,1,10,1,9.99,5.00
                2,1,11,2,4.50,2.00
                3,2,10,1,9.99,5.00
                4,3,12,1,20.00,11.00
                5,4,10,2,9.99,5.00
                """);
        assertThat(Files.readString(dir.resolve("inc/order_items.csv"))).isEqualTo("""
                order_item_id,order_id,product_id,quantity,unit_price,unit_cost
                6,5,12,1,20.00,11.00
                7,6,13,3,1.00,0.50
                8,6,11,1,4.50,2.00
                """);

        // the re-export: the same keys; the first of every 20 orders corrected (Returned -> Completed), the lines in descending key order
        assertThat(Files.readString(dir.resolve("resent/orders.csv"))).isEqualTo("""
                order_id,customer_id,order_date,order_status,shipping_cost,discount_amount,payment_method
                5,1,2026-10-05,Completed,0.00,0.00,PayPal
                6,2,2026-10-05,Cancelled,5.99,0.00,Card
                """);
        assertThat(Files.readString(dir.resolve("resent/order_items.csv"))).isEqualTo("""
                order_item_id,order_id,product_id,quantity,unit_price,unit_cost
                8,6,11,1,4.50,2.00
                7,6,13,3,1.00,0.50
                6,5,12,1,20.00,11.00
                """);
    }

    @Test
    void theIngestsPhaseLineIsReadForTheBreakdown() {
        // the line StagedLoad logs per file; a comma as decimal point where the locale writes one
        assertThat(IncrementBench.Phases.parse("orders.csv: read and COPY to staging 0.07 s, checks and merge 0,79 s, counts, issues and totals 0.01 s, ANALYZE 0.38 s"))
                .containsExactly(0.07, 0.79, 0.01, 0.38);
        assertThat(IncrementBench.Phases.parse("orders.csv: same content as file 5 loaded before; nothing to do")).isNull();
    }

    @Test
    void halfTheOrdersEndAtADayBoundaryAndABaseIsAlwaysLeft(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("orders.csv"), ORDERS);
        Files.writeString(dir.resolve("order_items.csv"), ITEMS);
        // 50 %: 3 orders, from 2026-10-04 (new 4) on; 2026-10-03 stays in the base
        assertThat(IncrementSplit.split(dir, 0.5, dir.resolve("b"), dir.resolve("i"), dir.resolve("r")))
                .isEqualTo(new IncrementSplit.Result(3, 4, 3, 4, "2026-10-04"));

        Files.writeString(dir.resolve("orders.csv"), ORDERS.replaceAll("2026-10-0\\d", "2026-10-05"));
        assertThatThrownBy(() -> IncrementSplit.split(dir, 0.2, dir.resolve("b"), dir.resolve("i"), dir.resolve("r")))
                .hasMessageContaining("nothing is left for the base");
    }
}
