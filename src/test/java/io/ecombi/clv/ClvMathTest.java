package io.ecombi.clv;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * BG/NBD and Gamma-Gamma against values worked out without this code: the published CDNOW fit
 * (Fader, Hardie &amp; Lee 2005; Fader &amp; Hardie's Gamma-Gamma note), a likelihood worked out by
 * hand, the closed forms against numerical integration over the mixing distributions, and the
 * recovery of known parameters from simulated purchase histories.
 */
class ClvMathTest {

    /** The CDNOW sample: 2,357 customers, weeks (src/test/resources/clv/README.md). */
    static Histories cdnow() throws IOException {
        List<int[]> xs = new ArrayList<>();
        List<double[]> rest = new ArrayList<>();
        try (InputStream in = ClvMathTest.class.getResourceAsStream("/clv/cdnow_summary.csv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 1; i < lines.length; i++) {
                if (lines[i].isBlank()) continue;
                String[] f = lines[i].trim().split(",");
                xs.add(new int[]{Integer.parseInt(f[1])});
                rest.add(new double[]{Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4])});
            }
        }
        int n = xs.size();
        int[] x = new int[n];
        double[] tx = new double[n], T = new double[n], m = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = xs.get(i)[0];
            tx[i] = rest.get(i)[0];
            T[i] = rest.get(i)[1];
            m[i] = x[i] > 0 ? rest.get(i)[2] : Double.NaN;
        }
        return new Histories(x, tx, T, m);
    }

    @Test
    void theLogLikelihoodOfTheCdnowSampleAtThePublishedFitIsThePublishedValue() throws IOException {
        Histories h = cdnow();
        assertThat(h.size()).isEqualTo(2357);
        // FHL 2005, section 5: "the maximum value of the log-likelihood function is -9582.4"
        assertThat(new BgNbd(0.243, 4.414, 0.793, 2.426).logLikelihood(h)).isCloseTo(-9582.4, within(0.05));
        // the grouped sum is the sum of the customers' own log-likelihoods
        BgNbd m = new BgNbd(0.243, 4.414, 0.793, 2.426);
        double sum = 0;
        for (int i = 0; i < h.size(); i++) sum += m.logLikelihood(h.x()[i], h.tx()[i], h.T()[i]);
        assertThat(m.logLikelihood(h)).isCloseTo(sum, within(1e-6));
    }

    @Test
    void fittingTheCdnowSampleFindsThePublishedParameters() throws IOException {
        Histories h = cdnow();
        MaximumLikelihood.Fit f = Fitting.bgNbd(h);
        assertThat(f.converged()).as(f.problem()).isTrue();
        // published to three decimals: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426
        assertThat(f.param("r")).isCloseTo(0.243, within(0.0006));
        assertThat(f.param("alpha")).isCloseTo(4.414, within(0.0006));
        assertThat(f.param("a")).isCloseTo(0.793, within(0.0006));
        assertThat(f.param("b")).isCloseTo(2.426, within(0.0006));
        assertThat(f.logLikelihood()).isCloseTo(-9582.4, within(0.05));
        // the note's Gamma-Gamma fit on the 946 repeat buyers: p = 6.25, q = 3.74, gamma = 15.44
        Histories repeat = h.repeatBuyersWithValue();
        assertThat(repeat.size()).isEqualTo(946);
        MaximumLikelihood.Fit g = Fitting.gammaGamma(repeat);
        assertThat(g.converged()).as(g.problem()).isTrue();
        assertThat(g.param("p")).isCloseTo(6.25, within(0.005));
        assertThat(g.param("q")).isCloseTo(3.74, within(0.006));
        assertThat(g.param("gamma")).isCloseTo(15.44, within(0.01));
    }

    @Test
    void theConditionalExpectationOfThePapersExampleCustomer() {
        // FHL 2005: a customer with x = 2, t_x = 30.43, T = 38.86 is expected to make 1.226 purchases in the next 39 weeks
        BgNbd m = new BgNbd(0.243, 4.414, 0.793, 2.426);
        assertThat(m.conditionalExpected(39, 2, 30.43, 38.86)).isCloseTo(1.226, within(0.0005));
    }

    @Test
    void theLikelihoodOfTinyHistoriesWorkedOutByHand() {
        BgNbd m = new BgNbd(1, 1, 1, 1);   // lambda ~ Exp(1), p ~ Uniform(0, 1)
        // x = 0, T = 1: L = E[e^-lambda] = 1/2
        assertThat(m.logLikelihood(0, 0, 1)).isCloseTo(Math.log(0.5), within(1e-12));
        // x = 1, t_x = 0.5, T = 1: L(lambda, p) = (1-p) lambda e^-lambda + p lambda e^-0.5 lambda;
        // E over p: (lambda e^-lambda + lambda e^-0.5 lambda) / 2; E over lambda: (1/4 + 1/2.25) / 2 = 0.3472222...
        assertThat(m.logLikelihood(1, 0.5, 1)).isCloseTo(Math.log((0.25 + 1 / 2.25) / 2), within(1e-12));
        // Gamma-Gamma, p = q = gamma = 1, one purchase of 1: Gamma(2)/(Gamma(1)Gamma(1)) * 1 * 1 * 1 / 2^2 = 1/4
        assertThat(new GammaGamma(1, 1, 1).logLikelihood(1, 1)).isCloseTo(Math.log(0.25), within(1e-12));
    }

    @Test
    void theHypergeometricSeriesAgreesWithAClosedForm() {
        for (double z : new double[]{0, 0.1, 0.5, 0.9, 0.99, 0.999}) {
            double expected = z == 0 ? 1 : -Math.log(1 - z) / z;   // 2F1(1, 1; 2; z)
            assertThat(Hypergeometric.f21(1, 1, 2, z)).isCloseTo(expected, within(1e-10 * expected));
        }
        // 2F1(a, b; b; z) = (1 - z)^-a
        assertThat(Hypergeometric.f21(0.7, 3.2, 3.2, 0.8)).isCloseTo(Math.pow(0.2, -0.7), within(1e-10));
    }

    /**
     * The closed forms against a different method: numerical integration of the individual
     * likelihood over lambda ~ Gamma(r, alpha) and p ~ Beta(a, b). P(alive) = E[(1-p)^x lambda^x
     * e^(-lambda T)] / E[L]; E[Y(t) | history] = E[(1-p)^x lambda^x e^(-lambda T) (1 - e^(-lambda p t)) / p] / E[L]
     * (an alive customer's expected purchases in t, FHL 2005 eq. (7)).
     */
    @Test
    void theClosedFormsAgreeWithNumericalIntegrationOverTheMixingDistributions() {
        BgNbd m = new BgNbd(0.243, 4.414, 0.793, 2.426);
        double[][] histories = {{2, 30.43, 38.86}, {0, 0, 38.86}, {5, 10, 38}, {1, 37, 38}, {12, 34.43, 38.57}};
        for (double[] c : histories) {
            int x = (int) c[0];
            double tx = c[1], T = c[2], t = 39;
            double[] e = integrate(m, x, tx, T, t);
            assertThat(m.logLikelihood(x, tx, T)).as("ln L of %s", java.util.Arrays.toString(c)).isCloseTo(Math.log(e[0]), within(1e-5));
            assertThat(m.pAlive(x, tx, T)).as("P(alive) of %s", java.util.Arrays.toString(c)).isCloseTo(e[1] / e[0], within(1e-5));
            assertThat(m.conditionalExpected(t, x, tx, T)).as("E[Y(39)] of %s", java.util.Arrays.toString(c)).isCloseTo(e[2] / e[0], within(1e-4));
        }
        // a + b < 1 and x = 0: the series' c = a + b - 1 is negative. 0.3843231212 is the double integral worked out with
        // scipy's quad (E over lambda ~ Gamma(0.5, 8) of e^(-20 lambda) E over p ~ Beta(0.3, 0.5) of (1 - e^(-26 lambda p)) / p,
        // over E[e^(-20 lambda)])
        assertThat(new BgNbd(0.5, 8, 0.3, 0.5).conditionalExpected(26, 0, 0, 20)).isCloseTo(0.3843231212, within(1e-8));
        // and a fit with a > 1 (the expectation's (a-1) changes sign)
        BgNbd m2 = new BgNbd(1.5, 20, 2.5, 6);
        double[] e = integrate(m2, 3, 20, 50, 26);
        assertThat(m2.conditionalExpected(26, 3, 20, 50)).isCloseTo(e[2] / e[0], within(1e-4));
        assertThat(m2.pAlive(3, 20, 50)).isCloseTo(e[1] / e[0], within(1e-5));
    }

    /**
     * {E[L], E[alive part], E[alive part x future purchases]} by the midpoint rule. A density
     * exponent below 1 is singular at 0: then p = u^(1/a) and lambda = v^(1/r) take it away
     * (p^(a-1) dp = du / a, lambda^(r-1) d lambda = dv / r); with exponents of 1 or more p and
     * lambda are integrated as they are (k = min(exponent, 1) covers both).
     */
    private static double[] integrate(BgNbd m, int x, double tx, double T, double t) {
        int nu = 2000, nv = 4000;
        // far into the tail of lambda's posterior, Gamma(r + x, alpha + t_x) at its widest
        double lambdaMax = (m.r() + x + 10 * Math.sqrt(m.r() + x) + 5) / (m.alpha() + tx);
        double kp = Math.min(m.a(), 1), kl = Math.min(m.r(), 1);
        double vMax = Math.pow(lambdaMax, kl);
        double lnNorm = m.r() * Math.log(m.alpha()) - Gamma.logGamma(m.r()) - Beta.logBeta(m.a(), m.b());
        // what depends on lambda only, once per point
        double[] lambda = new double[nv], wl = new double[nv], aliveL = new double[nv], diedL = new double[nv];
        for (int j = 0; j < nv; j++) {
            double v = (j + 0.5) / nv * vMax;
            lambda[j] = Math.pow(v, 1 / kl);
            wl[j] = Math.pow(v, (m.r() - kl) / kl) * Math.exp(lnNorm - m.alpha() * lambda[j]) / kl * vMax / nv;
            aliveL[j] = Math.pow(lambda[j], x) * Math.exp(-lambda[j] * T);
            diedL[j] = Math.pow(lambda[j], x) * Math.exp(-lambda[j] * tx);
        }
        double[] sum = new double[3];
        for (int i = 0; i < nu; i++) {
            double u = (i + 0.5) / nu;
            double p = Math.pow(u, 1 / kp);
            double wp = Math.pow(u, (m.a() - kp) / kp) * Math.pow(1 - p, m.b() - 1) / kp / nu;
            double aliveP = Math.pow(1 - p, x), diedP = x > 0 ? p * Math.pow(1 - p, x - 1) : 0;
            for (int j = 0; j < nv; j++) {
                double w = wp * wl[j];
                double alive = aliveP * aliveL[j];
                sum[0] += w * (alive + diedP * diedL[j]);
                sum[1] += w * alive;
                sum[2] += w * alive * (1 - Math.exp(-lambda[j] * p * t)) / p;
            }
        }
        return sum;
    }

    /**
     * Purchase histories simulated from known parameters, then fitted: each parameter comes back
     * within 3 of the fit's standard errors and within 10 % of its true value, and the data pins it
     * down to a standard error under 10 % of it. 20,000 customers, acquired evenly over a year and
     * watched to the end of the second (T from 52 to 104 weeks). With this seed: r = 0.2496
     * (± 0.0034), alpha = 3.917 (± 0.095), a = 0.8125 (± 0.036), b = 2.484 (± 0.15); p = 6.297
     * (± 0.33), q = 4.050 (± 0.085), gamma = 14.48 (± 1.0) on the 10,572 repeat buyers.
     */
    @Test
    void simulatedHistoriesGiveBackTheParametersTheyWereDrawnFrom() {
        BgNbd truth = new BgNbd(0.25, 4.0, 0.8, 2.5);
        GammaGamma spend = new GammaGamma(6, 4, 15);
        Histories h = simulate(truth, spend, 20_000, 52, 104, new Well19937c(20260601L));
        MaximumLikelihood.Fit f = Fitting.bgNbd(h);
        assertThat(f.converged()).as(f.problem()).isTrue();
        assertRecovered(f, truth.toArray());
        MaximumLikelihood.Fit g = Fitting.gammaGamma(h.repeatBuyersWithValue());
        assertThat(g.converged()).as(g.problem()).isTrue();
        assertRecovered(g, spend.toArray());
    }

    /**
     * A sample in which nobody ever buys again carries no information on the dropout (a, b): the fit
     * must say it did not converge rather than print numbers.
     */
    @Test
    void aSampleThatCannotIdentifyTheModelIsNotCalledConverged() {
        int n = 500;
        int[] x = new int[n];
        double[] tx = new double[n], T = new double[n];
        for (int i = 0; i < n; i++) T[i] = 10 + i % 40;
        MaximumLikelihood.Fit f = Fitting.bgNbd(Histories.of(x, tx, T));
        assertThat(f.converged()).isFalse();
        assertThat(f.problem()).isNotBlank();
    }

    private static void assertRecovered(MaximumLikelihood.Fit f, double[] truth) {
        for (int i = 0; i < truth.length; i++) {
            String name = f.names().get(i);
            double se = f.standardErrors()[i];
            assertThat(se).as("standard error of %s", name).isPositive().isLessThan(0.10 * truth[i]);
            assertThat(f.params()[i]).as("%s (se %.4f): %s", name, se, f.describe()).isCloseTo(truth[i], within(3 * se));
            assertThat(f.params()[i]).as("%s: %s", name, f.describe()).isCloseTo(truth[i], within(0.10 * truth[i]));
        }
    }

    /**
     * Customers as BG/NBD and Gamma-Gamma describe them: lambda ~ Gamma(r, rate alpha), p ~ Beta(a, b);
     * purchases at the times of a Poisson process of rate lambda until T, and after each repeat
     * purchase the customer drops out with probability p; each purchase's value ~ Gamma(shape p,
     * rate nu), nu ~ Gamma(q, rate gamma) per customer.
     */
    static Histories simulate(BgNbd m, GammaGamma g, int n, double minT, double maxT, RandomGenerator rng) {
        GammaDistribution lambdas = new GammaDistribution(rng, m.r(), 1 / m.alpha());
        BetaDistribution ps = new BetaDistribution(rng, m.a(), m.b());
        GammaDistribution nus = new GammaDistribution(rng, g.q(), 1 / g.gamma());
        int[] x = new int[n];
        double[] tx = new double[n], T = new double[n], mean = new double[n];
        for (int i = 0; i < n; i++) {
            T[i] = minT + (maxT - minT) * rng.nextDouble();
            double lambda = lambdas.sample(), p = ps.sample(), nu = nus.sample();
            GammaDistribution value = new GammaDistribution(rng, g.p(), 1 / nu);
            double time = 0, total = 0;
            while (true) {
                time += -Math.log(1 - rng.nextDouble()) / lambda;
                if (time > T[i]) break;
                x[i]++;
                tx[i] = time;
                total += value.sample();
                if (rng.nextDouble() < p) break;
            }
            mean[i] = x[i] > 0 ? total / x[i] : Double.NaN;
        }
        return new Histories(x, tx, T, mean);
    }
}
