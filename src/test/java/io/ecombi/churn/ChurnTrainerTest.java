package io.ecombi.churn;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The trainer on synthetic customers whose churn follows a known formula, and on pure noise. */
class ChurnTrainerTest {
    /** This test's own fixtures (the settings' values live in config/application.properties). */
    static final ChurnTrainer.Options OPTIONS = new ChurnTrainer.Options(1e-8, 42, 0.2, 200, 6, 50_000, 10, 3, 5, 0.9);
    static final Evidence.Rules RULES = new Evidence.Rules(0.5, 0.55, 0.01);

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
        ChurnModel m = new ChurnTrainer(OPTIONS).train(synthetic(4000, 1, true));

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
    void onPureNoiseTheAucStaysNearAHalfAndNoModelIsPublished() throws Exception {
        ChurnModel m = new ChurnTrainer(OPTIONS).train(synthetic(4000, 2, false));

        assertThat(m.metrics("logistic").rocAuc()).isBetween(0.42, 0.58);
        assertThat(m.cvAucMean()).isBetween(0.44, 0.56);
        Evidence.Verdict v = Evidence.verdict(m, null, RULES);
        assertThat(v.published()).isFalse();
        assertThat(v.failed()).extracting(Evidence.Check::name).contains("cross-validation");
        assertThat(v.summary()).startsWith("no usable model: ").contains("lower bound").contains("is not above 0.500");
    }

