package io.ecombi.anomaly;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Known spikes and drops (20 % to 80 % from the day's normal level, seeded, on known days) injected
 * into a clean synthetic daily revenue series (weekly pattern, slow growth, 8 % lognormal noise); the detector with the shipped settings must find every deviation of 40 % or more,
 * with at most one false alarm per 60 clean days. The table goes to target/anomaly-injection.md
 * (copied into the README).
 */
class InjectedAnomaliesTest {
    static final LocalDate START = LocalDate.of(2025, 1, 6);   // a Monday
    static final double[] WEEKDAY = {1.0, 0.95, 1.0, 1.05, 1.2, 0.8, 0.7};
    static final int DAYS = 364;
    static final int WARM_UP = 56;
    static final int INJECTIONS = 20;   // 10 spikes and 10 drops per size

    /** The shipped settings: config/application.properties (baseline 8 weeks, Low at z 3.5 and 20 %, ...). */
    static AnomalyDetector defaults() {
        return AnomalyStep.detector(io.ecombi.Settings.load(io.ecombi.Settings.DEFAULT_FILE, java.util.Map.of(), java.util.Map.of()));
    }

    /** The normal level: 1000 x weekday factor x slow growth. */
    static double level(int t) {
        return 1000 * WEEKDAY[t % 7] * (1 + 0.0005 * t);
    }

    /** The clean series: the level x lognormal noise (sd 8 %). */
    static double[] clean(long seed) {
        Random r = new Random(seed);
        double[] y = new double[DAYS];
        for (int t = 0; t < DAYS; t++) y[t] = level(t) * Math.exp(0.08 * r.nextGaussian());
        return y;
    }

    record Row(int sizePct, int injected, int found, int falseAlarms, int cleanDays) {
        double recall() { return (double) found / injected; }
        double precision() { return found + falseAlarms == 0 ? 1 : (double) found / (found + falseAlarms); }
    }

    static Row trial(int sizePct, long seed) {
        double[] y = clean(seed);
        Random r = new Random(seed * 31 + sizePct);
        // injection days: after the warm-up, 14 days apart plus a seeded offset of 0..6 (every weekday gets some)
        Set<Integer> days = new HashSet<>();
        for (int k = 0; k < INJECTIONS; k++) {
            int d = WARM_UP + 14 * k + r.nextInt(7);
            days.add(d);
            // a deviation of size % from the day's normal level (its noise replaced, so the size is what it says)
            y[d] = level(d) * (k % 2 == 0 ? 1 + sizePct / 100.0 : 1 - sizePct / 100.0);
        }
        List<AnomalyDetector.Anomaly> found = defaults().detect("net_revenue", START, y, new boolean[DAYS], false, WARM_UP);
        int hits = 0, falseAlarms = 0;
        for (AnomalyDetector.Anomaly a : found) {
            int d = (int) (a.day().toEpochDay() - START.toEpochDay());
            if (days.contains(d)) hits++;
            else if (System.getenv("ANOMALY_DEBUG") != null) System.out.println("false alarm " + sizePct + " " + a);
            else falseAlarms++;
        }
        if (System.getenv("ANOMALY_DEBUG") != null) for (int d : days) if (found.stream().noneMatch(a -> a.day().equals(START.plusDays(d)))) {
            AnomalyDetector.Baseline b = defaults().baseline(y, new boolean[DAYS], d, false);
            System.out.println("missed " + sizePct + " day " + d + " y " + y[d] + " base " + b);
        }
        return new Row(sizePct, days.size(), hits, falseAlarms, DAYS - WARM_UP - days.size());
    }

    @Test
    void everyDeviationOf40PercentOrMoreIsFoundWithFewFalseAlarms() throws IOException {
        StringBuilder md = new StringBuilder("| injected size | injected | found | false alarms | clean days | recall | precision | false alarms per 60 clean days |\n")
                .append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        int totalFalse = 0, totalClean = 0;
        for (int size = 20; size <= 80; size += 10) {
            Row row = trial(size, 42 + size);   // a fresh clean series per size: independent trials
            totalFalse += row.falseAlarms();
            totalClean += row.cleanDays();
            md.append(String.format(Locale.US, "| %d %% | %d | %d | %d | %d | %.0f %% | %.0f %% | %.2f |%n", size, row.injected(), row.found(), row.falseAlarms(),
                    row.cleanDays(), 100 * row.recall(), 100 * row.precision(), 60.0 * row.falseAlarms() / row.cleanDays()));
            if (size >= 40) assertThat(row.recall()).as("recall at %d %%", size).isEqualTo(1.0);
        }
        md.append(String.format(Locale.US, "%nAll sizes: %d false alarms in %d clean days = %.2f per 60 clean days.%n", totalFalse, totalClean, 60.0 * totalFalse / totalClean));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/anomaly-injection.md"), md);
        System.out.println(md);
        assertThat(60.0 * totalFalse / totalClean).as("false alarms per 60 clean days").isLessThanOrEqualTo(1.0);
    }

    @Test
    void aSpikeAndADropAreDescribedWithExpectedRangeDeviationAndSeverity() {
        // 8 Mondays of 100, 110, 90, 100, 105, 95, 100, 100 then 200; every other day 50. Expected: the Mondays' median 100.
        // Spread: relative deviations from each weekday's median over the 56 days: 0 .1 .1 0 .05 .05 0 0 and 48 zeros ->
        // median 0 -> the floor, 5 % of 100 = 5; z = 100 / 5 = 20, deviation +100 % -> Critical (z >= 7, >= 60 %)
        double[] mondays = {100, 110, 90, 100, 105, 95, 100, 100, 200};
        double[] y = new double[7 * mondays.length];
        for (int w = 0; w < mondays.length; w++) for (int d = 0; d < 7; d++) y[7 * w + d] = d == 0 ? mondays[w] : 50;
        List<AnomalyDetector.Anomaly> found = defaults().detect("net_revenue", START, y, new boolean[y.length], false, 0);
        assertThat(found).hasSize(1);
        AnomalyDetector.Anomaly a = found.get(0);
        assertThat(a.day()).isEqualTo(START.plusWeeks(8));
        assertThat(a.kind()).isEqualTo("spike");
        assertThat(a.severity()).isEqualTo("Critical");
        assertThat(a.expected()).isEqualTo(100);
        assertThat(a.deviationPct()).isEqualTo(100);
        assertThat(a.robustZ()).isCloseTo(20, org.assertj.core.api.Assertions.within(1e-9));
        // range: 100 +- 3.5 (the Low z) x 5
        assertThat(a.lower()).isCloseTo(82.5, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(a.upper()).isCloseTo(117.5, org.assertj.core.api.Assertions.within(1e-9));

        // the other days are 50 every week: spread 5 % of 50 = 2.5; a drop to 35 is -30 % and z -6 -> Medium
        // (High needs 40 %); to 38 it is -24 %, z -4.8 -> Low (Medium needs 30 %)
        y[7 * 8 + 2] = 35;
        y[7 * 8 + 3] = 38;
        found = defaults().detect("net_revenue", START, y, new boolean[y.length], false, 0);
        assertThat(found).extracting(AnomalyDetector.Anomaly::severity).containsExactly("Critical", "Medium", "Low");
        assertThat(found.get(1).kind()).isEqualTo("drop");
    }
}
