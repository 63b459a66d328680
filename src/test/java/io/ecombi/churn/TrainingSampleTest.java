package io.ecombi.churn;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The capped training sample keeps the churn share and only rows of the set. */
class TrainingSampleTest {
    private static TrainingData set(int n, int churnedEvery) {
        long[] ids = new long[n];
        double[][] x = new double[n][];
        boolean[] y = new boolean[n];
        double[] revenue = new double[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 1000 + i;
            x[i] = new double[]{i};
            y[i] = i % churnedEvery == 0;
            revenue[i] = i * 10.0;
        }
        return new TrainingData(List.of("f"), ids, x, y, revenue);
    }

    @Test
    void aSetNoLargerThanTheCapIsUsedWhole() {
        TrainingData all = set(500, 4);
        assertThat(all.stratifiedSample(500, 1)).isSameAs(all);
        assertThat(all.stratifiedSample(0, 1)).isSameAs(all);
    }

    @Test
    void aLargerSetIsSampledToTheCapWithItsChurnShare() {
        // 10,000 customers, every 4th churned: 2,500 churned (25 %). A sample of 1,000 holds 250 churned, 750 not.
        TrainingData all = set(10_000, 4);
        TrainingData s = all.stratifiedSample(1_000, 42);
        assertThat(s.size()).isEqualTo(1_000);
        assertThat(s.positives()).isEqualTo(250);
        for (int i = 0; i < s.size(); i++) {
            int original = (int) (s.customerIds()[i] - 1000);
            // each sampled row is the set's own row, label and revenue kept together
            assertThat(s.x()[i][0]).isEqualTo(original);
            assertThat(s.churned()[i]).isEqualTo(original % 4 == 0);
            assertThat(s.windowRevenue()[i]).isEqualTo(original * 10.0);
            if (i > 0) assertThat(s.customerIds()[i]).isGreaterThan(s.customerIds()[i - 1]);
        }
        // seeded: the same sample every time
        assertThat(all.stratifiedSample(1_000, 42).customerIds()).isEqualTo(s.customerIds());
    }
}
