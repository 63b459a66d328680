package io.ecombi.clv;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * What a run's CLV amounts to, from the customer summary: the fits on the full history (the
 * predictions) and on the calibration part (the hold-out check), the check, and the verdict —
 * predicted CLV only when both models converged on both parts and the check beat the baseline;
 * otherwise historical value and the first reason that applies. Pure: no database, no Camel.
 */
public final class ClvAnalysis {

    /**
     * The settings the analysis reads (ecombi.clv.*).
     *
     * @param holdoutDays           the hold-out's length
     * @param annualDiscountRatePct the 12-month CLV's discount rate per year, in percent
     * @param minCustomers          fewest customers a fit needs (in the calibration part for the check)
     * @param minRepeatCustomers    fewest repeat buyers with a positive mean value Gamma-Gamma needs
     */
    public record Policy(int holdoutDays, double annualDiscountRatePct, int minCustomers, int minRepeatCustomers) {
        public Policy {
            if (holdoutDays < 7) throw new IllegalArgumentException("ecombi.clv.holdout-days must be 7 or more, not " + holdoutDays);
            if (annualDiscountRatePct < 0 || annualDiscountRatePct >= 100) {
                throw new IllegalArgumentException("ecombi.clv.discount-rate-annual-pct must be from 0 to under 100, not " + annualDiscountRatePct);
            }
            if (minCustomers < 10) throw new IllegalArgumentException("ecombi.clv.min-customers must be 10 or more, not " + minCustomers);
            if (minRepeatCustomers < 10) {
                throw new IllegalArgumentException("ecombi.clv.min-repeat-customers must be 10 or more, not " + minRepeatCustomers);
            }
        }
    }

    /** The fits of one part of the history: BG/NBD on all its customers, Gamma-Gamma on its repeat buyers; a fit is null when it could not run. */
    public record Fits(LocalDate periodEnd, int customers, MaximumLikelihood.Fit bgNbd, int gammaGammaCustomers, MaximumLikelihood.Fit gammaGamma,
                       double frequencyValueCorrelation) {
        public BgNbd purchases() { return bgNbd == null ? null : BgNbd.of(bgNbd.params()); }
        public GammaGamma spend() { return gammaGamma == null ? null : GammaGamma.of(gammaGamma.params()); }
    }

    /**
     * The analysis.
     *
     * @param predicted       whether predicted CLV is published
     * @param reason          why not (null when predicted)
     * @param full            the fits to the as-of date
     * @param calibration     the fits to the calibration end (null when the history is too short for the check)
     * @param check           the hold-out check (null when it could not run)
     * @param values          per customer of the summary's full part, null when not predicted
     */
    public record Outcome(LocalDate asOf, Policy policy, boolean predicted, String reason, Fits full, Fits calibration,
                          LocalDate calibrationEnd, HoldoutCheck check, Valuation.Value[] values) {
        public double predictedTotal() {
            double s = 0;
            if (values != null) for (Valuation.Value v : values) s += v.clv12m();
            return s;
        }
    }

    private static final String NO_CHECK = "the hold-out check could not run";

    private ClvAnalysis() {}

    public static Outcome run(CustomerSummary s, LocalDate asOf, Policy policy) {
        int n = s.size();
        Fits full = n == 0 ? null : fits(s.full(), asOf, policy);
        long calibrationDays = s.firstDay() == null ? 0 : ChronoUnit.DAYS.between(s.firstDay(), s.calibrationEnd());
        boolean checkable = calibrationDays >= policy.holdoutDays() && s.calibration().size() >= policy.minCustomers();
        Fits cal = checkable ? fits(s.calibration(), s.calibrationEnd(), policy) : null;
        HoldoutCheck check = null;
        String arithmetic = null;
        // the check runs on any calibration fit that gave finite parameters: a fit the verdict refuses still shows what it would have predicted
        if (cal != null && cal.bgNbd() != null && finite(cal.bgNbd())) {
            GammaGamma spend = cal.gammaGamma() != null && finite(cal.gammaGamma()) && cal.spend().q() > 1 ? cal.spend() : null;
            try {
                check = HoldoutCheck.of(cal.purchases(), spend, s.calibration(), s.holdoutPurchases(), s.holdoutNetRevenue(),
                        ChronoUnit.DAYS.between(s.calibrationEnd(), asOf) / 7.0);
            } catch (ArithmeticException e) {
                arithmetic = "the hold-out check's predictions could not be computed: " + e.getMessage();
            }
        }
        String reason = reason(s, policy, full, cal, check, calibrationDays);
        if (reason != null && reason.equals(NO_CHECK) && arithmetic != null) reason = arithmetic;
        Valuation.Value[] values = null;
        if (reason == null) {
            Valuation v = new Valuation(full.purchases(), full.spend(), policy.annualDiscountRatePct() / 100);
            values = new Valuation.Value[n];
            Histories h = s.full();
            try {
                for (int i = 0; i < n; i++) values[i] = v.of(h.x()[i], h.tx()[i], h.T()[i], h.m()[i]);
            } catch (ArithmeticException e) {
                values = null;
                reason = "the predictions could not be computed: " + e.getMessage();
            }
        }
        return new Outcome(asOf, policy, reason == null, reason, full, cal, s.calibrationEnd(), check, values);
    }

