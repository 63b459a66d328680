package io.ecombi.clv;

import java.util.Locale;

/** clv_model_results.txt: the CLV model report of a run, in plain text (the models, their fits, the hold-out check, the verdict). */
final class ClvText {
    static final String FILE = "clv_model_results.txt";

    private ClvText() {}

    static String text(long runId, CustomerSummary s, ClvAnalysis.Outcome o, String currency) {
        StringBuilder t = new StringBuilder();
        line(t, "Customer lifetime value: run %d, as of %s", runId, o.asOf());
        line(t, "==========================================================");
        t.append('\n');
        if (o.predicted()) {
            line(t, "Verdict: PREDICTED. Both models converged on the whole history and on the part before the hold-out, and the hold-out");
            line(t, "check beat the baseline: the page and the summary use predicted CLV.");
        } else {
            line(t, "Verdict: HISTORICAL VALUE, no prediction. Reason: %s.", o.reason());
            line(t, "The page and the summary use historical value (net revenue to date) and say why.");
        }
        t.append('\n');
        Histories h = s.full();
        int repeat = 0;
        double purchases = 0;
        for (int x : h.x()) {
            if (x > 0) repeat++;
            purchases += x;
        }
        line(t, "Customer summary (sql/clv/customer_summary.sql, from the fact layer): %,d known customers with a purchase to %s.", s.size(), o.asOf());
        line(t, "A purchase is a day with a sale order of the customer; x = repeat purchases (purchase days after the first), t_x = weeks");
        line(t, "from the first purchase to the last, T = weeks from the first purchase to the end of the period, m = mean net revenue of a");
        line(t, "repeat purchase (credit notes after the first purchase day subtracted).");
        if (s.size() > 0) {
            line(t, "Repeat buyers: %,d (%.1f%%); repeat purchases: %,.0f, %.2f per customer. First purchase in the data: %s.", repeat,
                    100.0 * repeat / s.size(), purchases, purchases / s.size(), s.firstDay());
        }
        t.append('\n');
        line(t, "Models: BG/NBD (Fader, Hardie & Lee 2005, \"Counting your customers the easy way\") for purchase frequency and dropout,");
        line(t, "Gamma-Gamma (Fader & Hardie 2013) for the value of a purchase, each fitted by maximum likelihood: Nelder-Mead (Apache");
        line(t, "Commons Math 3.6.1) on the logarithms of the parameters, restarted until a restart no longer improves the log-likelihood;");
        line(t, "converged = it settled, no parameter ran off and the Hessian is negative definite (standard errors from its inverse).");
        line(t, "Time unit: weeks. Gamma-Gamma's gamma is in %s; it is fitted on repeat buyers with a positive mean repeat value.", currency);
        t.append('\n');
        fits(t, "Whole history, to " + o.asOf() + " (the predictions)", o.full());
        fits(t, "Before the hold-out, to " + o.calibrationEnd() + " (the check)", o.calibration());
        check(t, o, s);
        if (o.predicted()) {
            Valuation.Value[] v = o.values();
            double clv = 0, p90 = 0, p12 = 0, alive = 0;
            for (Valuation.Value x : v) {
                clv += x.clv12m();
                p90 += x.purchases90d();
                p12 += x.purchases12m();
                alive += x.pAlive();
            }
            line(t, "Predictions (whole-history fits), per customer in bi.clv_customers and data/clv_customers.csv:");
            line(t, "  expected repeat purchases, next 90 days:   %,.1f", p90);
            line(t, "  expected repeat purchases, next 12 months: %,.1f", p12);
            line(t, "  mean P(alive):                             %.1f%%", 100 * alive / v.length);
            line(t, "  12-month CLV, all customers:               %s %,.2f", currency, clv);
            line(t, "  12-month CLV = sum over the next 12 months (of 365.25/12 days) of expected purchases in the month x expected");
            line(t, "  purchase value (Gamma-Gamma; the population mean for a customer without a positive repeat value), divided by");
            line(t, "  (1 + %.1f%%)^(month/12): ecombi.clv.discount-rate-annual-pct, an annual rate compounded monthly. Net revenue, not margin.",
                    o.policy().annualDiscountRatePct());
        }
        return t.toString();
    }

