package io.ecombi.marketing;

import io.ecombi.marketing.AbTest.Counts;
import io.ecombi.marketing.AbTest.ReadOut;
import io.ecombi.marketing.AbTest.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Percentage.withPercentage;

/** The A/B calculator against published references, the read-out against numbers worked by hand (issue 35). */
class AbTestTest {

    /**
     * Fleiss, "Statistical Methods for Rates and Proportions" (2nd ed., 1981), Table A.3: sample size per group, two-sided
     * α = 0.05, with the continuity correction (the table statpages.org's and SWOG/CRAB's calculators say they reproduce).
     * Within 1 %.
     */
    @ParameterizedTest(name = "{0} vs {1}, power {2}: {3} per group")
    @CsvSource({
            "0.05, 0.10, 0.80, 474",
            "0.10, 0.20, 0.80, 219",
            "0.20, 0.30, 0.80, 313",
    })
    void perArmAgreesWithFleissTableA3(double p1, double p2, double power, long table) {
        assertThat((double) AbTest.sampleSize(p1, p2, 0.05, power).perArm()).isCloseTo(table, withPercentage(1));
    }

    /** R's documentation of power.prop.test (stats), its example: p1 = .50, p2 = .75, power = .90 gives n = 76.7 (no correction). */
    @Test
    void classicalAgreesWithRsPowerPropTestExample() {
        assertThat(AbTest.sampleSize(0.50, 0.75, 0.05, 0.90).classical()).isCloseTo(76.7, withPercentage(1));
    }

    /**
     * By hand, baseline 10 %, target 20 %, α 0.05, power 0.80: z = 1.95996, 0.84162; p̄ = 0.15, √(2·0.15·0.85) = 0.50498,
     * √(0.09 + 0.16) = 0.5; n = (0.98975 + 0.42081)² / 0.01 = 198.96; corrected 198.96/4 · (1 + √(1 + 4/19.896))² = 218.5.
     */
    @Test
    void handWorkedSampleSize() {
        AbTest.SampleSize s = AbTest.sampleSize(0.10, 0.20, 0.05, 0.80);
        assertThat(s.classical()).isCloseTo(198.96, within(0.01));
        assertThat(s.classicalPerArm()).isEqualTo(199);
        assertThat(s.perArm()).isEqualTo(219);
    }

    @Test
    void relativeAndAbsoluteEffects() {
        assertThat(AbTest.target(0.10, 0.10, true)).isCloseTo(0.11, within(1e-12));   // +10 % of 10 %
        assertThat(AbTest.target(0.10, 0.01, false)).isCloseTo(0.11, within(1e-12));  // +1 percentage point
        // a fall is as detectable as a rise of the same size (two-sided): 10 % → 9 % needs its own n, not zero
        assertThat(AbTest.sampleSize(0.10, 0.09, 0.05, 0.8).perArm()).isGreaterThan(10_000);
        assertThatThrownBy(() -> AbTest.sampleSize(0.10, 0.10, 0.05, 0.8)).hasMessageContaining("must not be zero");
        assertThatThrownBy(() -> AbTest.sampleSize(0.95, 1.05, 0.05, 0.8)).hasMessageContaining("target rate");
    }

    /**
     * A: 1,000 of 10,000 (10 %), B: 1,100 of 10,000 (11 %). By hand (z = 1.959964):
     * Wilson A: centre (0.1 + 3.8415/20000)/(1 + 3.8415/10000) = 0.100153, half 1.959964·√(0.09/10⁴ + 3.8415/4·10⁸)/1.000384
     * = 0.005881 → 9.427 % to 10.603 %. Lift 0.01, se √(0.09/10⁴ + 0.0979/10⁴) = 0.0043232 → 0.150 to 1.850 pp.
     * Pooled 0.105, se₀ √(0.105·0.895·2/10⁴) = 0.0043353, z = 2.3066, p = 2·(1 − Φ(2.3066)) = 0.02108.
     * Relative: ln 1.1 = 0.09531, se √(0.9/1000 + 0.89/1100) = 0.041340 → e^(0.09531 ∓ 0.081025) − 1 = +1.44 % to +19.28 %.
     */
    @Test
    void readOutWorkedByHand() {
        ReadOut r = AbTest.readOut(List.of(new Counts("A", 10_000, 1_000), new Counts("B", 10_000, 1_100)), 10_000, 0.05, 0.001);

        assertThat(r.arms().get(0).rateLow()).isCloseTo(0.09427, within(0.00001));
        assertThat(r.arms().get(0).rateHigh()).isCloseTo(0.10603, within(0.00001));
        assertThat(r.arms().get(1).rateLow()).isCloseTo(0.10402, within(0.00001));
        assertThat(r.arms().get(1).rateHigh()).isCloseTo(0.11628, within(0.00001));
        var b = r.comparisons().get(0);
        assertThat(b.absoluteLift()).isCloseTo(0.01, within(1e-12));
        assertThat(b.absoluteLow()).isCloseTo(0.00150, within(0.00001));
        assertThat(b.absoluteHigh()).isCloseTo(0.01850, within(0.00001));
        assertThat(b.z()).isCloseTo(2.3066, within(0.0001));
        assertThat(b.pValue()).isCloseTo(0.02108, within(0.00001));
        assertThat(b.relativeLift()).isCloseTo(0.10, within(1e-9));
        assertThat(b.relativeLow()).isCloseTo(0.01439, within(0.00005));
        assertThat(b.relativeHigh()).isCloseTo(0.19284, within(0.00005));
        assertThat(r.srmChiSquare()).isZero();
        assertThat(r.verdict()).isEqualTo(Verdict.SHIP);
        assertThat(r.sentence()).startsWith("Ship B: it converts 11.00 % against 10.00 % for +1.00 percentage points").contains("p = 0.0211");
    }

