package io.ecombi.cli;

import io.ecombi.Settings;
import io.ecombi.marketing.AbTest;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

@Command(name = "abtest", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"A/B test on a conversion rate: the users per arm to plan for, and with --arm the read-out and its verdict.",
        "Two-sided, equal arms: Fleiss 1981 eq. 3.14, as R's power.prop.test, and with the continuity correction of",
        "Fleiss, Tytun and Ury 1980, which the read-out waits for. The read-out of the counts: rates with 95 %% CI, lift with CI,",
        "z-test p-value, sample-ratio check, verdict.",
        "Needs no database."})
public final class AbTestCommand implements Callable<Integer> {
    private static final Pattern ARM = Pattern.compile("([^=]+)=(\\d+):(\\d+)");

    @Mixin
    SettingOverrides settings;

    @Option(names = "--baseline", order = 1, required = true, paramLabel = "RATE", description = "the control's conversion rate, e.g. 0.05")
    double baseline;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Effect effect;

    static final class Effect {
        @Option(names = "--mde", order = 2, required = true, paramLabel = "POINTS", description = "minimum detectable effect, absolute: 0.01 = one percentage point")
        Double absolute;

        @Option(names = "--mde-relative", order = 3, required = true, paramLabel = "FRACTION", description = "minimum detectable effect, relative: 0.10 = +10 %% of the baseline")
        Double relative;
    }

    @Option(names = "--alpha", order = 4, paramLabel = "ALPHA", description = "significance level, two-sided (default: ecombi.abtest.alpha)")
    Double alpha;

    @Option(names = "--power", order = 5, paramLabel = "POWER", description = "power (default: ecombi.abtest.power)")
    Double power;

    @Option(names = "--arm", order = 6, paramLabel = "NAME=USERS:CONVERSIONS",
            description = "an arm's counts for the read-out, the control first (repeatable: --arm A=10000:1000 --arm B=10000:1100)")
    List<String> arms = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Settings s = settings.load(Map.of());
        double a = alpha != null ? alpha : s.getDouble("ecombi.abtest.alpha");
        double pw = power != null ? power : s.getDouble("ecombi.abtest.power");
        List<AbTest.Counts> counts = new ArrayList<>();
        for (String arm : arms) {
            Matcher m = ARM.matcher(arm);
            if (!m.matches()) throw new ParameterException(spec.commandLine(), "--arm " + arm + ": NAME=USERS:CONVERSIONS, e.g. B=10000:1100");
            counts.add(new AbTest.Counts(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))));
        }
        if (counts.size() == 1) throw new ParameterException(spec.commandLine(), "--arm: a read-out needs the control and at least one variant");
        boolean relative = effect.relative != null;
        double target = AbTest.target(baseline, relative ? effect.relative : effect.absolute, relative);
        AbTest.SampleSize plan;
        AbTest.ReadOut readOut = null;
        try {
            plan = AbTest.sampleSize(baseline, target, a, pw);
            if (!counts.isEmpty()) readOut = AbTest.readOut(counts, plan.perArm(), a, s.getDouble("ecombi.abtest.srm-alpha"));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(String.format(Locale.ROOT, "baseline %s -> target %s (%s), alpha %s two-sided, power %s",
                pct(baseline), pct(target), relative ? String.format(Locale.ROOT, "%+.1f %% relative", 100 * effect.relative)
                        : String.format(Locale.ROOT, "%+.2f percentage points", 100 * effect.absolute), a, pw));
        out.println(String.format(Locale.ROOT, "users per arm: %,d (with continuity correction; %,d without), %,d for two arms",
                plan.perArm(), plan.classicalPerArm(), 2 * plan.perArm()));
        if (readOut != null) {
            for (AbTest.Arm arm : readOut.arms()) {
                out.println(String.format(Locale.ROOT, "  %s: %,d users, %,d conversions, %s (95 %% CI %s to %s)",
                        arm.variant(), arm.users(), arm.conversions(), pct(arm.rate()), pct(arm.rateLow()), pct(arm.rateHigh())));
            }
            for (AbTest.Comparison c : readOut.comparisons()) {
                out.println(String.format(Locale.ROOT, "  %s vs %s: %+.2f pp (95 %% CI %+.2f to %+.2f), %s relative (%s to %s), z = %.3f, p = %.4f",
                        c.variant(), readOut.arms().get(0).variant(), 100 * c.absoluteLift(), 100 * c.absoluteLow(), 100 * c.absoluteHigh(),
                        AbTest.signedPct(c.relativeLift()), AbTest.signedPct(c.relativeLow()), AbTest.signedPct(c.relativeHigh()), c.z(), c.pValue()));
            }
            out.println(String.format(Locale.ROOT, "  sample ratio: chi2 = %.2f, p = %.4f", readOut.srmChiSquare(), readOut.srmPValue()));
            out.println(readOut.sentence());
        }
        out.flush();
        return ExitCode.OK;
    }

    private static String pct(double f) {
        return String.format(Locale.ROOT, "%.2f %%", 100 * f);
    }
}
