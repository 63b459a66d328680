package io.ecombi.forecast;

import io.ecombi.Settings;
import io.ecombi.db.SqlFile;
import io.ecombi.chart.ChartFile;
import io.ecombi.report.Formats;
import io.ecombi.result.Column;
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
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The weekly units forecast of the top categories (route forecast, after the daily forecasts): reads
 * sql/forecast/weekly_category_units.sql (fact layer), backtests {@link WeeklyUnits}' models per
 * category, publishes the best where it beat last week's units, and writes
 * data/forecast_weekly_units.csv, data/forecast_weekly_units_backtest.csv, bi.weekly_unit_forecasts,
 * bi.weekly_unit_backtests, visualizations/forecast_weekly_units.png, and its part of the dashboard's
 * forecast section: a {@link WeeklyUnitsSection} on the run as "weeklyUnits". The outcomes are on
 * the run as "weeklyUnitsOutcomes".
 */
public final class WeeklyUnitsStep {
    public static final String OUTCOMES_KEY = "weeklyUnitsOutcomes";
    public static final String SECTION_KEY = "weeklyUnits";
    private static final Logger LOG = LoggerFactory.getLogger(WeeklyUnitsStep.class);

    /** One category's series and, when it could be backtested, its outcome (else why not). */
    public record Category(int rank, String category, double trailingNetRevenue, List<LocalDate> weekEnds, double[] units,
                           Backtest.Outcome outcome, String skipped) {}

    private final DataSource ds;
    private final Path sqlFile;
    private final int topCategories;
    private final int horizon;
    private final int origins;
    private final int chartWeeks;
    private final double coverageMin;
    private final double coverageMax;
    private final WeeklyUnits weekly;

    public WeeklyUnitsStep(DataSource ds, Settings s) {
        this.ds = ds;
        this.sqlFile = s.path("ecombi.sql.dir").resolve("forecast/weekly_category_units.sql");
        this.topCategories = s.getInt("ecombi.forecast.weekly.top-categories");
        this.horizon = s.getInt("ecombi.forecast.weekly.horizon-weeks");
        this.origins = s.getInt("ecombi.forecast.weekly.backtest-origins");
        this.chartWeeks = s.getInt("ecombi.forecast.weekly.chart-weeks");
        this.coverageMin = s.getDouble("ecombi.forecast.coverage-min-pct");
        this.coverageMax = s.getDouble("ecombi.forecast.coverage-max-pct");
        this.weekly = new WeeklyUnits(horizon, origins, s.getInt("ecombi.forecast.weekly.min-history-weeks"),
                s.getInt("ecombi.forecast.weekly.lags"), s.getInt("ecombi.forecast.weekly.history-weeks"),
                List.of(s.get("ecombi.forecast.weekly.models").split("\\s*,\\s*")));
        weekly.models(1000);   // an unknown model name fails at start, not in the first run
    }

    public void run(Exchange exchange) throws IOException, SQLException {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        Stage stage = run.beginStage("weekly units forecast");
        List<Category> categories = new ArrayList<>();
        for (Category c : read(run.asOf())) {
            try {
                categories.add(new Category(c.rank(), c.category(), c.trailingNetRevenue(), c.weekEnds(), c.units(),
                        weekly.run(c.category(), c.units(), c.weekEnds().get(0)), null));
            } catch (IllegalArgumentException e) {
                categories.add(new Category(c.rank(), c.category(), c.trailingNetRevenue(), c.weekEnds(), c.units(), null, e.getMessage()));
                LOG.warn("run {} | weekly units forecast of {} skipped: {}", run.id(), c.category(), e.getMessage());
            }
        }
        run.put(OUTCOMES_KEY, categories);
        List<Category> done = categories.stream().filter(c -> c.outcome() != null).toList();
        writeCsv(run, done);
        save(run, done);
        ChartFile chart = null;
        if (!done.isEmpty()) {
            Path png = run.dir().resolve("visualizations").resolve("forecast_weekly_units.png");
            List<ForecastCharts.WeeklyPanel> panels = done.stream()
                    .map(c -> new ForecastCharts.WeeklyPanel(c.category(), c.weekEnds(), c.units(), c.outcome())).toList();
            String alt = ForecastCharts.weeklyUnits(png, panels, chartWeeks);
            chart = new ChartFile(png, "Weekly units of the top categories: forecast", "forecast_weekly_units", alt);
        }
        run.put(SECTION_KEY, section(run.asOf(), categories, chart));
        StringBuilder detail = new StringBuilder();
        for (Category c : categories) {
            if (c.outcome() == null) { detail.append(c.category()).append(": not forecast; "); continue; }
            Backtest.Score p = c.outcome().score(c.outcome().published());
            detail.append(String.format(Locale.US, "%s: %s (MASE %.2f, 80%% coverage %.0f%%); ", c.category(), c.outcome().published(), p.mase(), p.coverage80Pct()));
        }
        run.endStage(stage, done.size() * (long) horizon, categories.isEmpty() ? "no categories to forecast" : detail.toString());
    }

