package io.ecombi.anomaly;

import io.ecombi.Settings;
import io.ecombi.report.Formats;
import io.ecombi.result.Column;
import io.ecombi.result.Finding;
import io.ecombi.result.Kind;
import io.ecombi.result.Table;

import java.time.LocalDate;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The anomaly section as data ({@link AnomalySection}, which templates/sections/anomalies.ftlh
 * shows) and the executive summary's headline: the alerts (new Critical or High anomalies of the
 * last recentDays days), the recent and the most severe earlier anomalies, the Isolation Forest's
 * second opinion and the data gaps, every figure written by {@link Formats}.
 *
 * @param recentDays      the days an alert looks back (ecombi.anomaly.recent-days)
 * @param reportDays      the days of the recent list (ecombi.anomaly.report-days)
 * @param historyDays     the days tested (ecombi.anomaly.history-days)
 * @param forestThreshold a forest score of this or more calls a day unusual (ecombi.anomaly.iforest.threshold)
 */
record AnomalySectionBuilder(int recentDays, int reportDays, int historyDays, double forestThreshold) {

    static AnomalySectionBuilder of(Settings s) {
        return new AnomalySectionBuilder(s.getInt("ecombi.anomaly.recent-days"), s.getInt("ecombi.anomaly.report-days"),
                s.getInt("ecombi.anomaly.history-days"), s.getDouble("ecombi.anomaly.iforest.threshold"));
    }

    /** The alerts: the anomalies new in this run, Critical or High, of the last recentDays days to asOf; data gaps are no alert. */
    List<Found> alerts(LocalDate asOf, List<Found> found) {
        return found.stream().filter(f -> f.isNew() && f.anomaly().rank() <= 1 && !"data_gap".equals(f.anomaly().kind())
                && !f.anomaly().day().isBefore(asOf.minusDays(recentDays - 1))).toList();
    }

    String headline(List<Found> alerts, String currency) {
        AnomalyDetector.Anomaly a = alerts.stream().map(Found::anomaly)
                .min(Comparator.comparingInt(AnomalyDetector.Anomaly::rank).thenComparing(x -> -Math.abs(x.robustZ()))).orElseThrow();
        return a.severity() + " anomaly: " + sentence(a, currency)
                + (alerts.size() > 1 ? "; " + count(alerts.size() - 1) + " more new Critical/High anomalies in the last " + recentDays + " days" : "") + ".";
    }

    /** "net revenue on 2026-06-24 was $300.00 against an expected $100.00 (+200.0%, robust z +40.0)": the headline's and an alert's words. */
    static String sentence(AnomalyDetector.Anomaly a, String currency) {
        return metricLabel(a.metric()) + " on " + a.day() + " was " + value(a.metric(), a.actual(), currency) + " against an expected "
                + value(a.metric(), a.expected(), currency) + " (" + signed(Kind.PERCENT, a.deviationPct()) + ", robust z " + signed(Kind.NUMBER, z(a.robustZ())) + ")";
    }

    /** The section as data: the alerts, the recent and the most severe earlier anomalies, the second opinion, the data gaps. */
    AnomalySection section(LocalDate asOf, List<Found> found, List<Found> alerts, String currency, List<LocalDate> forestOnly) {
        List<Finding> findings = alerts.stream()
                .sorted(Comparator.comparingInt((Found f) -> f.anomaly().rank()).thenComparing((Found f) -> f.anomaly().day(), Comparator.reverseOrder())
                        .thenComparing(f -> -Math.abs(f.anomaly().robustZ())))
                .map(f -> new Finding(f.anomaly().severity(), capitalized(sentence(f.anomaly(), currency)) + ", new in this run.", AnomalyStore.CSV)).toList();
        String allClear = alerts.isEmpty() ? "No new Critical or High anomaly in the last " + recentDays + " days (to " + asOf + ")." : null;
        LocalDate since = asOf.minusDays(reportDays - 1);
        List<Found> recent = found.stream().filter(f -> !f.anomaly().day().isBefore(since)).toList();
        Set<String> shown = new HashSet<>();
        for (Found f : recent) shown.add(f.anomaly().metric() + f.anomaly().day());
        List<Found> severe = found.stream().filter(f -> !shown.contains(f.anomaly().metric() + f.anomaly().day()) && !isGap(f.anomaly()))
                .sorted(Comparator.comparingInt((Found f) -> f.anomaly().rank()).thenComparing(f -> -Math.abs(f.anomaly().robustZ()))).limit(10).toList();
        String explanation = "Each day's net revenue, orders, average order value and top categories' revenue against the same weekday of the previous weeks"
                + " (median, spread from the median absolute deviation). Anomalies of the last " + count(reportDays) + " days, latest first:";
        List<Found> tested = found.stream().filter(f -> !isGap(f.anomaly())).toList();
        long agree = tested.stream().filter(Found::forestAgrees).count();
        String secondOpinion = "Second opinion: an Isolation Forest over each day's robust z of net revenue, orders and average order value (a score of "
                + Formats.value(Kind.NUMBER, forestThreshold, currency, false) + " or more is unusual) agrees on " + count(agree) + " of " + count(tested.size())
                + " anomaly rows of the last " + count(historyDays) + " days"
                + (forestOnly.isEmpty() ? ", and flags no other day." : "; it also flags " + count(forestOnly.size()) + (forestOnly.size() == 1 ? " day" : " days")
                + " the baseline did not: " + String.join(", ", forestOnly.stream().sorted(Comparator.reverseOrder()).limit(8).map(LocalDate::toString).toList())
                + (forestOnly.size() > 8 ? " …" : "") + ".");
        long gaps = found.stream().filter(f -> isGap(f.anomaly())).count();
        String dataGaps = gaps == 0 ? null : count(gaps) + (gaps == 1 ? " day" : " days") + " without a single order on a weekday the shop normally trades "
                + (gaps == 1 ? "is listed as a probable data gap (missing data or a closure), not as a sales drop," : "are listed as probable data gaps"
                + " (missing data or a closure), not as sales drops,") + " and left out of the baselines.";
        return new AnomalySection(asOf.toString(), recentDays, reportDays, historyDays, findings, allClear, explanation,
                tables("anomalies_recent", latestFirst(recent)), tables("anomalies_earlier", latestFirst(severe)), secondOpinion, dataGaps, AnomalyStore.CSV);
    }

