package io.ecombi.clv;

import java.util.List;

/** Maximum-likelihood fits of BG/NBD and Gamma-Gamma to customers' histories ({@link MaximumLikelihood}). */
public final class Fitting {
    public static final List<String> BG_NBD = List.of("r", "alpha", "a", "b");
    public static final List<String> GAMMA_GAMMA = List.of("p", "q", "gamma");

    private Fitting() {}

    /** BG/NBD on every customer; alpha starts at the mean age T (a purchase rate of about one per customer life). */
    public static MaximumLikelihood.Fit bgNbd(Histories h) {
        if (h.size() == 0) throw new IllegalArgumentException("no customer to fit");
        double meanT = 0;
        for (double t : h.T()) meanT += t / h.size();
        return MaximumLikelihood.maximise(BG_NBD, v -> BgNbd.of(v).logLikelihood(h), new double[]{1, Math.max(meanT, 1e-3), 1, 1});
    }

    /**
     * Gamma-Gamma on the customers with a repeat purchase and a positive mean value. The values
     * are divided by their mean while fitting (so the scale parameter starts near 1 whatever the
     * currency); gamma, its standard error and the log-likelihood are given back in the values' own
     * unit.
     */
    public static MaximumLikelihood.Fit gammaGamma(Histories repeatBuyers) {
        int n = repeatBuyers.size();
        if (n == 0) throw new IllegalArgumentException("no repeat customer with a positive mean value to fit");
        double scale = 0;
        for (double m : repeatBuyers.m()) scale += m / n;
        double[] scaled = new double[n];
        for (int i = 0; i < n; i++) scaled[i] = repeatBuyers.m()[i] / scale;
        Histories s = new Histories(repeatBuyers.x(), repeatBuyers.tx(), repeatBuyers.T(), scaled);
        MaximumLikelihood.Fit f = MaximumLikelihood.maximise(GAMMA_GAMMA, v -> GammaGamma.of(v).logLikelihood(s), new double[]{1, 2, 1});
        double[] params = f.params().clone();
        double[] se = f.standardErrors().clone();
        params[2] *= scale;
        se[2] *= scale;
        // the density of m is the density of m / scale divided by scale, once per customer
        double ll = f.logLikelihood() - n * Math.log(scale);
        return new MaximumLikelihood.Fit(f.names(), params, ll, f.converged(), f.problem(), f.evaluations(), f.restarts(), se, f.loose());
    }
}
