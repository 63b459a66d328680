package io.ecombi.forecast;

import io.ecombi.Settings;
import io.ecombi.db.SqlFile;
import io.ecombi.chart.ChartFile;
import io.ecombi.report.Formats;
import io.ecombi.result.Column;
import io.ecombi.result.Finding;
import io.ecombi.result.Kind;
import io.ecombi.result.Table;
import io.ecombi.run.PipelineRun;
import io.ecombi.run.Stage;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The forecast step (route forecast): reads the daily series (sql/forecast/daily_series.sql, from
 * the fact layer), backtests the candidate models on each, publishes the best one only where it
 * beat the seasonal naive, and writes data/forecast.csv, data/forecast_backtest.csv,
 * bi.forecasts, bi.forecast_backtests, the forecast and decomposition charts (the decomposition's
 * figures in data/forecast_decomposition.csv), and the dashboard section's result: a
 * {@link ForecastSection} on the run as "forecast". The outcomes are on the run as "forecastOutcomes".
 */
public final class ForecastStep {
    public static final String OUTCOMES_KEY = "forecastOutcomes";
    public static final String SECTION_KEY = "forecast";
    static final String DECOMPOSITION_CSV = "forecast_decomposition";
    private static final Logger LOG = LoggerFactory.getLogger(ForecastStep.class);

    private final DataSource ds;
    private final Path sqlFile;
    private final List<String> series;
    private final List<String> modelNames;
    private final int horizon;
    private final int origins;
    private final int closedWeeks;
    private final int historyDays;
    private final int lags;
    private final int lagRegressionHistoryDays;
    private final int lagRegressionRefitDays;
    private final double coverageMin;
    private final double coverageMax;
    private final int chartWeeks;
    private final int decompositionWeeks;
    private final String defaultCurrency;

    public ForecastStep(DataSource ds, Settings s) {
        this.ds = ds;
        this.sqlFile = s.path("ecombi.sql.dir").resolve("forecast/daily_series.sql");
        this.series = List.of(s.get("ecombi.forecast.series").split("\\s*,\\s*"));
        this.modelNames = List.of(s.get("ecombi.forecast.models").split("\\s*,\\s*"));
        this.horizon = s.getInt("ecombi.forecast.horizon-days");
        this.origins = s.getInt("ecombi.forecast.backtest-origins");
        this.closedWeeks = s.getInt("ecombi.forecast.closed-weeks");
        this.historyDays = s.getInt("ecombi.forecast.history-days");
        this.lags = s.getInt("ecombi.forecast.lags");
        this.lagRegressionHistoryDays = s.getInt("ecombi.forecast.lag-regression-history-days");
        this.lagRegressionRefitDays = s.getInt("ecombi.forecast.lag-regression-refit-days");
        this.coverageMin = s.getDouble("ecombi.forecast.coverage-min-pct");
        this.coverageMax = s.getDouble("ecombi.forecast.coverage-max-pct");
        this.chartWeeks = s.getInt("ecombi.forecast.chart-weeks");
        this.decompositionWeeks = s.getInt("ecombi.forecast.decomposition-weeks");
        this.defaultCurrency = s.get("ecombi.report.currency");
    }

    /** The models of a backtest: the seasonal naive benchmark, then ecombi.forecast.models. */
    List<ForecastModel> models() {
        List<ForecastModel> m = new ArrayList<>();
        m.add(new SeasonalNaive(7));
        for (String name : modelNames) {
            switch (name) {
                case "holt-winters" -> m.add(new HoltWinters(7, 0.95, historyDays));
                case "lag-regression" -> m.add(new LagRegression(lags, lagRegressionHistoryDays, lagRegressionRefitDays));
                case "", "seasonal-naive" -> { }
                default -> throw new IllegalArgumentException("ecombi.forecast.models: unknown model '" + name
                        + "' (models: seasonal-naive, holt-winters, lag-regression)");
            }
        }
        return m;
    }