    private static boolean finite(MaximumLikelihood.Fit f) {
        for (double v : f.params()) if (!Double.isFinite(v) || v <= 0) return false;
        return true;
    }

    private static Fits fits(Histories h, LocalDate end, Policy policy) {
        MaximumLikelihood.Fit bg = h.size() >= policy.minCustomers() ? Fitting.bgNbd(h) : null;
        Histories repeat = h.repeatBuyersWithValue();
        MaximumLikelihood.Fit gg = repeat.size() >= policy.minRepeatCustomers() ? Fitting.gammaGamma(repeat) : null;
        return new Fits(end, h.size(), bg, repeat.size(), gg, correlation(repeat));
    }

    /** Pearson's correlation of frequency and mean value among repeat buyers: Gamma-Gamma assumes them independent. */
    static double correlation(Histories repeat) {
        int n = repeat.size();
        if (n < 3) return Double.NaN;
        double mx = 0, mm = 0;
        for (int i = 0; i < n; i++) { mx += repeat.x()[i]; mm += repeat.m()[i]; }
        mx /= n;
        mm /= n;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = repeat.x()[i] - mx, dy = repeat.m()[i] - mm;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }

    /** The first reason predicted CLV cannot be published, in the order a reader would check them; null when none applies. */
    private static String reason(CustomerSummary s, Policy policy, Fits full, Fits cal, HoldoutCheck check, long calibrationDays) {
        int n = s.size();
        if (n == 0) return "no known customer has a purchase on or before the as-of date";
        if (n < policy.minCustomers()) {
            return String.format(Locale.US, "only %,d known customers have a purchase; a fit needs at least %,d (ecombi.clv.min-customers)", n, policy.minCustomers());
        }
        if (full.gammaGamma() == null) {
            return String.format(Locale.US, "only %,d customers have a repeat purchase with a positive value; the spend model (Gamma-Gamma) needs at least %,d "
                    + "(ecombi.clv.min-repeat-customers)", full.gammaGammaCustomers(), policy.minRepeatCustomers());
        }
        if (calibrationDays < policy.holdoutDays()) {
            return String.format(Locale.US, "the history is too short to check the model: it starts on %s, and the hold-out check needs at least %d days "
                    + "(ecombi.clv.holdout-days) before its hold-out of the last %d days, to %s", s.firstDay(), policy.holdoutDays(), policy.holdoutDays(), s.calibrationEnd());
        }
        if (cal == null || cal.bgNbd() == null) {
            return String.format(Locale.US, "only %,d customers bought before the hold-out (to %s); the check needs at least %,d (ecombi.clv.min-customers)",
                    s.calibration().size(), s.calibrationEnd(), policy.minCustomers());
        }
        if (cal.gammaGamma() == null) {
            return String.format(Locale.US, "only %,d customers had a repeat purchase with a positive value before the hold-out (to %s); the spend model needs "
                    + "at least %,d (ecombi.clv.min-repeat-customers)", cal.gammaGammaCustomers(), s.calibrationEnd(), policy.minRepeatCustomers());
        }
        String fit = notUsable("the purchase model (BG/NBD) on the whole history", full.bgNbd(), null);
        if (fit == null) fit = notUsable("the purchase model (BG/NBD) on the history before the hold-out", cal.bgNbd(), null);
        if (fit == null) fit = notUsable("the spend model (Gamma-Gamma) on the whole history", full.gammaGamma(), full.spend());
        if (fit == null) fit = notUsable("the spend model (Gamma-Gamma) on the history before the hold-out", cal.gammaGamma(), cal.spend());
        if (fit != null) return fit;
        if (check == null) return NO_CHECK;
        if (!check.modelBeatsBaseline()) {
            return String.format(Locale.US, "in the hold-out check (%s to %s) the model did not beat the baseline \"each customer repeats at their past rate\": "
                            + "error per customer %.3f against the baseline's %.3f repeat purchases, over the frequency buckets %.1f%% against %.1f%%",
                    s.calibrationEnd().plusDays(1), s.calibrationEnd().plusDays(Math.round(check.holdoutWeeks() * 7)), check.modelMae(), check.baselineMae(),
                    check.modelBucketErrorPct(), check.baselineBucketErrorPct());
        }
        return null;
    }

    private static String notUsable(String what, MaximumLikelihood.Fit f, GammaGamma spend) {
        if (!f.converged()) {
            // BG/NBD's dropout left loose: the usual reason on a short history (a year of UCI Online Retail); said in plain words first
            if (spend == null && (f.loose("a") || f.loose("b"))) {
                List<String> loose = new ArrayList<>();
                for (String name : List.of("a", "b")) {
                    int i = f.names().indexOf(name);
                    double se = f.standardErrors()[i];
                    loose.add(String.format(Locale.US, "%s = %.3g", name, f.params()[i]) + (Double.isFinite(se) ? String.format(Locale.US, " ± %.2g", se) : ""));
                }
                return what + " cannot tell from this history whether and when customers stop buying: its dropout parameters are not pinned down by"
                        + " the data (" + String.join(", ", loose) + ")";
            }
            return what + " did not converge: " + f.problem();
        }
        if (spend != null && !(spend.q() > 1)) {
            return String.format(Locale.US, "%s gives q = %.3g, not above 1: the mean purchase value it implies is not finite (spend is too heavy-tailed for it)", what, spend.q());
        }
        return null;
    }
}