    /** The weekly series per category, in rank order; every category's weeks are the same. */
    List<Category> read(LocalDate asOf) throws IOException, SQLException {
        Map<String, Object[]> heads = new LinkedHashMap<>();   // category -> rank, trailing revenue
        Map<String, List<LocalDate>> weeks = new LinkedHashMap<>();
        Map<String, List<Double>> units = new LinkedHashMap<>();
        try (Connection c = ds.getConnection()) {
            SqlFile.read(sqlFile).query(c, Map.of(), rs -> {
                    String cat = rs.getString("category");
                    LocalDate end = rs.getDate("week_end").toLocalDate();
                    List<LocalDate> w = weeks.computeIfAbsent(cat, k -> new ArrayList<>());
                    if (!w.isEmpty() && !end.equals(w.get(w.size() - 1).plusDays(7))) {
                        throw new IllegalStateException(sqlFile + " must return every week of a category once, in order: " + end + " follows " + w.get(w.size() - 1) + " for " + cat);
                    }
                    w.add(end);
                    heads.putIfAbsent(cat, new Object[]{rs.getInt("rank"), rs.getDouble("trailing_net_revenue")});
                    units.computeIfAbsent(cat, k -> new ArrayList<>()).add(rs.getDouble("units"));
            });
        }
        List<Category> out = new ArrayList<>();
        for (Map.Entry<String, Object[]> e : heads.entrySet()) {
            out.add(new Category((Integer) e.getValue()[0], e.getKey(), (Double) e.getValue()[1], weeks.get(e.getKey()),
                    units.get(e.getKey()).stream().mapToDouble(Double::doubleValue).toArray(), null, null));
        }
        return out;
    }

