package io.ecombi.summary;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The summary's changes: the cards' rule (Formats.change), from exact decimals, rounded once, half up, where written. */
class ChangeTest {

    static String text(Object now, Object then) {
        return Change.of(now, then, false).text();
    }

    @Test
    void aTieAtTheSecondDecimalRoundsUpOnceFromTheExactValues() {
        // 100 x (120.35 - 100.00) / 100.00 = 20.35 exactly: half up to one decimal is 20.4
        BigDecimal change = Change.exact(Change.of(new BigDecimal("120.35"), new BigDecimal("100.00"), false));
        assertThat(change).isEqualByComparingTo("20.35");
        assertThat(change.toString()).isEqualTo("20.35");   // the headline keeps it unrounded, without trailing zeros
        assertThat(text(new BigDecimal("120.35"), new BigDecimal("100.00"))).isEqualTo("+20.4%");
        // the headline's unrounded change is written by the same rule, to the same digits
        assertThat(Change.of(change, false).text()).isEqualTo("+20.4%");
        // why not doubles: 120.35 has no exact binary form, and the same arithmetic in doubles lands below the tie
        double d = 100 * (120.35 - 100.00) / Math.abs(100.00);
        assertThat(d).isLessThan(20.35);
        assertThat(String.format(Locale.US, "%+.1f", d)).isEqualTo("+20.3");
        // a fall by the same amount rounds away from zero too: 100 x (79.65 - 100) / 100 = -20.35 -> -20.4
        assertThat(text(new BigDecimal("79.65"), new BigDecimal("100.00"))).isEqualTo("-20.4%");
    }

    @Test
    void roundingTwiceIsWhatGaveTheSummaryItsOwnDigit() {
        // 100 x (361,047.00 - 300,000.00) / 300,000.00 = 20.349 exactly: one rounding says 20.3;
        // rounding to 20.35 first (the summary's old headline) and then to one decimal says 20.4
        BigDecimal change = Change.exact(Change.of(new BigDecimal("361047.00"), new BigDecimal("300000.00"), false));
        assertThat(change).isEqualByComparingTo("20.349");
        assertThat(Change.of(change, false).text()).isEqualTo("+20.3%");
        double twice = Math.round(20.349 * 100) / 100.0;
        assertThat(String.format(Locale.US, "%.1f", twice)).isEqualTo("20.4");
    }

    @Test
    void noChangeReadsPlusMinusZeroAndCountsAndPointsWork() {
        // 100 x (10,004 - 10,000) / 10,000 = 0.04: prints 0.0, neither up nor down
        assertThat(text(10_004L, 10_000L)).isEqualTo("±0.0%");
        assertThat(Change.of(new BigDecimal("0.04"), false).direction()).isEqualTo("flat");
        assertThat(text(9_996L, 10_000L)).isEqualTo("±0.0%");
        // 3 orders against 2: +50.0 %; 1 against 3: -66.666...% -> -66.7 %
        assertThat(text(3L, 2L)).isEqualTo("+50.0%");
        assertThat(text(1L, 3L)).isEqualTo("-66.7%");
        // a margin of 40.00 % against 42.05 %: -2.05 points -> -2.1 pts (half up, away from zero)
        BigDecimal points = Change.exact(Change.of(new BigDecimal("40.00"), new BigDecimal("42.05"), true));
        assertThat(points).isEqualByComparingTo("-2.05");
        assertThat(Change.of(points, true).text()).isEqualTo("-2.1 pts");
        // nothing to compare with
        assertThat(Change.of(new BigDecimal("5.00"), new BigDecimal("0.00"), false)).isNull();
        assertThat(Change.of(null, new BigDecimal("1.00"), false)).isNull();
        // +100 % reads 100, not 1E+2 or 100.000000000000, in the headline's JSON
        assertThat(Change.exact(Change.of(new BigDecimal("200.00"), new BigDecimal("100.00"), false)).toString()).isEqualTo("100");
        // the anonymous share: 108 of 264 = 40.9090...%, unrounded
        assertThat(Change.share(new BigDecimal("108.00"), new BigDecimal("264.00"))).isBetween(new BigDecimal("40.909"), new BigDecimal("40.910"));
    }
}
