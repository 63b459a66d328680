package io.ecombi.marketing;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A/B tests on a conversion rate: the sample size to plan, and the read-out of the counts. Pure math, no Camel, no database.
 *
 * <p>Sample size per arm, two-sided, equal arms, baseline p1, target p2 = p1 + d (Fleiss 1981, "Statistical Methods for
 * Rates and Proportions", 2nd ed., eq. 3.14; the same as R's {@code power.prop.test}):
 * <pre>  n = [ z(1-α/2)·√(2·p̄·q̄) + z(1-β)·√(p1·q1 + p2·q2) ]² / d²,   p̄ = (p1+p2)/2, q = 1-p</pre>
 * and with the continuity correction of Fleiss, Tytun and Ury (1980, Biometrics 36:343), which reproduces Fleiss's
 * Table A.3: n' = n/4 · (1 + √(1 + 4/(n·|d|)))². The read-out waits for n' (the larger, conservative one).
 *
 * <p>Read-out, the first variant being the control: each rate with its 95 % Wilson score interval; the absolute lift
 * p_B − p_A with the unpooled Wald interval; the relative lift p_B/p_A − 1 with the interval of the log risk ratio
 * (Katz et al. 1978: var ln RR = q_A/x_A + q_B/x_B); the pooled two-proportion z-test, two-sided; the sample-ratio
 * mismatch as Pearson's χ² of the assignment counts against an equal split (k−1 degrees of freedom). With more than one
 * challenger each is tested at α/(k−1) (Bonferroni).
 */
public final class AbTest {
    private static final NormalDistribution Z = new NormalDistribution();

    private AbTest() {}

    /** The plan: per-arm sizes for baseline → target at α (two-sided) and power. */
    public record SampleSize(double baseline, double target, double alpha, double power, double classical, long perArm) {
        /** Fleiss's n without the continuity correction, rounded up. */
        public long classicalPerArm() { return (long) Math.ceil(classical - 1e-9); }
    }

    /** The target rate for a minimum detectable effect: baseline + mde, or baseline · (1 + mde) when relative. */
    public static double target(double baseline, double mde, boolean relative) {
        return relative ? baseline * (1 + mde) : baseline + mde;
    }

    public static SampleSize sampleSize(double p1, double p2, double alpha, double power) {
        check(p1 > 0 && p1 < 1, "the baseline rate must be between 0 and 1 (exclusive): " + p1);
        check(p2 > 0 && p2 < 1, "the target rate must be between 0 and 1 (exclusive): " + p2);
        check(p1 != p2, "the minimum detectable effect must not be zero");
        check(alpha > 0 && alpha < 1, "alpha must be between 0 and 1: " + alpha);
        check(power > 0 && power < 1, "power must be between 0 and 1: " + power);
        double d = Math.abs(p2 - p1), pBar = (p1 + p2) / 2;
        double za = Z.inverseCumulativeProbability(1 - alpha / 2), zb = Z.inverseCumulativeProbability(power);
        double root = za * Math.sqrt(2 * pBar * (1 - pBar)) + zb * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
        double n = root * root / (d * d);
        double corrected = n / 4 * Math.pow(1 + Math.sqrt(1 + 4 / (n * d)), 2);
        return new SampleSize(p1, p2, alpha, power, n, (long) Math.ceil(corrected - 1e-9));
    }

    public record Counts(String variant, long users, long conversions) {}

    public record Arm(String variant, long users, long conversions, double rate, double rateLow, double rateHigh) {}

    /** A challenger against the control; lifts as fractions (0.05 = +5 percentage points, or +5 %). */
    public record Comparison(String variant, double absoluteLift, double absoluteLow, double absoluteHigh,
                             double relativeLift, double relativeLow, double relativeHigh, double z, double pValue, double alphaUsed) {}

    public enum Verdict { SHIP, DO_NOT_SHIP, KEEP_RUNNING }

    public record ReadOut(List<Arm> arms, List<Comparison> comparisons, double srmChiSquare, double srmPValue, boolean sampleRatioMismatch,
                          long requiredPerArm, Verdict verdict, String sentence) {}

    /**
     * The read-out of an experiment. {@code requiredPerArm}: the planned size ({@link SampleSize#perArm}); until every arm
     * has it the verdict is "keep running" whatever the p-value says (no peeking verdicts).
     */
    public static ReadOut readOut(List<Counts> counts, long requiredPerArm, double alpha, double srmAlpha) {
        check(counts.size() >= 2, "an experiment needs a control and at least one variant");
        for (Counts c : counts) {
            check(c.users() > 0 && c.conversions() >= 0 && c.conversions() <= c.users(),
                    "variant " + c.variant() + ": " + c.conversions() + " conversions of " + c.users() + " users");
        }
        double z95 = Z.inverseCumulativeProbability(0.975);
        List<Arm> arms = new ArrayList<>();
        for (Counts c : counts) {
            double[] w = wilson(c.conversions(), c.users(), z95);
            arms.add(new Arm(c.variant(), c.users(), c.conversions(), (double) c.conversions() / c.users(), w[0], w[1]));
        }
        Arm control = arms.get(0);
        double alphaEach = alpha / (arms.size() - 1);
        List<Comparison> comparisons = new ArrayList<>();
        for (Arm b : arms.subList(1, arms.size())) comparisons.add(compare(control, b, z95, alphaEach));

        long total = counts.stream().mapToLong(Counts::users).sum();
        double expected = (double) total / counts.size(), chi2 = 0;
        for (Counts c : counts) chi2 += Math.pow(c.users() - expected, 2) / expected;
        double srmP = 1 - new ChiSquaredDistribution(counts.size() - 1).cumulativeProbability(chi2);
        boolean srm = srmP < srmAlpha;

        long smallest = counts.stream().mapToLong(Counts::users).min().orElseThrow();
        Verdict verdict;
        String sentence;
        if (srm) {
            verdict = Verdict.DO_NOT_SHIP;
            sentence = String.format(Locale.ROOT, "Do not ship: the arms' sizes do not match the planned equal split (sample-ratio mismatch,"
                    + " χ² = %.1f, p = %s), so the assignment is broken and no comparison can be trusted; fix it and start again.", chi2, p(srmP));
        } else if (smallest < requiredPerArm) {
            verdict = Verdict.KEEP_RUNNING;
            sentence = String.format(Locale.ROOT, "Keep running: the smallest arm has %,d of the %,d users per arm the test was planned for;"
                    + " a verdict before then would be peeking.", smallest, requiredPerArm);
        } else {
            Comparison best = comparisons.stream().filter(c -> c.pValue() < c.alphaUsed() && c.absoluteLift() > 0)
                    .max((x, y) -> Double.compare(x.absoluteLift(), y.absoluteLift())).orElse(null);
            if (best != null) {
                verdict = Verdict.SHIP;
                sentence = String.format(Locale.ROOT, "Ship %s: it converts %s against %s for %s (%s relative, 95 %% CI %s to %s), p = %s.",
                        best.variant(), pct(rateOf(arms, best.variant())), pct(control.rate()), pp(best.absoluteLift()),
                        signedPct(best.relativeLift()), signedPct(best.relativeLow()), signedPct(best.relativeHigh()), p(best.pValue()));
            } else {
                verdict = Verdict.DO_NOT_SHIP;
                boolean worse = comparisons.stream().anyMatch(c -> c.pValue() < c.alphaUsed() && c.absoluteLift() < 0);
                double minP = comparisons.stream().mapToDouble(Comparison::pValue).min().orElseThrow();
                sentence = worse
                        ? String.format(Locale.ROOT, "Do not ship: a variant converts significantly worse than %s (p = %s) and none better.", control.variant(), p(minP))
                        : String.format(Locale.ROOT, "Do not ship: at the planned size no variant converts significantly better than %s"
                                + " (smallest p = %s against α = %s).", control.variant(), p(minP), num(alphaEach));
            }
        }
        return new ReadOut(arms, comparisons, chi2, srmP, srm, requiredPerArm, verdict, sentence);
    }

    private static Comparison compare(Arm a, Arm b, double z95, double alphaUsed) {
        double pa = a.rate(), pb = b.rate(), diff = pb - pa;
        double seDiff = Math.sqrt(pa * (1 - pa) / a.users() + pb * (1 - pb) / b.users());
        double pooled = (double) (a.conversions() + b.conversions()) / (a.users() + b.users());
        double se0 = Math.sqrt(pooled * (1 - pooled) * (1.0 / a.users() + 1.0 / b.users()));
        double z = se0 == 0 ? 0 : diff / se0;
        double pValue = se0 == 0 ? 1 : 2 * (1 - Z.cumulativeProbability(Math.abs(z)));
        double rel = Double.NaN, relLow = Double.NaN, relHigh = Double.NaN;
        if (a.conversions() > 0 && b.conversions() > 0) {
            double logRr = Math.log(pb / pa), se = Math.sqrt((1 - pa) / a.conversions() + (1 - pb) / b.conversions());
            rel = pb / pa - 1;
            relLow = Math.exp(logRr - z95 * se) - 1;
            relHigh = Math.exp(logRr + z95 * se) - 1;
        }
        return new Comparison(b.variant(), diff, diff - z95 * seDiff, diff + z95 * seDiff, rel, relLow, relHigh, z, pValue, alphaUsed);
    }

    /** Wilson's score interval for x of n. */
    static double[] wilson(long x, long n, double z) {
        double p = (double) x / n, z2 = z * z, denom = 1 + z2 / n;
        double centre = (p + z2 / (2 * n)) / denom, half = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denom;
        return new double[] {centre - half, centre + half};
    }

    private static double rateOf(List<Arm> arms, String variant) {
        return arms.stream().filter(a -> a.variant().equals(variant)).findFirst().orElseThrow().rate();
    }

    private static String pct(double f) { return String.format(Locale.ROOT, "%.2f %%", 100 * f); }
    /** A relative lift; n/a where the control has no conversions (a ratio to zero). */
    public static String signedPct(double f) { return Double.isNaN(f) ? "n/a" : String.format(Locale.ROOT, "%+.1f %%", 100 * f); }
    private static String pp(double f) { return String.format(Locale.ROOT, "%+.2f percentage points", 100 * f); }
    private static String num(double v) { return String.format(Locale.ROOT, "%.4g", v); }
    private static String p(double v) { return v < 0.0001 ? "< 0.0001" : String.format(Locale.ROOT, "%.4f", v); }

    private static void check(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