    /** Latest day first; on a day the most severe first, and the shop's own metrics before its categories. */
    static List<Found> latestFirst(List<Found> rows) {
        return rows.stream().sorted(Comparator.comparing((Found f) -> f.anomaly().day(), Comparator.reverseOrder())
                .thenComparingInt(f -> f.anomaly().rank()).thenComparing(f -> metricOrder(f.anomaly().metric()))).toList();
    }

    /**
     * The rows as result tables, one per unit, since a column has one kind: money (net revenue,
     * average order value, categories' revenue) and counts (orders, and the data gaps' orders).
     * A table without rows is left out.
     */
    static List<Table> tables(String name, List<Found> rows) {
        List<Table> out = new ArrayList<>();
        List<Found> money = rows.stream().filter(f -> !isCount(f.anomaly().metric())).toList();
        List<Found> counts = rows.stream().filter(f -> isCount(f.anomaly().metric())).toList();
        if (!money.isEmpty()) out.add(table(name + "_revenue", "Net revenue, average order value and category revenue", Kind.MONEY, money));
        if (!counts.isEmpty()) out.add(table(name + "_orders", "Orders, and days without any order", Kind.COUNT, counts));
        return out;
    }

    private static Table table(String name, String title, Kind unit, List<Found> rows) {
        List<Column> columns = List.of(Column.date("day"), Column.text("weekday"), Column.text("metric"), Column.text("kind"), Column.text("severity"),
                new Column("actual", unit), new Column("expected", unit), new Column("lower_bound", unit), new Column("upper_bound", unit),
                Column.percent("deviation_pct"), Column.number("robust_z"), Column.number("iforest_score"), Column.text("is_new"), Column.text("expected_event"));
        List<List<Object>> values = new ArrayList<>();
        for (Found f : rows) {
            AnomalyDetector.Anomaly a = f.anomaly();
            boolean gap = isGap(a);
            values.add(java.util.Arrays.asList(a.day(), a.day().getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US), capitalized(metricLabel(a.metric())),
                    gap ? "no orders: probable data gap" : a.kind(), a.severity(), a.actual(), a.expected(), gap ? null : a.lower(), gap ? null : a.upper(),
                    gap ? null : finite(a.deviationPct()), gap ? null : finite(z(a.robustZ())), gap ? null : finite(f.forestScore()), f.isNew() ? "yes" : "no", a.event()));
        }
        return Table.of(name, title, columns, values, AnomalyStore.CSV);
    }

    private static boolean isGap(AnomalyDetector.Anomaly a) {
        return "data_gap".equals(a.kind());
    }

    private static boolean isCount(String metric) {
        return metric.equals("orders") || metric.equals("all");
    }

    /** A robust z as data/anomalies.csv writes it (two decimals), so the page, the sentences and the file read alike. */
    private static double z(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? v : Math.round(v * 100) / 100.0;
    }

    /** The shop's own metrics first (net revenue, orders, average order value, data gaps), then the categories by name. */
    private static String metricOrder(String metric) {
        int i = List.of("net_revenue", "orders", "aov", "all").indexOf(metric);
        return i >= 0 ? i + metric : "9" + metric;
    }

    private static Double finite(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String count(long n) {
        return Formats.value(Kind.COUNT, n, "", false);
    }

    /** A deviation or a z with its sign: "+200.0%", "-85.0%", "+40.0". */
    private static String signed(Kind kind, double v) {
        return (v > 0 ? "+" : "") + Formats.value(kind, v, "", false);
    }

    static String metricLabel(String metric) {
        return switch (metric) {
            case "net_revenue" -> "net revenue";
            case "orders" -> "orders";
            case "aov" -> "average order value";
            case "all" -> "all data";
            default -> metric.startsWith("category:") ? metric.substring(9) + " revenue" : metric;
        };
    }

    /** An orders figure as a count, any other as money: by the one set of rules. */
    private static String value(String metric, double v, String currency) {
        return isCount(metric) ? Formats.value(Kind.COUNT, v, currency, false) : Formats.money(currency, v);
    }
}