    public void run(Exchange exchange) throws IOException, SQLException {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        Stage stage = run.beginStage("forecast");
        Map<String, double[]> columns = new LinkedHashMap<>();
        List<LocalDate> days = read(columns);
        String currency = Formats.symbol(Formats.currencyCode(run, defaultCurrency));
        List<Backtest.Outcome> outcomes = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        double[] trading = columns.get("orders");
        if (trading == null) throw new IllegalStateException(sqlFile + " must return the column 'orders' (closed weekdays are read from it)");
        for (String name : series) {
            double[] y = columns.get(name);
            if (y == null) throw new IllegalStateException("ecombi.forecast.series names '" + name + "', which is not a column of " + sqlFile + " (" + columns.keySet() + ")");
            if (days.isEmpty()) {
                skipped.add(name + ": no sale up to " + run.asOf());
                continue;
            }
            try {
                // fresh models per series (the lag regression keeps its last fit between origins)
                outcomes.add(new Backtest(models(), horizon, origins, closedWeeks).run(name, y, trading, days.get(0)));
            } catch (IllegalArgumentException e) {
                skipped.add(name + ": " + e.getMessage());
                LOG.warn("run {} | forecast of {} skipped: {}", run.id(), name, e.getMessage());
            }
        }
        run.put(OUTCOMES_KEY, outcomes);
        writeCsv(run, outcomes);
        save(run, outcomes);
        Path vis = run.dir().resolve("visualizations");
        List<ForecastSection.Series> shown = new ArrayList<>();
        for (Backtest.Outcome o : outcomes) {
            Path png = vis.resolve("forecast_" + o.series() + ".png");
            String axisCurrency = money(o.series()) ? currency : null;
            String alt = ForecastCharts.forecast(png, o, days, columns.get(o.series()), chartWeeks, label(o.series()), axisCurrency);
            shown.add(series(o, new ChartFile(png, label(o.series()) + ": forecast", "forecast", alt), axisCurrency));
        }
        ChartFile decomposition = null;
        if (!days.isEmpty() && days.size() >= 21) {
            String name = series.get(0);
            Path png = vis.resolve("decomposition_" + name + ".png");
            String axisCurrency = money(name) ? currency : null;
            String alt = ForecastCharts.decomposition(png, days, columns.get(name), decompositionWeeks, label(name), axisCurrency);
            writeDecompositionCsv(run, days, columns.get(name));
            decomposition = new ChartFile(png, label(name) + ": trend, weekly season and remainder", DECOMPOSITION_CSV, alt);
        }
        run.put(SECTION_KEY, new ForecastSection(horizon, origins, closedWeeks, pct(coverageMin), pct(coverageMax), skipped, shown, decomposition));
        StringBuilder detail = new StringBuilder();
        for (Backtest.Outcome o : outcomes) {
            detail.append(String.format(Locale.US, "%s: %s (MASE %.2f, 80%% coverage %.0f%%); ", o.series(), o.published(),
                    o.score(o.published()).mase(), o.coverage80Pct()));
        }
        run.endStage(stage, outcomes.size() * (long) horizon, detail.toString() + String.join("; ", skipped));
    }

