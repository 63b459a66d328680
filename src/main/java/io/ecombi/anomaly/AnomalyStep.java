package io.ecombi.anomaly;

import io.ecombi.Settings;
import io.ecombi.db.SqlFile;
import io.ecombi.report.Formats;
import io.ecombi.result.Column;
import io.ecombi.result.Finding;
import io.ecombi.result.Kind;
import io.ecombi.result.Table;
import io.ecombi.run.PipelineRun;
import io.ecombi.run.Stage;
import org.apache.camel.Exchange;

import javax.sql.DataSource;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The anomaly step (route anomaly): daily net revenue, orders, average order value and the top
 * categories' net revenue (sql/anomaly/*.sql, from the fact layer) against a same-weekday robust
 * baseline ({@link AnomalyDetector}); days without any order on a normal trading weekday are
 * probable data gaps, not drops (sql/quality/data_gaps.sql, the quality gate's check: one
 * definition). Every anomaly is kept in bi.anomalies; the run that first finds it
 * raises it as new, later runs do not. Writes data/anomalies.csv and puts the section's result on the
 * run as "anomalies" ({@link AnomalySection}, which templates/sections/anomalies.ftlh shows);
 * "anomalyHeadline" is the sentence for the executive summary when a new Critical or High anomaly
 * fell in the last days, else null.
 */
public final class AnomalyStep {
    public static final String ANOMALIES_KEY = "anomalies";
    public static final String HEADLINE_KEY = "anomalyHeadline";
    private static final String CSV = "data/anomalies.csv";

    private final DataSource ds;
    private final Path sqlDir;
    private final AnomalyDetector detector;
    private final int historyDays;
    private final int recentDays;
    private final int reportDays;
    private final String gapSeverity;
    private final String defaultCurrency;
    private final IsolationForestOpinion forest;
    private final double forestThreshold;

    public AnomalyStep(DataSource ds, Settings s) {
        this.ds = ds;
        this.sqlDir = s.path("ecombi.sql.dir").resolve("anomaly");
        this.detector = detector(s);
        this.historyDays = s.getInt("ecombi.anomaly.history-days");
        this.recentDays = s.getInt("ecombi.anomaly.recent-days");
        this.reportDays = s.getInt("ecombi.anomaly.report-days");
        this.gapSeverity = s.get("ecombi.anomaly.data-gap-severity");
        if (!AnomalyDetector.SEVERITIES.contains(gapSeverity)) {
            throw new IllegalArgumentException("ecombi.anomaly.data-gap-severity must be one of " + AnomalyDetector.SEVERITIES + ", not '" + gapSeverity + "'");
        }
        this.defaultCurrency = s.get("ecombi.report.currency");
        this.forest = new IsolationForestOpinion(s.getInt("ecombi.anomaly.iforest.trees"), s.getInt("ecombi.anomaly.iforest.subsample"),
                s.getInt("ecombi.anomaly.iforest.seed"));
        this.forestThreshold = s.getDouble("ecombi.anomaly.iforest.threshold");
    }

    /** The detector the settings describe (ecombi.anomaly.*). */
    public static AnomalyDetector detector(Settings s) {
        double[] z = new double[4], pct = new double[4];
        for (int i = 0; i < 4; i++) {
            String sev = AnomalyDetector.SEVERITIES.get(i).toLowerCase(Locale.ROOT);
            z[i] = s.getDouble("ecombi.anomaly." + sev + ".z");
            pct[i] = s.getDouble("ecombi.anomaly." + sev + ".pct");
            if (i > 0 && (z[i] > z[i - 1] || pct[i] > pct[i - 1])) {
                throw new IllegalArgumentException("ecombi.anomaly." + sev + ".z/.pct must not exceed the thresholds of the severity above it");
            }
        }
        return new AnomalyDetector(s.getInt("ecombi.anomaly.baseline-weeks"), s.getInt("ecombi.anomaly.min-baseline-weeks"),
                s.getDouble("ecombi.anomaly.min-sigma-pct"), new AnomalyDetector.Thresholds(z, pct));
    }