    /** churn log-odds = -1 + 0.05 (days since last order - 45) [+ 1.2 unresolved tickets when withTickets]. */
    static TrainingData recency(int n, long seed, boolean withTickets) {
        Random r = new Random(seed);
        double[][] x = new double[n][];
        boolean[] y = new boolean[n];
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            double days = r.nextInt(90), tickets = r.nextInt(4), noise = r.nextGaussian();
            x[i] = new double[]{days, tickets, noise};
            double logit = -1 + 0.05 * (days - 45) + (withTickets ? 1.2 * tickets : 0);
            y[i] = r.nextDouble() < 1 / (1 + Math.exp(-logit));
            ids[i] = i + 1;
        }
        return new TrainingData(List.of("days_since_last_order", "unresolved_tickets", "noise"), ids, x, y);
    }

    @Test
    void aModelThatAddsNothingToRecencyIsNotPublished() throws Exception {
        ChurnModel m = new ChurnTrainer(OPTIONS).train(recency(4000, 4, false));

        // it ranks well (recency is a strong signal) but ranking by days since the last order alone does as well
        assertThat(m.cvAucMean()).isGreaterThan(0.75);
        assertThat(m.cvRecencyAucMean()).isCloseTo(m.cvAucMean(), within(0.01));
        assertThat(m.metrics("recency only").rocAuc()).isCloseTo(m.metrics("logistic").rocAuc(), within(0.01));
        Evidence.Verdict v = Evidence.verdict(m, null, RULES);
        assertThat(v.published()).isFalse();
        assertThat(v.failed()).extracting(Evidence.Check::name).containsExactly("recency baseline");
    }

    @Test
    void aModelThatBeatsRecencyAndChanceIsPublished() throws Exception {
        ChurnModel m = new ChurnTrainer(OPTIONS).train(recency(4000, 5, true));

        assertThat(m.cvGainOverRecency()).isGreaterThan(0.05);
        Evidence.Verdict v = Evidence.verdict(m, null, RULES);
        assertThat(v.published()).as(v.summary()).isTrue();
        assertThat(v.checks()).extracting(Evidence.Check::name).containsExactly("cross-validation", "hold-out", "recency baseline");
        // the out-of-time check, when the data allows it, must pass too
        Evidence.OutOfTime poor = new Evidence.OutOfTime(null, null, null, 100, 0.52, 0.5, new double[0], new boolean[0], new double[0]);
        assertThat(Evidence.verdict(m, poor, RULES).failed()).extracting(Evidence.Check::name).containsExactly("out of time");
    }

    @Test
    void aFeatureWithOneValueForEveryCustomerIsLeftOutAndNamed() throws Exception {
        TrainingData d = synthetic(1000, 6, true);
        double[][] x = new double[d.size()][];
        for (int i = 0; i < x.length; i++) x[i] = new double[]{d.x()[i][0], 0, d.x()[i][1], Double.NaN, d.x()[i][2]};
        TrainingData withConstants = new TrainingData(List.of("unresolved_tickets", "recent_support_tickets", "orders_last_window", "never_known", "noise"),
                d.customerIds(), x, d.churned());
        ChurnTrainer.Informative kept = ChurnTrainer.withoutConstantFeatures(withConstants);
        assertThat(kept.dropped()).containsExactly("recent_support_tickets (0 for every customer)", "never_known (missing for every customer)");
        assertThat(kept.data().features()).isEqualTo(FEATURES);
        assertThat(kept.data().x()[7]).containsExactly(d.x()[7]);
        assertThat(new ChurnTrainer(OPTIONS).train(kept.data()).features()).isEqualTo(FEATURES);
    }

    @Test
    void varianceInflationIsOneOverOneMinusRSquared() {
        // a = 1..5, b = 2,1,4,3,5: deviations (-2,-1,0,1,2) and (-1,-2,1,0,2), products 2+2+0+0+4 = 8, squares 10 and 10:
        // r = 0.8, R² of either on the other 0.64, VIF 1 / 0.36 = 2.777...
        double[][] z = {{1, 2}, {2, 1}, {3, 4}, {4, 3}, {5, 5}};
        double[] vif = ChurnTrainer.varianceInflation(z, List.of(0, 1, 2, 3, 4), 2);
        assertThat(vif[0]).isCloseTo(1 / 0.36, within(1e-9));
        assertThat(vif[1]).isCloseTo(1 / 0.36, within(1e-9));
        // uncorrelated: (-1,1,-1,1) and (-1,-1,1,1) have products summing to 0: VIF 1
        assertThat(ChurnTrainer.varianceInflation(new double[][]{{0, 0}, {2, 0}, {0, 2}, {2, 2}}, List.of(0, 1, 2, 3), 2)).containsExactly(1.0, 1.0);
    }

    @Test
    void featuresThatMoveTogetherAreNotCalledDriversWhileAStableOneIs() throws Exception {
        // orders and spend nearly the same thing (spend = 40 x orders + a little noise); tickets independent
        Random r = new Random(8);
        int n = 3000;
        double[][] x = new double[n][];
        boolean[] y = new boolean[n];
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            double orders = r.nextInt(8), spend = 40 * orders + r.nextGaussian(), tickets = r.nextInt(4);
            x[i] = new double[]{orders, spend, tickets};
            y[i] = r.nextDouble() < 1 / (1 + Math.exp(-(-0.5 - 0.4 * orders + 0.9 * tickets)));
            ids[i] = i + 1;
        }
        ChurnModel m = new ChurnTrainer(OPTIONS).train(new TrainingData(List.of("total_orders", "total_spent", "unresolved_tickets"), ids, x, y));
        java.util.Map<String, ChurnModel.Term> t = new java.util.HashMap<>();
        for (ChurnModel.Term term : m.termsBySize()) t.put(term.feature(), term);
        assertThat(t.get("total_orders").vif()).isGreaterThan(100);
        assertThat(t.get("total_orders").stable()).isFalse();
        assertThat(t.get("total_spent").stable()).isFalse();
        assertThat(t.get("total_orders").whyNotStable(5, 0.9)).startsWith("moves with other features (variance inflation ");
        assertThat(t.get("unresolved_tickets").vif()).isLessThan(1.1);
        assertThat(t.get("unresolved_tickets").sameSign()).isEqualTo(1.0);
        assertThat(m.driversBySize()).extracting(ChurnModel.Term::feature).containsExactly("unresolved_tickets");
        // a coefficient against the feature's own direction (UCI: total_spent +0.67 while big spenders churn less) is a suppression effect, not a driver
        assertThat(ChurnModel.reverses(0.67, -0.10)).isTrue();
        assertThat(ChurnModel.reverses(0.03, -0.10)).as("negligible").isFalse();
        assertThat(ChurnModel.reverses(-0.40, -0.20)).isFalse();
        assertThat(new ChurnModel.Term("total_spent", 0.67, 3.3, 1.0, -0.10, false).whyNotStable(5, 0.9))
                .isEqualTo("alone it goes the other way (correlation with churning -0.10): its sign here is what is left once the other features are held fixed");
    }

    @Test
    void crossValidationIsRepeatedOnNewSplitsAndItsFirstRepeatIsTheSingleSplit() throws Exception {
        TrainingData d = synthetic(1500, 9, true);
        ChurnModel three = new ChurnTrainer(OPTIONS).train(d);
        ChurnModel one = new ChurnTrainer(new ChurnTrainer.Options(1e-8, 42, 0.2, 200, 6, 50_000, 10, 1, 5, 0.9)).train(d);
        assertThat(three.cvAuc()).hasSize(30);
        assertThat(three.cvFolds()).isEqualTo(10);
        assertThat(java.util.Arrays.copyOf(three.cvAuc(), 10)).containsExactly(one.cvAuc());
        double[] means = three.cvRepeatMeans();
        assertThat(means).hasSize(3);
        assertThat(means[0]).isEqualTo(one.cvAucMean());
        assertThat(means[1]).isNotEqualTo(means[0]);   // another split, other folds
        assertThat(three.cvAucMean()).isCloseTo((means[0] + means[1] + means[2]) / 3, within(1e-12));
    }

    @Test
    void aucByRanksCountsTiesAsAHalf() {
        // churners score 0.35 and 0.8, the others 0.1 and 0.4: of the 4 pairs the churner wins 3 -> 0.75
        assertThat(Metrics.auc(new double[]{0.1, 0.4, 0.35, 0.8}, new boolean[]{false, false, true, true})).isEqualTo(0.75);
        // a tie between a churner and a non-churner counts a half: pairs (0.5 vs 0.5) 0.5 + (0.5 vs 0.2) 1 -> 1.5 / 2
        assertThat(Metrics.auc(new double[]{0.5, 0.5, 0.2}, new boolean[]{true, false, false})).isEqualTo(0.75);
    }

    @Test
    void precisionAndRecallOfThePublishedBandsAndTheList() {
        double[] p = {0.9, 0.6, 0.4, 0.3, 0.2, 0.1};
        boolean[] y = {true, false, true, false, true, false};
        List<Evidence.Hit> bands = Evidence.bands(p, y, 0.5, 0.25);
        // high (>= 0.5): 0.9 and 0.6, one churner of the three: precision 1/2, recall 1/3, lift 0.5 / 0.5 = 1
        assertThat(bands.get(0).customers()).isEqualTo(2);
        assertThat(bands.get(0).precision()).isEqualTo(0.5);
        assertThat(bands.get(0).recall()).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(bands.get(0).lift()).isEqualTo(1.0);
        // high or medium (>= 0.25): four customers, two churners: precision 1/2, recall 2/3
        assertThat(bands.get(1).customers()).isEqualTo(4);
        assertThat(bands.get(1).recall()).isCloseTo(2 / 3.0, within(1e-12));
        // the list: expected value = p x revenue x 0.2 - 5; revenues make the order 0.2 x 1000 (EV 35), 0.4 x 500 (35), 0.9 x 100 (13), ...
        double[] revenue = {100, 10, 500, 10, 1000, 10};
        // half of the customers (3), positive EV only: customers 4 (0.2 x 1000 x 0.2 - 5 = 35), 2 (0.4 x 500 x 0.2 - 5 = 35),
        // 0 (0.9 x 100 x 0.2 - 5 = 13): all three churned -> precision 1, recall 1
        Evidence.Hit list = Evidence.list(p, revenue, y, 0.2, 5, 0.5);
        assertThat(list.customers()).isEqualTo(3);
        assertThat(list.churners()).isEqualTo(3);
        assertThat(list.recall()).isEqualTo(1.0);
        // a share larger than the customers with a positive value takes only those: 1 (0.6 x 10 x 0.2 - 5 < 0) stays out
        assertThat(Evidence.list(p, revenue, y, 0.2, 5, 1.0).customers()).isEqualTo(3);
    }

    @Test
    void theLinearFormulaReproducesWekasPredictions() throws Exception {
        TrainingData d = synthetic(2000, 3, true);
        ChurnModel m = new ChurnTrainer(OPTIONS).train(d);
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