    @Test
    void noVerdictBeforeThePlannedSizeHoweverSmallThePValue() {
        ReadOut r = AbTest.readOut(List.of(new Counts("A", 2_000, 100), new Counts("B", 2_000, 200)), 10_000, 0.05, 0.001);

        assertThat(r.comparisons().get(0).pValue()).isLessThan(1e-6);
        assertThat(r.verdict()).isEqualTo(Verdict.KEEP_RUNNING);
        assertThat(r.sentence()).isEqualTo("Keep running: the smallest arm has 2,000 of the 10,000 users per arm the test was planned for;"
                + " a verdict before then would be peeking.");
    }

    /** 10,000 vs 10,300: expected 10,150 each, χ² = 2·150²/10,150 = 4.4335, p(χ²₁ > 4.4335) = 0.0352: not a mismatch at 0.001. */
    @Test
    void sampleRatioMismatch() {
        ReadOut fine = AbTest.readOut(List.of(new Counts("A", 10_000, 1_000), new Counts("B", 10_300, 1_030)), 10_000, 0.05, 0.001);
        assertThat(fine.srmChiSquare()).isCloseTo(4.4335, within(0.0001));
        assertThat(fine.srmPValue()).isCloseTo(0.03524, within(0.00001));
        assertThat(fine.sampleRatioMismatch()).isFalse();
        assertThat(fine.verdict()).isEqualTo(Verdict.DO_NOT_SHIP);   // same rate: no winner
        assertThat(fine.sentence()).startsWith("Do not ship: at the planned size no variant converts significantly better than A");

        // 10,000 vs 11,000: χ² = 2·500²/10,500 = 47.62, p ≈ 5e-12: the split is broken, whatever the rates say
        ReadOut broken = AbTest.readOut(List.of(new Counts("A", 10_000, 1_000), new Counts("B", 11_000, 1_400)), 10_000, 0.05, 0.001);
        assertThat(broken.srmChiSquare()).isCloseTo(47.619, within(0.001));
        assertThat(broken.sampleRatioMismatch()).isTrue();
        assertThat(broken.verdict()).isEqualTo(Verdict.DO_NOT_SHIP);
        assertThat(broken.sentence()).contains("sample-ratio mismatch");
    }

    @Test
    void aSignificantlyWorseVariantIsNotShipped() {
        ReadOut r = AbTest.readOut(List.of(new Counts("A", 10_000, 1_100), new Counts("B", 10_000, 1_000)), 10_000, 0.05, 0.001);
        assertThat(r.verdict()).isEqualTo(Verdict.DO_NOT_SHIP);
        assertThat(r.sentence()).contains("significantly worse");
    }

    /** Three arms: each challenger at α/2 = 0.025 (Bonferroni); B's p = 0.0211 still passes, so it ships. */
    @Test
    void moreChallengersShareAlpha() {
        ReadOut r = AbTest.readOut(List.of(new Counts("A", 10_000, 1_000), new Counts("B", 10_000, 1_100), new Counts("C", 10_000, 1_050)),
                10_000, 0.05, 0.001);
        assertThat(r.comparisons()).allSatisfy(c -> assertThat(c.alphaUsed()).isEqualTo(0.025));
        assertThat(r.verdict()).isEqualTo(Verdict.SHIP);
        assertThat(r.sentence()).startsWith("Ship B");
    }

    /** No conversions in the control: the relative lift is a ratio to zero, said n/a, never "+NaN %" or infinity. */
    @Test
    void noControlConversionsNoRelativeLift() {
        ReadOut r = AbTest.readOut(List.of(new Counts("A", 20_000, 0), new Counts("B", 20_000, 40)), 10_000, 0.05, 0.001);
        assertThat(r.comparisons().get(0).relativeLift()).isNaN();
        assertThat(r.verdict()).isEqualTo(Verdict.SHIP);
        assertThat(r.sentence()).contains("(n/a relative, 95 % CI n/a to n/a)").doesNotContain("NaN");
    }
}
