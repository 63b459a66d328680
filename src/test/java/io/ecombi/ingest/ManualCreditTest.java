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
}