    private List<LocalDate> read(Map<String, double[]> out) throws IOException, SQLException {
        List<LocalDate> days = new ArrayList<>();
        Map<String, List<Double>> cols = new LinkedHashMap<>();
        try (Connection c = ds.getConnection()) {
            SqlFile.read(sqlFile).query(c, Map.of(), rs -> {
                int n = rs.getMetaData().getColumnCount();
                if (days.isEmpty()) for (int i = 2; i <= n; i++) cols.put(rs.getMetaData().getColumnLabel(i), new ArrayList<>());
                LocalDate d = rs.getDate(1).toLocalDate();
                if (!days.isEmpty() && !d.equals(days.get(days.size() - 1).plusDays(1))) {
                    throw new IllegalStateException(sqlFile + " must return every calendar day once, in order: " + d + " follows " + days.get(days.size() - 1));
                }
                days.add(d);
                for (int i = 2; i <= n; i++) {
                    double v = rs.getDouble(i);
                    cols.get(rs.getMetaData().getColumnLabel(i)).add(rs.wasNull() ? 0 : v);
                }
            });
        }
        cols.forEach((k, v) -> out.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
        return days;
    }

    private void writeCsv(PipelineRun run, List<Backtest.Outcome> outcomes) throws IOException {
        Path data = run.dir().resolve("data");
        Files.createDirectories(data);
        try (BufferedWriter w = Files.newBufferedWriter(data.resolve("forecast.csv"), StandardCharsets.UTF_8)) {
            w.write("series,day,weekday,step,model,forecast,lo80,hi80,lo95,hi95,closed_day\n");
            for (Backtest.Outcome o : outcomes) {
                for (Backtest.Band b : o.forecast()) {
                    w.write(String.format(Locale.US, "%s,%s,%s,%d,%s,%.2f,%.2f,%.2f,%.2f,%.2f,%s%n", o.series(), b.day(),
                            b.day().getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US), b.step(), o.published(),
                            b.forecast(), b.lo80(), b.hi80(), b.lo95(), b.hi95(), b.closed()));
                }
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(data.resolve("forecast_backtest.csv"), StandardCharsets.UTF_8)) {
            w.write("series,model,origins,horizon,points,zero_actuals_skipped_in_mape,mae,mape_pct,smape_pct,mase,coverage80_pct,coverage95_pct,published,error\n");
            for (Backtest.Outcome o : outcomes) {
                for (Backtest.Score s : o.scores()) {
                    w.write(String.format(Locale.US, "%s,%s,%d,%d,%d,%d,%s,%s,%s,%s,%s,%s,%s,%s%n", o.series(), s.model(), o.origins(), o.horizon(),
                            s.points(), s.zeroActualsSkipped(), num(s.mae(), 2), num(s.mapePct(), 2), num(s.smapePct(), 2), num(s.mase(), 3),
                            num(s.coverage80Pct(), 1), num(s.coverage95Pct(), 1), s.model().equals(o.published()),
                            s.error() == null ? "" : '"' + s.error().replace("\"", "\"\"") + '"'));
                }
            }
        }
    }

    private void save(PipelineRun run, List<Backtest.Outcome> outcomes) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement f = c.prepareStatement("INSERT INTO bi.forecasts (run_id, series, day, step, model, forecast, lo80, hi80, lo95, hi95, closed_day)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement b = c.prepareStatement("INSERT INTO bi.forecast_backtests (run_id, series, model, origins, horizon, points, mae, mape_pct,"
                         + " smape_pct, mase, coverage80_pct, coverage95_pct, published) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Backtest.Outcome o : outcomes) {
                    for (Backtest.Band x : o.forecast()) {
                        f.setLong(1, run.id());
                        f.setString(2, o.series());
                        f.setDate(3, Date.valueOf(x.day()));
                        f.setInt(4, x.step());
                        f.setString(5, o.published());
                        f.setDouble(6, x.forecast());
                        f.setDouble(7, x.lo80());
                        f.setDouble(8, x.hi80());
                        f.setDouble(9, x.lo95());
                        f.setDouble(10, x.hi95());
                        f.setBoolean(11, x.closed());
                        f.addBatch();
                    }
                    for (Backtest.Score s : o.scores()) {
                        bindScore(b, run.id(), o.series(), o, s);
                        b.addBatch();
                    }
                }
                f.executeBatch();
                b.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Parameters 1-13 of a backtest row (bi.forecast_backtests, bi.weekly_unit_backtests): run, series, model and its scores. */
    static void bindScore(PreparedStatement b, long runId, String series, Backtest.Outcome o, Backtest.Score s) throws SQLException {
        b.setLong(1, runId);
        b.setString(2, series);
        b.setString(3, s.model());
        b.setInt(4, o.origins());
        b.setInt(5, o.horizon());
        b.setInt(6, s.points());
        setDouble(b, 7, s.mae());
        setDouble(b, 8, s.mapePct());
        setDouble(b, 9, s.smapePct());
        setDouble(b, 10, s.mase());
        setDouble(b, 11, s.coverage80Pct());
        setDouble(b, 12, s.coverage95Pct());
        b.setBoolean(13, s.model().equals(o.published()));
    }

    static void setDouble(PreparedStatement ps, int i, double v) throws SQLException {
        if (Double.isNaN(v) || Double.isInfinite(v)) ps.setNull(i, java.sql.Types.DOUBLE);
        else ps.setDouble(i, v);
    }

    /** One series as readers get it: its next days, verdict and backtest, figures written by the report's rules. */
    ForecastSection.Series series(Backtest.Outcome o, ChartFile chart, String axisCurrency) {
        Backtest.Score p = o.score(o.published());
        boolean m = money(o.series());
        Kind amount = m ? Kind.MONEY : Kind.COUNT;
        List<List<Object>> next = new ArrayList<>();
        List<String> closed = new ArrayList<>();
        for (Backtest.Band b : o.forecast()) {
            String weekday = b.day().getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US);
            // a closed day is forecast 0 and has no band: no sale on this weekday in the last closedWeeks weeks
            if (b.closed()) closed.add(weekday + " " + b.day());
            next.add(Arrays.asList(b.day(), weekday, b.forecast(), b.closed() ? null : b.lo80(), b.closed() ? null : b.hi80(),
                    b.closed() ? null : b.lo95(), b.closed() ? null : b.hi95()));
        }
        Table nextDays = Table.of("forecast_" + o.series(), "The next " + o.horizon() + " days",
                List.of(Column.date("day"), Column.text("weekday"), new Column("forecast", amount), new Column("lo80", amount),
                        new Column("hi80", amount), new Column("lo95", amount), new Column("hi95", amount)), next, "data/forecast.csv");
        List<List<Object>> scores = new ArrayList<>();
        for (Backtest.Score s : o.scores()) {
            String status = !s.ok() ? "failed: " + s.error() : s.model().equals(o.published()) ? "published" : "not published";
            scores.add(Arrays.asList(s.model(), s.ok() ? s.points() : null, finite(s.mae()), finite(s.mapePct()), finite(s.smapePct()),
                    finite(s.mase()), finite(s.coverage80Pct()), finite(s.coverage95Pct()), status));
        }
        Table backtest = Table.of("forecast_backtest_" + o.series(), "Backtest: every model over the same origins",
                List.of(Column.text("model"), Column.count("points"), new Column("mae", m ? Kind.MONEY : Kind.NUMBER), Column.percent("mape_pct"),
                        Column.percent("smape_pct"), Column.number("mase"), Column.percent("coverage80_pct"), Column.percent("coverage95_pct"),
                        Column.text("status")), scores, "data/forecast_backtest.csv");
        Backtest.Score best = o.bestCandidate() == null ? null : o.score(o.bestCandidate());
        boolean off = !(p.coverage80Pct() >= coverageMin && p.coverage80Pct() <= coverageMax);
        Finding bandWarning = off ? new Finding("warn", label(o.series()) + ": the 80% band held " + pct(p.coverage80Pct())
                + " of the backtest's actuals, outside " + pct(coverageMin) + "–" + pct(coverageMax) + ": the band is "
                + (p.coverage80Pct() < coverageMin ? "too narrow (over-confident)." : "too wide."), "data/forecast_backtest.csv") : null;
        Backtest.Score naive = o.score(SeasonalNaive.NAME);
        return new ForecastSection.Series(o.series(), label(o.series()), o.published(), o.beatNaive(), o.bestCandidate(),
                best == null ? null : number(best.mase()), number(p.mase()), pct(100 * (1 - p.mase())), pct(p.coverage80Pct()), bandWarning,
                axisCurrency, nextDays, closed, chart, backtest, count(o.origins()), count(naive == null ? 0 : naive.zeroActualsSkipped()));
    }

    /**
     * data/forecast_decomposition.csv: the figures of the decomposition chart, over the same last
     * decompositionWeeks weeks that ForecastCharts.decomposition draws.
     */
    private void writeDecompositionCsv(PipelineRun run, List<LocalDate> days, double[] all) throws IOException {
        int from = Math.max(0, all.length - 7 * decompositionWeeks);
        double[] y = Arrays.copyOfRange(all, from, all.length);
        Decomposition.Parts p = Decomposition.of(y, 7);
        Path data = Files.createDirectories(run.dir().resolve("data"));
        try (BufferedWriter w = Files.newBufferedWriter(data.resolve(DECOMPOSITION_CSV + ".csv"), StandardCharsets.UTF_8)) {
            w.write("day,weekday,observed,trend,season,remainder\n");
            for (int i = 0; i < y.length; i++) {
                LocalDate d = days.get(from + i);
                w.write(String.format(Locale.US, "%s,%s,%.2f,%s,%.2f,%s%n", d, d.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US),
                        y[i], num(p.trend()[i], 2), p.season()[i], num(p.remainder()[i], 2)));
            }
        }
    }

    private static Double finite(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }

    private static String pct(double v) { return Formats.value(Kind.PERCENT, finite(v), "", true); }

    private static String number(double v) { return Formats.value(Kind.NUMBER, finite(v), "", true); }

    private static String count(long v) { return Formats.value(Kind.COUNT, v, "", true); }

    static boolean money(String series) { return Formats.isMoney(series); }

    static String label(String series) {
        return switch (series) {
            case "net_revenue" -> "Daily net revenue";
            case "orders" -> "Daily orders";
            default -> "Daily " + series.replace('_', ' ');
        };
    }

    private static String num(double v, int digits) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "" : String.format(Locale.US, "%." + digits + "f", v);
    }
}