    private static void fits(StringBuilder t, String title, ClvAnalysis.Fits f) {
        line(t, "%s", title);
        if (f == null) {
            line(t, "  not fitted (see the verdict)");
            t.append('\n');
            return;
        }
        line(t, "  BG/NBD on %,d customers: %s", f.customers(), describe(f.bgNbd(), "too few customers"));
        line(t, "  Gamma-Gamma on %,d repeat buyers: %s", f.gammaGammaCustomers(), describe(f.gammaGamma(), "too few repeat buyers"));
        if (f.gammaGamma() != null) {
            GammaGamma g = f.spend();
            line(t, "    mean purchase value p*gamma/(q-1) = %s; correlation of frequency and mean value among repeat buyers %.3f"
                    + " (Gamma-Gamma assumes none)", g.q() > 1 ? String.format(Locale.US, "%,.2f", g.populationMean()) : "not finite (q <= 1)",
                    f.frequencyValueCorrelation());
        }
        t.append('\n');
    }

    private static String describe(MaximumLikelihood.Fit f, String notFitted) {
        if (f == null) return "not fitted: " + notFitted;
        return String.format(Locale.US, "%s; log-likelihood %.2f; %s (%d evaluations, %d restarts)", f.describe(), f.logLikelihood(),
                f.converged() ? "converged" : "NOT converged: " + f.problem(), f.evaluations(), f.restarts());
    }

    private static void check(StringBuilder t, ClvAnalysis.Outcome o, CustomerSummary s) {
        HoldoutCheck k = o.check();
        line(t, "Hold-out check: fitted on the history to %s, predicting each customer's repeat purchases from %s to %s.", o.calibrationEnd(),
                o.calibrationEnd() == null ? "-" : o.calibrationEnd().plusDays(1), o.asOf());
        if (k == null) {
            line(t, "  not run (see the verdict)");
            t.append('\n');
            return;
        }
        line(t, "Baseline: each customer repeats at their past rate, x / T per week (0 without a repeat purchase).");
        line(t, "%,d customers bought before the hold-out; hold-out %.1f weeks. Repeat purchases in the hold-out, mean per customer:", k.customers(),
                k.holdoutWeeks());
        line(t, "  %-22s %10s %10s %10s %10s", "calibration repeats", "customers", "actual", "model", "baseline");
        for (HoldoutCheck.Bucket b : k.buckets()) {
            line(t, "  %-22s %,10d %10.3f %10.3f %10.3f", b.label(), b.customers(), b.actualPerCustomer(), b.predictedPerCustomer(), b.baselinePerCustomer());
        }
        line(t, "  %-22s %,10d %10.0f %10.1f %10.1f   (totals)", "all", k.customers(), k.actualTotal(), k.predictedTotal(), k.baselineTotal());
        line(t, "  error per customer (mean |predicted - actual|): model %.3f, baseline %.3f", k.modelMae(), k.baselineMae());
        line(t, "  error over the buckets (sum |predicted - actual| / actual): model %.1f%%, baseline %.1f%%", k.modelBucketErrorPct(), k.baselineBucketErrorPct());
        if (Double.isFinite(k.predictedRevenue())) {
            line(t, "  net revenue in the hold-out of these customers: actual %,.2f, predicted %,.2f (%+.1f%%)", k.actualRevenue(), k.predictedRevenue(),
                    k.actualRevenue() == 0 ? Double.NaN : 100 * (k.predictedRevenue() / k.actualRevenue() - 1));
        }
        line(t, "  the model %s the baseline.", k.modelBeatsBaseline() ? "beat" : "did NOT beat");
        line(t, "  (data/clv_holdout.csv, bi.clv_holdout)");
        t.append('\n');
    }

    private static void line(StringBuilder t, String format, Object... args) {
        t.append(String.format(Locale.US, format, args)).append('\n');
    }
}
