package io.ecombi.report;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

/** How a value reads in a report, by its column's name. */
class FormatsTest {
    @Test
    void identifiersAreWrittenWithoutThousandsSeparators() {
        assertThat(Formats.cell("product_id", 1000000000180L, "$")).isEqualTo("1000000000180");
        assertThat(Formats.cell("customer_id", 17850L, "$")).isEqualTo("17850");
        assertThat(Formats.cell("orders", 18943L, "$")).isEqualTo("18,943");
    }

    @Test
    void moneyIsWrittenInTheDataCurrency() {
        assertThat(Formats.cell("net_revenue", new BigDecimal("9365084.97"), Formats.symbol("GBP"))).isEqualTo("£9,365,085");
        assertThat(Formats.cell("credit_notes", new BigDecimal("474.13"), Formats.symbol("BRL"))).isEqualTo("R$474.13");
        assertThat(Formats.symbol("CHF")).isEqualTo("CHF ");
    }
}
