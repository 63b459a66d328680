package io.ecombi.anomaly;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class IsolationForestOpinionTest {
    @Test
    void aFarOutDayScoresHighestAndOrdinaryDaysNearHalf() {
        Random r = new Random(7);
        double[][] x = new double[300][3];
        for (double[] row : x) for (int j = 0; j < 3; j++) row[j] = r.nextGaussian();
        x[123] = new double[]{9, -8, 10};   // far outside a cloud of standard normals
        double[] s = new IsolationForestOpinion(100, 256, 42).scores(x, List.of("a", "b", "c"));
        int argmax = 0;
        for (int i = 1; i < s.length; i++) if (s[i] > s[argmax]) argmax = i;
        assertThat(argmax).isEqualTo(123);
        assertThat(s[123]).isGreaterThan(0.65);
        double median = Arrays.stream(s).sorted().toArray()[150];
        assertThat(median).isBetween(0.35, 0.55);
        // seeded: the same days give the same scores
        assertThat(new IsolationForestOpinion(100, 256, 42).scores(x, List.of("a", "b", "c"))).containsExactly(s);
    }
}
