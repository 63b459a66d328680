package io.ecombi.churn;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The trainer on synthetic customers whose churn follows a known formula, and on pure noise. */
class ChurnTrainerTest {
    static final List<String> FEATURES = List.of("unresolved_tickets", "orders_last_window", "noise");

    /** churn log-odds = -1 + 1.2 * unresolved - 0.9 * recent orders (+ a feature with no effect). */
    static TrainingData synthetic(int n, long seed, boolean signal) {
        Random r = new Random(seed);
        double[][] x = new double[n][];
        boolean[] y = new boolean[n];
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            double tickets = r.nextInt(4), orders = r.nextInt(6), noise = r.nextGaussian();
            x[i] = new double[]{tickets, orders, noise};
            double logit = signal ? -1 + 1.2 * tickets - 0.9 * orders : -1.2;
            y[i] = r.nextDouble() < 1 / (1 + Math.exp(-logit));
            ids[i] = i + 1;
        }
        return new TrainingData(FEATURES, ids, x, y);
    }

    @Test
    void findsTheKnownSignsAndRanksWell() throws Exception {
        ChurnModel m = new ChurnTrainer(ChurnTrainer.Options.defaults()).train(synthetic(4000, 1, true));

        assertThat(m.coefficients()[0]).as("unresolved tickets push churn up").isGreaterThan(0.5);
        assertThat(m.coefficients()[1]).as("recent orders push churn down").isLessThan(-0.5);
        assertThat(Math.abs(m.coefficients()[2])).as("noise has no effect").isLessThan(0.15);
        // per standard deviation: 1.2 * sd(tickets ~ 1.12) = 1.34, -0.9 * sd(orders ~ 1.71) = -1.54
        assertThat(m.coefficients()[0]).isCloseTo(1.34, within(0.25));
        assertThat(m.coefficients()[1]).isCloseTo(-1.54, within(0.25));
        assertThat(m.metrics("logistic").rocAuc()).isGreaterThan(0.85);
        assertThat(m.cvAucMean()).isGreaterThan(0.85);
        assertThat(m.metrics("majority").rocAuc()).isCloseTo(0.5, within(0.01));
        assertThat(m.termsBySize().get(0).feature()).isIn("unresolved_tickets", "orders_last_window");
    }

    @Test
    void onPureNoiseTheAucStaysNearAHalf() throws Exception {
        ChurnModel m = new ChurnTrainer(ChurnTrainer.Options.defaults()).train(synthetic(4000, 2, false));

        assertThat(m.metrics("logistic").rocAuc()).isBetween(0.42, 0.58);
        assertThat(m.cvAucMean()).isBetween(0.44, 0.56);
    }

    @Test
    void theLinearFormulaReproducesWekasPredictions() throws Exception {
        TrainingData d = synthetic(2000, 3, true);
        ChurnModel m = new ChurnTrainer(ChurnTrainer.Options.defaults()).train(d);
        for (int i = 0; i < 50; i++) {
            double logit = m.intercept();
            for (int j = 0; j < 3; j++) logit += m.coefficients()[j] * (d.x()[i][j] - m.mean()[j]) / m.sd()[j];
            assertThat(1 / (1 + Math.exp(-logit))).isCloseTo(m.probability(d.x()[i]), within(1e-9));
        }
        // the base-rate correction: the mean predicted probability is near the observed churn rate
        double sum = 0;
        for (double[] row : d.x()) sum += m.probability(row);
        assertThat(sum / d.size()).isCloseTo(m.baseRate(), within(0.06));
    }
}
