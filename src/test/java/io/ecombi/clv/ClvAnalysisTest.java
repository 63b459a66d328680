package io.ecombi.clv;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The verdict of a run's CLV (ClvAnalysis) on simulated shops: a shop that behaves as BG/NBD and
 * Gamma-Gamma say gets predicted CLV, and the hold-out check beats the past-rate baseline on it; a
 * hold-out that the baseline predicts exactly, a history too short for the check and too few
 * customers each give historical value with the reason. No database.
 */
class ClvAnalysisTest {
    static final LocalDate AS_OF = LocalDate.of(2026, 6, 30);
    static final int HOLDOUT_DAYS = 182;
    static final ClvAnalysis.Policy POLICY = new ClvAnalysis.Policy(HOLDOUT_DAYS, 10, 200, 50);

    /** One simulated customer: first purchase in weeks before the as-of date, then the times of the repeat purchases and their values. */
    record Customer(double startWeeksAgo, List<Double> times, List<Double> values) { }

    static List<Customer> simulate(BgNbd m, GammaGamma g, int n, double minAge, double maxAge, RandomGenerator rng) {
        GammaDistribution lambdas = new GammaDistribution(rng, m.r(), 1 / m.alpha());
        BetaDistribution ps = new BetaDistribution(rng, m.a(), m.b());
        GammaDistribution nus = new GammaDistribution(rng, g.q(), 1 / g.gamma());
        List<Customer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double age = minAge + (maxAge - minAge) * rng.nextDouble();
            double lambda = lambdas.sample(), p = ps.sample();
            GammaDistribution value = new GammaDistribution(rng, g.p(), 1 / nus.sample());
            List<Double> times = new ArrayList<>(), values = new ArrayList<>();
            double t = 0;
            while (true) {
                t += -Math.log(1 - rng.nextDouble()) / lambda;
                if (t > age) break;
                times.add(t);
                values.add(value.sample());
                if (rng.nextDouble() < p) break;
            }
            out.add(new Customer(age, times, values));
        }
        return out;
    }

    /** The summary the SQL would give for these customers, as of AS_OF with the hold-out of HOLDOUT_DAYS. */
    static CustomerSummary summary(List<Customer> customers) {
        int n = customers.size();
        double holdout = HOLDOUT_DAYS / 7.0;
        long[] ids = new long[n];
        int[] x = new int[n];
        double[] tx = new double[n], T = new double[n], m = new double[n], revenue = new double[n], revenue12m = new double[n];
        List<Integer> cal = new ArrayList<>();
        double oldest = 0;
        for (int i = 0; i < n; i++) {
            Customer c = customers.get(i);
            ids[i] = i + 1;
            x[i] = c.times().size();
            tx[i] = x[i] == 0 ? 0 : c.times().get(x[i] - 1);
            T[i] = c.startWeeksAgo();
            double sum = c.values().stream().mapToDouble(Double::doubleValue).sum();
            m[i] = x[i] == 0 ? Double.NaN : sum / x[i];
            revenue[i] = sum;
            oldest = Math.max(oldest, c.startWeeksAgo());
            if (c.startWeeksAgo() >= holdout) cal.add(i);
        }
        int nc = cal.size();
        int[] rows = new int[nc], cx = new int[nc], actual = new int[nc];
        double[] ctx = new double[nc], cT = new double[nc], cm = new double[nc], actualRevenue = new double[nc];
        for (int j = 0; j < nc; j++) {
            Customer c = customers.get(cal.get(j));
            double end = c.startWeeksAgo() - holdout;   // the calibration end, in weeks after the first purchase
            rows[j] = cal.get(j);
            cT[j] = end;
            double sum = 0;
            for (int k = 0; k < c.times().size(); k++) {
                if (c.times().get(k) <= end) {
                    cx[j]++;
                    ctx[j] = c.times().get(k);
                    sum += c.values().get(k);
                } else {
                    actual[j]++;
                    actualRevenue[j] += c.values().get(k);
                }
            }
            cm[j] = cx[j] == 0 ? Double.NaN : sum / cx[j];
        }
        return new CustomerSummary(ids, new Histories(x, tx, T, m), revenue, revenue12m, AS_OF.minusDays((long) Math.ceil(oldest * 7)),
                AS_OF.minusDays(HOLDOUT_DAYS), rows, new Histories(cx, ctx, cT, cm), actual, actualRevenue);
    }

    @Test
    void aShopThatBehavesAsTheModelsSayGetsPredictedValue() {
        List<Customer> shop = simulate(new BgNbd(0.5, 8, 0.7, 3), new GammaGamma(4, 3, 60), 4000, 1, 104, new Well19937c(34L));
        CustomerSummary s = summary(shop);
        ClvAnalysis.Outcome o = ClvAnalysis.run(s, AS_OF, POLICY);
        assertThat(o.reason()).isNull();
        assertThat(o.predicted()).isTrue();
        assertThat(o.check().modelBeatsBaseline()).isTrue();
        assertThat(o.check().customers()).isEqualTo(s.calibration().size());
        // the discount only takes away: month i's value is divided by 1.1^(i/12), so the 12 months keep between 1/1.1 and all of it
        for (Valuation.Value v : o.values()) {
            assertThat(v.pAlive()).isBetween(0.0, 1.0);
            assertThat(v.purchases90d()).isBetween(0.0, v.purchases12m());
            double undiscounted = v.purchases12m() * v.orderValue();
            assertThat(v.clv12m()).isBetween(undiscounted / 1.1 - 1e-9, undiscounted + 1e-9);
        }
        // without a discount the 12-month CLV is the expected purchases times the expected purchase value
        Valuation flat = new Valuation(o.full().purchases(), o.full().spend(), 0);
        Valuation.Value v = flat.of(3, 40, 60, 75);
        assertThat(v.clv12m()).isCloseTo(v.purchases12m() * v.orderValue(), within(1e-9));
        assertThat(v.purchases12m()).isCloseTo(o.full().purchases().conditionalExpected(365.25 / 7, 3, 40, 60), within(1e-12));
        assertThat(v.purchases90d()).isCloseTo(o.full().purchases().conditionalExpected(90 / 7.0, 3, 40, 60), within(1e-12));
        assertThat(v.orderValue()).isCloseTo(o.full().spend().conditionalExpectedValue(3, 75), within(1e-12));
    }

    /**
     * Every calibration customer is 26 weeks old at the calibration end and buys in the hold-out
     * exactly as often as before (x in 26 weeks, x again in the next 26): the baseline x / T is right
     * for each, the model (with its dropout) is not, so the page gets historical value and the check's figures.
     */
    @Test
    void aHoldOutTheBaselinePredictsBetterGivesHistoricalValueAndSaysWhy() {
        List<Customer> shop = simulate(new BgNbd(0.5, 8, 0.7, 3), new GammaGamma(4, 3, 60), 3000, 1, 104, new Well19937c(35L));
        CustomerSummary real = summary(shop);
        int nc = real.calibration().size();
        int[] cx = real.calibration().x().clone();
        double[] cT = new double[nc], ctx = real.calibration().tx().clone();
        for (int j = 0; j < nc; j++) {
            cT[j] = 26;
            ctx[j] = Math.min(ctx[j], 26);
        }
        Histories cal = new Histories(cx, ctx, cT, real.calibration().m());
        CustomerSummary s = new CustomerSummary(real.customerIds(), real.full(), real.netRevenue(), real.netRevenue12m(), real.firstDay(),
                real.calibrationEnd(), real.calibrationRows(), cal, cx.clone(), real.holdoutNetRevenue());
        ClvAnalysis.Outcome o = ClvAnalysis.run(s, AS_OF, POLICY);
        assertThat(o.predicted()).isFalse();
        assertThat(o.values()).isNull();
        assertThat(o.check().baselineMae()).isCloseTo(0, within(1e-12));
        assertThat(o.reason()).startsWith("in the hold-out check (2025-12-31 to 2026-06-30) the model did not beat the baseline \"each customer repeats at"
                + " their past rate\": error per customer ");
    }

    @Test
    void aHistoryShorterThanTwoHoldOutsCannotBeChecked() {
        // every customer's first purchase within the last 40 weeks: the calibration part is shorter than the 26-week hold-out
        List<Customer> shop = simulate(new BgNbd(0.5, 8, 0.7, 3), new GammaGamma(4, 3, 60), 2000, 1, 40, new Well19937c(36L));
        ClvAnalysis.Outcome o = ClvAnalysis.run(summary(shop), AS_OF, POLICY);
        assertThat(o.predicted()).isFalse();
        assertThat(o.reason()).startsWith("the history is too short to check the model: it starts on 2025-09-2");
        assertThat(o.calibration()).isNull();
        assertThat(o.check()).isNull();
        // the whole-history fits still run, for the report
        assertThat(o.full().bgNbd()).isNotNull();
    }

    /**
     * A year of customers who hardly ever drop out (as UCI Online Retail's year looks to BG/NBD): the
     * likelihood is flat in the dropout parameters, the fit cannot pin them down, and the reason says
     * so in plain words.
     */
    @Test
    void aYearThatCannotShowDropoutGivesHistoricalValueInPlainWords() {
        List<Customer> shop = simulate(new BgNbd(0.8, 10, 0.003, 7), new GammaGamma(2, 3.5, 470), 4300, 0, 53, new Well19937c(38L));
        ClvAnalysis.Outcome o = ClvAnalysis.run(summary(shop), AS_OF, POLICY);
        assertThat(o.predicted()).isFalse();
        assertThat(o.reason()).startsWith("the purchase model (BG/NBD) on the whole history cannot tell from this history whether and when customers stop buying:"
                + " its dropout parameters are not pinned down by the data (a = ");
        assertThat(o.full().bgNbd().converged()).isFalse();
        assertThat(o.full().bgNbd().loose("a")).isTrue();
    }

    @Test
    void aShopWithoutCustomersSaysSo() {
        CustomerSummary none = summary(List.of());
        ClvAnalysis.Outcome o = ClvAnalysis.run(none, AS_OF, POLICY);
        assertThat(o.reason()).isEqualTo("no known customer has a purchase on or before the as-of date");
        assertThat(o.full()).isNull();
        assertThat(ClvText.text(1, none, o, "USD")).contains("Verdict: HISTORICAL VALUE, no prediction. Reason: no known customer");
    }

    @Test
    void tooFewRepeatBuyersForTheSpendModel() {
        List<Customer> shop = simulate(new BgNbd(0.5, 8, 0.7, 3), new GammaGamma(4, 3, 60), 300, 1, 104, new Well19937c(37L));
        ClvAnalysis.Outcome o = ClvAnalysis.run(summary(shop), AS_OF, new ClvAnalysis.Policy(HOLDOUT_DAYS, 10, 200, 5000));
        assertThat(o.reason()).matches("only [0-9,]+ customers have a repeat purchase with a positive value; the spend model \\(Gamma-Gamma\\) needs at least"
                + " 5,000 \\(ecombi.clv.min-repeat-customers\\)");
    }
}
