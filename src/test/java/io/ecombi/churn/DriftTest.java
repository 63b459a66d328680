package io.ecombi.churn;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The population stability index on distributions worked out by hand. */
class DriftTest {
    @Test
    void psiOfTwoKnownDistributions() {
        // shares then 0.5 / 0.3 / 0.2, now 0.3 / 0.3 / 0.4:
        // (0.3 - 0.5) ln(0.3 / 0.5) + 0 + (0.4 - 0.2) ln(0.4 / 0.2) = 0.2 x 0.5108256 + 0.2 x 0.6931472 = 0.2407946
        double psi = Drift.psi(new long[]{50, 30, 20}, new long[]{30, 30, 40});
        assertThat(psi).isCloseTo(0.2407946, within(1e-7));
        assertThat(Drift.level(psi, 0.1, 0.25)).isEqualTo("moderate");
        // the same distribution: 0, stable; the shift turned round is as large (PSI is symmetric)
        assertThat(Drift.psi(new long[]{50, 30, 20}, new long[]{5, 3, 2})).isZero();
        assertThat(Drift.psi(new long[]{30, 30, 40}, new long[]{50, 30, 20})).isCloseTo(0.2407946, within(1e-7));
        assertThat(Drift.level(0.0999, 0.1, 0.25)).isEqualTo("stable");
        assertThat(Drift.level(0.25, 0.1, 0.25)).isEqualTo("major");
    }

    @Test
    void anEmptyBinCountsAsAShareOfOneInTenThousand() {
        // then 1.0 / 0 (floored to 0.0001), now 0.99 / 0.01:
        // (0.99 - 1) ln(0.99) + (0.01 - 0.0001) ln(0.01 / 0.0001) = 0.0001005 + 0.0099 x 4.6051702 = 0.0456917
        assertThat(Drift.psi(new long[]{100, 0, 0}, new long[]{99, 1, 0})).isCloseTo(0.0456917, within(1e-7));
    }

    @Test
    void binsAtTheReferencesQuantilesTiesMergedMissingApart() {
        // 1..10 in quarters: cuts at the 3rd, 5th and 8th smallest (ceil(10 i / 4)): 3, 5, 8
        double[] e = Drift.edges(new double[]{5, 1, 2, 3, 4, 6, 7, 8, 9, 10}, 4);
        assertThat(e).containsExactly(3, 5, 8);
        // (-inf, 3] 1 2 3; (3, 5] 4 5; (5, 8] 6 7 8; (8, inf) 9 10 11; missing 1
        assertThat(Drift.counts(new double[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, Double.NaN}, e)).containsExactly(3, 2, 3, 3, 1);
        // a count with ties: 0 0 0 0 0 0 1 1 2 3 in quarters cuts at 0, 0, 1 -> two cuts, three bins
        assertThat(Drift.edges(new double[]{0, 0, 0, 0, 0, 0, 1, 1, 2, 3}, 4)).containsExactly(0, 1);
    }
}
