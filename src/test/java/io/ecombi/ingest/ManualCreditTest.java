package io.ecombi.ingest;

import io.ecombi.kpi.KpiTable;
import io.ecombi.testing.KpiHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** A UCI sale reversed by a "Manual" line on its C invoice (556444 / C556445 of the real file) nets to nothing. */
class ManualCreditTest {
    @TempDir
    Path work;

    @Test
    void aManualLineOnACreditNoteTakesTheMoneyBack() throws Exception {
        Path file = work.resolve("uci.csv");
        Files.writeString(file, """
                InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
                556444,22502,PICNIC BASKET WICKER 60 PIECES,60,2011-06-10 15:28:00,649.5,15098.0,United Kingdom
                C556445,M,Manual,-1,2011-06-10 15:31:00,38970.0,15098.0,United Kingdom
                556446,22423,REGENCY CAKESTAND 3 TIER,2,2011-06-10 16:00:00,12.75,15098.0,United Kingdom
                """);
        try (KpiHarness h = KpiHarness.start()) {
            IngestStep.Result r = new IngestStep(h.dataSource(), h.settings()).load(file, work.resolve("done/uci.csv"));
            assertThat(r.loaded()).isEqualTo(3);
            assertThat(r.setAside()).isZero();
            KpiTable cards = h.run(LocalDate.of(2011, 6, 30)).kpi("kpi_cards");
            // gross 60 x 649.50 + 2 x 12.75 = 38,995.50; the manual credit takes back 38,970: net 25.50, 2 orders
            assertThat((BigDecimal) cards.value(0, "gross_revenue")).isEqualByComparingTo("38995.50");
            assertThat((BigDecimal) cards.value(0, "credit_notes")).isEqualByComparingTo("38970.00");
            assertThat((BigDecimal) cards.value(0, "net_revenue")).isEqualByComparingTo("25.50");
            assertThat(cards.value(0, "orders")).isEqualTo(2L);
        }
    }

    /**
     * Issue 36: one rule for Manual lines on both sides. The real file's 548813 charges four manual
     * amounts and C548830 gives the same four back five minutes later. Before, the charges were set
     * aside and the credits netted from revenue (net 25.50 - 4,037.77); now both are lines of their
     * invoices and cancel. By hand: 162.60 + 2,382.92 + 239.30 + 1,252.95 = 4,037.77; gross 25.50 +
     * 4,037.77 = 4,063.27, credit notes 4,037.77, net 25.50, one sale.
     */
    @Test
    void aManualChargeAndTheCreditNoteThatReversesItNetToNothing() throws Exception {
        Path file = work.resolve("uci-pair.csv");
        Files.writeString(file, """
                InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
                548813,M,Manual,1,2011-04-04 13:03:00,162.6,12744.0,Singapore
                548813,M,Manual,1,2011-04-04 13:03:00,2382.92,12744.0,Singapore
                548813,M,Manual,1,2011-04-04 13:03:00,239.3,12744.0,Singapore
                548813,M,Manual,1,2011-04-04 13:03:00,1252.95,12744.0,Singapore
                548813,22423,REGENCY CAKESTAND 3 TIER,2,2011-04-04 13:03:00,12.75,12744.0,Singapore
                C548830,M,Manual,-1,2011-04-04 13:08:00,162.6,12744.0,Singapore
                C548830,M,Manual,-1,2011-04-04 13:08:00,2382.92,12744.0,Singapore
                C548830,M,Manual,-1,2011-04-04 13:08:00,239.3,12744.0,Singapore
                C548830,M,Manual,-1,2011-04-04 13:08:00,1252.95,12744.0,Singapore
                """);
        try (KpiHarness h = KpiHarness.start()) {
            IngestStep.Result r = new IngestStep(h.dataSource(), h.settings()).load(file, work.resolve("done/uci-pair.csv"));
            assertThat(r.loaded()).isEqualTo(9);
            assertThat(r.setAside()).isZero();
            KpiTable cards = h.run(LocalDate.of(2011, 4, 30)).kpi("kpi_cards");
            assertThat((BigDecimal) cards.value(0, "gross_revenue")).isEqualByComparingTo("4063.27");
            assertThat((BigDecimal) cards.value(0, "credit_notes")).isEqualByComparingTo("4037.77");
            assertThat((BigDecimal) cards.value(0, "net_revenue")).isEqualByComparingTo("25.50");
            assertThat(cards.value(0, "orders")).isEqualTo(1L);
        }
    }
}
