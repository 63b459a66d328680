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

    @Test
    void percentagesRoundHalfUpAsTheSqlAndTheSummaryDo() {
        // UCI's Champions: 65.65 % of net revenue; the chart and the summary say 65.7 %
        assertThat(Formats.cell("revenue_share_pct", new BigDecimal("65.65"), "£")).isEqualTo("65.7%");
        assertThat(Formats.cell("customers_pct", new BigDecimal("20.45"), "£")).isEqualTo("20.5%");
        assertThat(Formats.cell("net_revenue", new BigDecimal("2.345"), "£")).isEqualTo("£2.35");
    }

    @Test
    void aPercentageColumnIsNeverMoney() {
        assertThat(Formats.cell("avg_revenue_retention_pct_at_k", new BigDecimal("134.49"), "$")).isEqualTo("134.5%");
        assertThat(Formats.cell("avg_customer_retention_pct_at_k", new BigDecimal("19.73"), "$")).isEqualTo("19.7%");
        assertThat(Formats.cell("avg_revenue", new BigDecimal("19.73"), "$")).isEqualTo("$19.73");
    }
}
