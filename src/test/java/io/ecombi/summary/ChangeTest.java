package io.ecombi.summary;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** A change is taken from the table's values in exact decimals and rounded once, half up. */
class ChangeTest {

    @Test
    void aTieAtTheSecondDecimalRoundsUpOnceFromTheExactValues() {
        // 100 x (120.35 - 100.00) / 100.00 = 20.35 exactly: half up to one decimal is 20.4
        BigDecimal change = Change.percent(new BigDecimal("120.35"), new BigDecimal("100.00"));
        assertThat(change).isEqualByComparingTo("20.35");
        assertThat(Change.percentText(change)).isEqualTo("+20.4%");
        // why not doubles: 120.35 has no exact binary form, and the same arithmetic in doubles lands below the tie
        double d = 100 * (120.35 - 100.00) / Math.abs(100.00);
        assertThat(d).isLessThan(20.35);
        assertThat(String.format(Locale.US, "%+.1f", d)).isEqualTo("+20.3");
        // a fall by the same amount rounds away from zero too: 100 x (79.65 - 100) / 100 = -20.35 -> -20.4
        assertThat(Change.percentText(Change.percent(new BigDecimal("79.65"), new BigDecimal("100.00")))).isEqualTo("-20.4%");
    }

    @Test
    void roundingTwiceIsWhatGaveTheSummaryItsOwnDigit() {
        // 100 x (361,047.00 - 300,000.00) / 300,000.00 = 20.349 exactly: one rounding says 20.3;
        // rounding to 20.35 first (the summary's old headline) and then to one decimal says 20.4
        BigDecimal change = Change.percent(new BigDecimal("361047.00"), new BigDecimal("300000.00"));
        assertThat(change).isEqualByComparingTo("20.349");
        assertThat(Change.percentText(change)).isEqualTo("+20.3%");
        double twice = Math.round(20.349 * 100) / 100.0;
        assertThat(String.format(Locale.US, "%.1f", twice)).isEqualTo("20.4");
    }

    @Test
    void noChangeReadsPlusMinusZeroAndCountsAndPointsWork() {
        // 100 x (10,004 - 10,000) / 10,000 = 0.04: prints 0.0, neither up nor down
        assertThat(Change.percentText(Change.percent(10_004L, 10_000L))).isEqualTo("±0.0%");
        assertThat(Change.percentText(Change.percent(9_996L, 10_000L))).isEqualTo("±0.0%");
        // 3 orders against 2: +50.0 %; 1 against 3: -66.666...% -> -66.7 %
        assertThat(Change.percentText(Change.percent(3L, 2L))).isEqualTo("+50.0%");
        assertThat(Change.percentText(Change.percent(1L, 3L))).isEqualTo("-66.7%");
        // a margin of 40.00 % against 42.05 %: -2.05 points -> -2.1 pts (half up, away from zero)
        assertThat(Change.pointsText(Change.points(new BigDecimal("40.00"), new BigDecimal("42.05")))).isEqualTo("-2.1 pts");
        // nothing to compare with
        assertThat(Change.percent(new BigDecimal("5.00"), new BigDecimal("0.00"))).isNull();
        assertThat(Change.percent(null, new BigDecimal("1.00"))).isNull();
        // a change of +100 % reads 100, not 1E+2, wherever it is written (the headline's JSON)
        assertThat(Change.percent(new BigDecimal("200.00"), new BigDecimal("100.00")).toString()).isEqualTo("100");
    }
}