    private void writeCsv(PipelineRun run, List<Category> done) throws IOException {
        Path data = run.dir().resolve("data");
        Files.createDirectories(data);
        try (BufferedWriter w = Files.newBufferedWriter(data.resolve("forecast_weekly_units.csv"), StandardCharsets.UTF_8)) {
            w.write("category,rank,week_start,week_end,step,model,forecast,lo80,hi80,lo95,hi95\n");
            for (Category c : done) {
                for (Backtest.Band b : c.outcome().forecast()) {
                    w.write(String.format(Locale.US, "%s,%d,%s,%s,%d,%s,%.2f,%.2f,%.2f,%.2f,%.2f%n", csv(c.category()), c.rank(), b.day().minusDays(6), b.day(),
                            b.step(), csv(c.outcome().published()), b.forecast(), b.lo80(), b.hi80(), b.lo95(), b.hi95()));
                }
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(data.resolve("forecast_weekly_units_backtest.csv"), StandardCharsets.UTF_8)) {
            w.write("category,model,origins,horizon_weeks,points,zero_actuals_skipped_in_mape,mae,mape_pct,smape_pct,mase,coverage80_pct,coverage95_pct,published,error\n");
            for (Category c : done) {
                Backtest.Outcome o = c.outcome();
                for (Backtest.Score s : o.scores()) {
                    w.write(BacktestRows.scoreLine(csv(c.category()), csv(s.model()), o, s, s.error() == null ? "" : csv(s.error())));
                }
            }
        }
    }

    /** The run's weekly forecasts and every model's backtest scores per category, in one transaction. */
    private void save(PipelineRun run, List<Category> done) throws SQLException {
        BacktestRows.insert(ds, "INSERT INTO bi.weekly_unit_forecasts (run_id, category, rank, week_start, week_end, step, model,"
                        + " forecast, lo80, hi80, lo95, hi95) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                "INSERT INTO bi.weekly_unit_backtests (run_id, category, model, origins, horizon, points, mae,"
                        + " mape_pct, smape_pct, mase, coverage80_pct, coverage95_pct, published, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                done, Category::outcome,
                (f, x, band) -> {
                    f.setLong(1, run.id());
                    f.setString(2, x.category());
                    f.setInt(3, x.rank());
                    f.setDate(4, Date.valueOf(band.day().minusDays(6)));
                    f.setDate(5, Date.valueOf(band.day()));
                    f.setInt(6, band.step());
                    f.setString(7, x.outcome().published());
                    f.setDouble(8, band.forecast());
                    f.setDouble(9, band.lo80());
                    f.setDouble(10, band.hi80());
                    f.setDouble(11, band.lo95());
                    f.setDouble(12, band.hi95());
                },
                (b, x, s) -> {
                    BacktestRows.bindScore(b, run.id(), x.category(), x.outcome(), s);
                    b.setString(14, s.error());
                });
    }

    /** The section's result: the forecast per category and week, the chart, the backtest per category, the categories left out. */
    WeeklyUnitsSection section(LocalDate asOf, List<Category> categories, ChartFile chart) {
        if (categories.isEmpty()) {
            return new WeeklyUnitsSection(false, count(0), horizon, origins, null, null, null, null, null, null, null,
                    pct(coverageMin), pct(coverageMax), List.of());
        }
        List<List<Object>> forecast = new ArrayList<>();
        List<List<Object>> backtest = new ArrayList<>();
        List<WeeklyUnitsSection.Skipped> skipped = new ArrayList<>();
        Integer backtestOrigins = null;
        for (Category c : categories) {
            Backtest.Outcome o = c.outcome();
            if (o == null) {
                skipped.add(new WeeklyUnitsSection.Skipped(c.category(), c.skipped()));
                continue;
            }
            if (backtestOrigins == null) backtestOrigins = o.origins();
            String published = o.published() + (o.beatNaive() ? "" : " — no model beat it");
            for (Backtest.Band b : o.forecast()) {
                forecast.add(Arrays.asList(c.category(), b.day(), published, b.forecast(), b.lo80(), b.hi80()));
            }
            Backtest.Score p = o.score(o.published());
            String check = Double.isNaN(p.coverage80Pct()) ? null
                    : p.coverage80Pct() < coverageMin ? "too narrow" : p.coverage80Pct() > coverageMax ? "too wide" : "on target";
            Backtest.Score runnerUp = o.scores().stream().filter(s -> s.ok() && !s.model().equals(o.published()) && !Double.isNaN(s.mase()))
                    .min(java.util.Comparator.comparingDouble(Backtest.Score::mase)).orElse(null);
            backtest.add(Arrays.asList(c.category(), published, finite(p.mase()), finite(p.smapePct()), finite(p.coverage80Pct()), check,
                    finite(p.coverage95Pct()), runnerUp == null ? null : runnerUp.model(), runnerUp == null ? null : finite(runnerUp.mase())));
        }
        Table forecastTable = Table.of("forecast_weekly_units", "Units per week ahead (a week ends on the day shown)",
                List.of(Column.text("category"), Column.date("week_end"), Column.text("model"), Column.count("forecast"),
                        Column.count("lo80"), Column.count("hi80")), forecast, "data/forecast_weekly_units.csv");
        Table backtestTable = Table.of("forecast_weekly_units_backtest", "Backtest of the published model per category",
                List.of(Column.text("category"), Column.text("published"), Column.number("mase"), Column.percent("smape_pct"),
                        Column.percent("coverage80_pct"), Column.text("coverage80_check"), Column.percent("coverage95_pct"),
                        Column.text("runner_up"), Column.number("runner_up_mase")), backtest, "data/forecast_weekly_units_backtest.csv");
        return new WeeklyUnitsSection(true, count(categories.size()), horizon, origins,
                asOf.getDayOfWeek().getDisplayName(java.time.format.TextStyle.FULL, Locale.US), String.valueOf(asOf.minusDays(6)),
                String.valueOf(asOf), forecastTable, chart, backtestTable, backtestOrigins == null ? null : count(backtestOrigins),
                pct(coverageMin), pct(coverageMax), skipped);
    }

    private static Double finite(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }

    private static String pct(double v) { return Formats.value(Kind.PERCENT, finite(v), "", true); }

    private static String count(long v) { return Formats.value(Kind.COUNT, v, "", true); }

    private static String csv(String v) {
        return io.ecombi.kpi.KpiTable.csvField(v);   // quoted, and a formula-leading name kept as text
    }
}
