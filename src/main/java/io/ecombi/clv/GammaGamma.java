package io.ecombi.clv;

import org.apache.commons.math3.special.Gamma;

/**
 * The Gamma-Gamma model of spend per purchase (Fader &amp; Hardie, "The Gamma-Gamma model of
 * monetary value", 2013; Fader, Hardie &amp; Lee 2005, "RFM and CLV"): a customer's purchase
 * values are Gamma(p, nu), nu ~ Gamma(q, gamma) across customers, independent of how often they
 * buy. A customer's evidence is x repeat purchases with mean value m.
 */
public record GammaGamma(double p, double q, double gamma) {

    public static GammaGamma of(double[] v) {
        return new GammaGamma(v[0], v[1], v[2]);
    }

    public double[] toArray() {
        return new double[]{p, q, gamma};
    }

    /**
     * One customer's log-likelihood of the mean m of x purchases:
     * ln [Gamma(px+q) / (Gamma(px) Gamma(q)) * gamma^q * m^(px-1) * x^(px) / (gamma + m x)^(px+q)].
     */
    public double logLikelihood(int x, double m) {
        double px = p * x;
        return Gamma.logGamma(px + q) - Gamma.logGamma(px) - Gamma.logGamma(q) + q * Math.log(gamma)
                + (px - 1) * Math.log(m) + px * Math.log(x) - (px + q) * Math.log(gamma + m * x);
    }

    /** The sample's log-likelihood over the customers with x &gt; 0 (each must have m &gt; 0). */
    public double logLikelihood(Histories h) {
        double lnGammaQ = Gamma.logGamma(q), qLnGamma = q * Math.log(gamma);
        int maxX = h.maxFrequency();
        double[] byX = new double[maxX + 1];
        boolean[] seen = h.frequencies();
        for (int x = 1; x <= maxX; x++) {
            if (seen[x]) byX[x] = Gamma.logGamma(p * x + q) - Gamma.logGamma(p * x) - lnGammaQ + qLnGamma + p * x * Math.log(x);
        }
        double sum = 0;
        for (int i = 0; i < h.size(); i++) {
            int x = h.x()[i];
            if (x == 0) continue;
            double m = h.m()[i];
            double px = p * x;
            sum += byX[x] + (px - 1) * Math.log(m) - (px + q) * Math.log(gamma + m * x);
        }
        return sum;
    }

    /**
     * E[M | x, m]: the expected value of this customer's next purchase, the weighted mean of the
     * population mean and their own mean, (gamma + m x) p / (p x + q - 1). Without a repeat
     * purchase (x = 0) the population mean.
     */
    public double conditionalExpectedValue(int x, double m) {
        if (x == 0) return populationMean();
        return (gamma + m * x) * p / (p * x + q - 1);
    }

    /** The mean purchase value across customers, p gamma / (q - 1); infinite unless q &gt; 1. */
    public double populationMean() {
        return q > 1 ? p * gamma / (q - 1) : Double.POSITIVE_INFINITY;
    }
}
