package io.ecombi.clv;

import org.apache.commons.math3.special.Gamma;

/**
 * The BG/NBD model of repeat purchasing (Fader, Hardie &amp; Lee 2005, "Counting your customers the
 * easy way"): while alive, a customer buys as a Poisson process of rate lambda, lambda ~ Gamma(r,
 * alpha) across customers; after each repeat purchase the customer drops out for good with
 * probability p, p ~ Beta(a, b). A customer's history is x repeat purchases, the last at t_x, in an
 * observation of length T since the first purchase (same time unit as alpha).
 *
 * <p>Each method is the paper's closed form, numbered as there: the log-likelihood (6), P(alive)
 * (the note's eq. for P(tau &gt; T)) and the conditional expectation E[Y(t) | x, t_x, T] (10).
 */
public record BgNbd(double r, double alpha, double a, double b) {

    /** The four parameters from an array {r, alpha, a, b}. */
    public static BgNbd of(double[] v) {
        return new BgNbd(v[0], v[1], v[2], v[3]);
    }

    public double[] toArray() {
        return new double[]{r, alpha, a, b};
    }

    /** One customer's log-likelihood: ln L(r, alpha, a, b | x, t_x, T), FHL 2005 eq. (6). */
    public double logLikelihood(int x, double tx, double T) {
        double a1 = Gamma.logGamma(r + x) - Gamma.logGamma(r) + r * Math.log(alpha);
        double a2 = Gamma.logGamma(a + b) + Gamma.logGamma(b + x) - Gamma.logGamma(b) - Gamma.logGamma(a + b + x);
        double a3 = -(r + x) * Math.log(alpha + T);
        if (x == 0) return a1 + a2 + a3;
        double a4 = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
        return a1 + a2 + logSumExp(a3, a4);
    }

    /**
     * The sample's log-likelihood, the sum of eq. (6) over the customers. The terms that depend
     * only on x are computed once per distinct x (a shop has thousands of customers and a few dozen
     * values of x).
     */
    public double logLikelihood(Histories h) {
        int maxX = h.maxFrequency();
        double lnGammaR = Gamma.logGamma(r), lnGammaB = Gamma.logGamma(b), lnAB = Gamma.logGamma(a + b);
        double rLnAlpha = r * Math.log(alpha), lnA = Math.log(a);
        double[] byX = new double[maxX + 1];
        double[] a4ByX = new double[maxX + 1];
        boolean[] seen = h.frequencies();
        for (int x = 0; x <= maxX; x++) {
            if (!seen[x]) continue;
            byX[x] = Gamma.logGamma(r + x) - lnGammaR + rLnAlpha + lnAB + Gamma.logGamma(b + x) - lnGammaB - Gamma.logGamma(a + b + x);
            if (x > 0) a4ByX[x] = lnA - Math.log(b + x - 1);
        }
        double sum = 0;
        for (int i = 0; i < h.size(); i++) {
            int x = h.x()[i];
            double a3 = -(r + x) * Math.log(alpha + h.T()[i]);
            sum += byX[x] + (x == 0 ? a3 : logSumExp(a3, a4ByX[x] - (r + x) * Math.log(alpha + h.tx()[i])));
        }
        return sum;
    }

    /**
     * P(alive | x, t_x, T): the probability the customer has not dropped out by T. A customer
     * without a repeat purchase cannot have dropped out (dropping out follows a purchase): 1.
     */
    public double pAlive(int x, double tx, double T) {
        if (x == 0) return 1;
        double lnOdds = Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
        return 1 / (1 + Math.exp(lnOdds));
    }

    /**
     * E[Y(t) | x, t_x, T]: the expected repeat purchases in the next t time units of a customer
     * with this history, FHL 2005 eq. (10).
     */
    public double conditionalExpected(double t, int x, double tx, double T) {
        if (t <= 0) return 0;
        double z = t / (alpha + T + t);
        double f = Hypergeometric.f21(r + x, b + x, a + b + x - 1, z);
        double term = Math.exp((r + x) * Math.log((alpha + T) / (alpha + T + t))) * f;
        double numerator = (a + b + x - 1) / (a - 1) * (1 - term);
        double denominator = 1;
        if (x > 0) denominator += Math.exp(Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx)));
        return numerator / denominator;
    }

    /** E[X(t)]: expected repeat purchases of a new customer in t time units, FHL 2005 eq. (9). */
    public double expected(double t) {
        if (t <= 0) return 0;
        double f = Hypergeometric.f21(r, b, a + b - 1, t / (alpha + t));
        return (a + b - 1) / (a - 1) * (1 - Math.exp(r * Math.log(alpha / (alpha + t))) * f);
    }

    static double logSumExp(double u, double v) {
        double m = Math.max(u, v);
        return m + Math.log(Math.exp(u - m) + Math.exp(v - m));
    }
}