    /** A found anomaly and whether this run raised it first. */
    public record Found(AnomalyDetector.Anomaly anomaly, boolean isNew, double forestScore, boolean forestAgrees) {}

    public void run(Exchange exchange) throws IOException, SQLException {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        Stage stage = run.beginStage("anomalies");
        List<LocalDate> days = new ArrayList<>();
        Map<String, List<Double>> daily = new LinkedHashMap<>();
        query("daily_metrics.sql", rs -> {
            days.add(rs.getDate("day").toLocalDate());
            for (String m : List.of("net_revenue", "orders", "aov")) {
                double v = rs.getDouble(m);
                daily.computeIfAbsent(m, k -> new ArrayList<>()).add(rs.wasNull() ? Double.NaN : v);
            }
        });
        List<AnomalyDetector.Anomaly> found = new ArrayList<>();
        Map<LocalDate, Double> forestScores = new LinkedHashMap<>();
        if (!days.isEmpty()) {
            LocalDate first = days.get(0);
            int from = Math.max(0, days.size() - historyDays);
            // probable data gaps over the whole history (the baselines leave them out), listed over the tested days
            boolean[] gaps = new boolean[days.size()];
            query("data_gaps.sql", rs -> {
                int i = (int) java.time.temporal.ChronoUnit.DAYS.between(first, rs.getDate("day").toLocalDate());
                gaps[i] = true;
                if (i >= from) {
                    found.add(new AnomalyDetector.Anomaly("all", first.plusDays(i), "data_gap", 0, rs.getDouble("expected_orders"), 0, 0, -100, Double.NaN, gapSeverity));
                }
            });
            List<String> metrics = List.of("net_revenue", "orders", "aov");
            for (String m : metrics) {
                double[] y = array(daily.get(m));
                found.addAll(detector.detect(m, first, y, missing(y, gaps), m.equals("orders"), from));
            }
            // the second opinion: each tested day's robust z of the three metrics, through an Isolation Forest
            List<double[]> rows = new ArrayList<>();
            List<LocalDate> rowDays = new ArrayList<>();
            for (int i = from; i < days.size(); i++) {
                if (gaps[i]) continue;
                double[] v = new double[metrics.size()];
                boolean any = false;
                for (int k = 0; k < metrics.size(); k++) {
                    double[] y = array(daily.get(metrics.get(k)));
                    boolean[] miss = missing(y, gaps);
                    AnomalyDetector.Baseline b = miss[i] ? null : detector.baseline(y, miss, i, metrics.get(k).equals("orders"));
                    if (b != null && b.sigma() > 0 && b.median() > 0) { v[k] = (y[i] - b.median()) / b.sigma(); any = true; }
                }
                if (any) { rows.add(v); rowDays.add(first.plusDays(i)); }
            }
            double[] sc = forest.scores(rows.toArray(new double[0][]), metrics);
            for (int i = 0; i < sc.length; i++) forestScores.put(rowDays.get(i), sc[i]);
            Map<String, List<Double>> categories = new LinkedHashMap<>();
            query("category_daily.sql", rs -> categories.computeIfAbsent(rs.getString("category"), k -> new ArrayList<>()).add(rs.getDouble("net_revenue")));
            if (categories.size() > 1) {   // one category is the shop's total again
                for (Map.Entry<String, List<Double>> e : categories.entrySet()) {
                    double[] y = array(e.getValue());
                    found.addAll(detector.detect("category:" + e.getKey(), first, y, missing(y, gaps), false, from));
                }
            }
        }
        found.sort(Comparator.comparing(AnomalyDetector.Anomaly::day).thenComparing(AnomalyDetector.Anomaly::metric));
        List<Found> saved = save(run, found, forestScores);
        List<LocalDate> forestOnly = forestScores.entrySet().stream().filter(e -> e.getValue() >= forestThreshold)
                .map(Map.Entry::getKey).filter(d -> found.stream().noneMatch(a -> a.day().equals(d))).toList();
        writeCsv(run, saved);
        String currency = Formats.symbol(Formats.currencyCode(run, defaultCurrency));
        List<Found> alerts = saved.stream().filter(f -> f.isNew() && f.anomaly().rank() <= 1 && !"data_gap".equals(f.anomaly().kind())
                && !f.anomaly().day().isBefore(run.asOf().minusDays(recentDays - 1))).toList();
        run.put(HEADLINE_KEY, alerts.isEmpty() ? null : headline(alerts, currency));
        run.put(ANOMALIES_KEY, section(run, saved, alerts, currency, forestOnly));
        long fresh = saved.stream().filter(Found::isNew).count();
        run.endStage(stage, saved.size(), saved.size() + " anomalies in the last " + historyDays + " days, " + fresh + " new; " + alerts.size() + " new Critical/High in the last " + recentDays + " days");
    }

