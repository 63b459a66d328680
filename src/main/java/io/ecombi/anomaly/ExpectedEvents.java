package io.ecombi.anomaly;

import io.ecombi.calendar.ShopCalendar;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Anomalies the shop's calendar explains: a spike or drop on a day of the calendar that moved the
 * way the day is known for (a peak on Black Friday, a lull or a peak on a public holiday) is an
 * expected event: severity Expected (never an alert), and its event, with the day's size against the
 * same day of the same event a year earlier where the series has one. A drop on a peak day stays
 * what the detector made it, with its event named. Pure: anomalies, calendar and series in, anomalies out.
 */
final class ExpectedEvents {
    private ExpectedEvents() {}

    static List<AnomalyDetector.Anomaly> label(List<AnomalyDetector.Anomaly> found, ShopCalendar calendar, AnomalySeries series) {
        List<AnomalyDetector.Anomaly> out = new ArrayList<>();
        for (AnomalyDetector.Anomaly a : found) {
            List<ShopCalendar.Day> on = "data_gap".equals(a.kind()) ? List.of() : calendar.on(a.day());
            if (on.isEmpty()) {
                out.add(a);
                continue;
            }
            ShopCalendar.Day day = on.stream().filter(d -> d.expects(a.kind())).findFirst().orElse(null);
            if (day == null) {   // a drop on a peak day: still raised, with the event it spoiled
                out.add(a.withEvent("during " + on.get(0).name() + " (a " + on.get(0).expect() + ", not a " + a.kind() + ", is expected)"));
                continue;
            }
            String what = day.name() + (day.kind().equals(ShopCalendar.PUBLIC_HOLIDAY) ? " (public holiday)" : "");
            Optional<LocalDate> ly = calendar.lastYear(day);
            Double before = ly.map(d -> value(series, a.metric(), d)).orElse(null);
            String size = ly.isEmpty() ? "; no same event a year earlier in the calendar"
                    : before == null ? "; no data on the same day of it a year earlier (" + ly.get() + ")"
                    : !(before > 0) ? "; nothing on the same day of it a year earlier (" + ly.get() + ")"
                    : String.format(Locale.US, "; %s%.1f%% against the same day of it a year earlier (%s)",
                            a.actual() >= before ? "+" : "-", Math.abs(100 * (a.actual() - before) / before), ly.get());
            out.add(new AnomalyDetector.Anomaly(a.metric(), a.day(), a.kind(), a.actual(), a.expected(), a.lower(), a.upper(), a.deviationPct(),
                    a.robustZ(), AnomalyDetector.EXPECTED, "expected " + (a.kind().equals("spike") ? "peak" : "lull") + ": " + what + size));
        }
        return out;
    }

    /** A metric's value on a day of the series (net_revenue, orders, aov, category:NAME), null when the series does not have it. */
    static Double value(AnomalySeries s, String metric, LocalDate day) {
        if (s.days().isEmpty()) return null;
        long i = ChronoUnit.DAYS.between(s.days().get(0), day);
        List<Double> v = metric.startsWith("category:") ? s.categories().get(metric.substring("category:".length())) : s.daily().get(metric);
        if (v == null || i < 0 || i >= v.size()) return null;
        Double x = v.get((int) i);
        return x == null || x.isNaN() ? null : x;
    }
}