    /** Runs sql/anomaly/<file>, each row to the reader. */
    private void query(String file, SqlFile.RowReader reader) throws IOException, SQLException {
        try (Connection c = ds.getConnection()) {
            SqlFile.read(sqlDir.resolve(file)).query(c, Map.of(), reader);
        }
    }

    private static double[] array(List<Double> v) {
        return v == null ? new double[0] : v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static boolean[] missing(double[] y, boolean[] gaps) {
        boolean[] m = new boolean[y.length];
        for (int i = 0; i < y.length; i++) m[i] = Double.isNaN(y[i]) || (i < gaps.length && gaps[i]);
        return m;
    }

    /** Upserts every anomaly; the first run to find one is its first_run_id, and only that run calls it new. */
    private List<Found> save(PipelineRun run, List<AnomalyDetector.Anomaly> found, Map<LocalDate, Double> forestScores) throws SQLException {
        List<Found> out = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO bi.anomalies (metric, day, kind, actual, expected, lower_bound, upper_bound,"
                    + " deviation_pct, robust_z, severity, first_run_id, last_run_id, iforest_score, iforest_agrees) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (metric, day) DO UPDATE SET kind = EXCLUDED.kind, actual = EXCLUDED.actual, expected = EXCLUDED.expected,"
                    + " lower_bound = EXCLUDED.lower_bound, upper_bound = EXCLUDED.upper_bound, deviation_pct = EXCLUDED.deviation_pct,"
                    + " robust_z = EXCLUDED.robust_z, severity = EXCLUDED.severity, last_run_id = EXCLUDED.last_run_id,"
                    + " iforest_score = EXCLUDED.iforest_score, iforest_agrees = EXCLUDED.iforest_agrees"
                    + " RETURNING first_run_id")) {
                for (AnomalyDetector.Anomaly a : found) {
                    ps.setString(1, a.metric());
                    ps.setDate(2, Date.valueOf(a.day()));
                    ps.setString(3, a.kind());
                    ps.setDouble(4, a.actual());
                    ps.setDouble(5, a.expected());
                    ps.setDouble(6, a.lower());
                    ps.setDouble(7, a.upper());
                    setDouble(ps, 8, a.deviationPct());
                    setDouble(ps, 9, a.robustZ());
                    ps.setString(10, a.severity());
                    ps.setLong(11, run.id());
                    ps.setLong(12, run.id());
                    Double score = forestScores.get(a.day());
                    boolean agrees = score != null && score >= forestThreshold;
                    if (score == null || "data_gap".equals(a.kind())) { ps.setNull(13, java.sql.Types.DOUBLE); ps.setNull(14, java.sql.Types.BOOLEAN); }
                    else { ps.setDouble(13, score); ps.setBoolean(14, agrees); }
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        out.add(new Found(a, rs.getLong(1) == run.id(), score == null ? Double.NaN : score, agrees && !"data_gap".equals(a.kind())));
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
        return out;
    }

    private static void setDouble(PreparedStatement ps, int i, double v) throws SQLException {
        if (Double.isNaN(v) || Double.isInfinite(v)) ps.setNull(i, java.sql.Types.DOUBLE);
        else ps.setDouble(i, v);
    }

    private void writeCsv(PipelineRun run, List<Found> found) throws IOException {
        Path data = run.dir().resolve("data");
        Files.createDirectories(data);
        try (BufferedWriter w = Files.newBufferedWriter(data.resolve("anomalies.csv"), StandardCharsets.UTF_8)) {
            w.write("day,weekday,metric,kind,severity,actual,expected,lower_bound,upper_bound,deviation_pct,robust_z,iforest_score,iforest_agrees,is_new\n");
            for (Found f : found) {
                AnomalyDetector.Anomaly a = f.anomaly();
                String metric = io.ecombi.kpi.KpiTable.csvField(a.metric());
                w.write(String.format(Locale.US, "%s,%s,%s,%s,%s,%.2f,%.2f,%.2f,%.2f,%s,%s,%s,%s,%s%n", a.day(),
                        a.day().getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US), metric, a.kind(), a.severity(), a.actual(), a.expected(),
                        a.lower(), a.upper(), Double.isNaN(a.deviationPct()) ? "" : String.format(Locale.US, "%.1f", a.deviationPct()),
                        Double.isNaN(a.robustZ()) ? "" : String.format(Locale.US, "%.2f", a.robustZ()),
                        Double.isNaN(f.forestScore()) || "data_gap".equals(a.kind()) ? "" : String.format(Locale.US, "%.3f", f.forestScore()),
                        "data_gap".equals(a.kind()) ? "" : f.forestAgrees(), f.isNew()));
            }
        }
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
    AnomalySection section(PipelineRun run, List<Found> found, List<Found> alerts, String currency, List<LocalDate> forestOnly) {
        List<Finding> findings = alerts.stream()
                .sorted(Comparator.comparingInt((Found f) -> f.anomaly().rank()).thenComparing((Found f) -> f.anomaly().day(), Comparator.reverseOrder())
                        .thenComparing(f -> -Math.abs(f.anomaly().robustZ())))
                .map(f -> new Finding(f.anomaly().severity(), capitalized(sentence(f.anomaly(), currency)) + ", new in this run.", CSV)).toList();
        String allClear = alerts.isEmpty() ? "No new Critical or High anomaly in the last " + recentDays + " days (to " + run.asOf() + ")." : null;
        LocalDate since = run.asOf().minusDays(reportDays - 1);
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
        return new AnomalySection(run.asOf().toString(), recentDays, reportDays, historyDays, findings, allClear, explanation,
                tables("anomalies_recent", latestFirst(recent)), tables("anomalies_earlier", latestFirst(severe)), secondOpinion, dataGaps, CSV);
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
                Column.percent("deviation_pct"), Column.number("robust_z"), Column.number("iforest_score"), Column.text("is_new"));
        List<List<Object>> values = new ArrayList<>();
        for (Found f : rows) {
            AnomalyDetector.Anomaly a = f.anomaly();
            boolean gap = isGap(a);
            values.add(java.util.Arrays.asList(a.day(), a.day().getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US), capitalized(metricLabel(a.metric())),
                    gap ? "no orders: probable data gap" : a.kind(), a.severity(), a.actual(), a.expected(), gap ? null : a.lower(), gap ? null : a.upper(),
                    gap ? null : finite(a.deviationPct()), gap ? null : finite(z(a.robustZ())), gap ? null : finite(f.forestScore()), f.isNew() ? "yes" : "no"));
        }
        return Table.of(name, title, columns, values, CSV);
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
