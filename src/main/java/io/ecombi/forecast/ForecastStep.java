package io.ecombi.forecast;

import io.ecombi.Settings;
import io.ecombi.chart.ChartFile;
import io.ecombi.report.Formats;
import io.ecombi.run.PipelineRun;
import io.ecombi.run.Stage;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.ecombi.forecast.ForecastSectionBuilder.label;
import static io.ecombi.forecast.ForecastSectionBuilder.money;

/**
 * The forecast step (route forecast): reads the daily series ({@link DailySeries},
 * sql/forecast/daily_series.sql, from the fact layer), backtests the candidate models on each,
 * publishes the best one only where it beat the seasonal naive, has {@link ForecastStore} write
 * data/forecast.csv, data/forecast_backtest.csv, bi.forecasts and bi.forecast_backtests, draws the
 * forecast and decomposition charts (the decomposition's figures in data/forecast_decomposition.csv),
 * and puts the dashboard section's result on the run as "forecast": a {@link ForecastSection} from
 * {@link ForecastSectionBuilder}. The outcomes are on the run as "forecastOutcomes".
 */
public final class ForecastStep {
    public static final String OUTCOMES_KEY = "forecastOutcomes";
    public static final String SECTION_KEY = "forecast";
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
    private final int chartWeeks;
    private final int decompositionWeeks;
    private final String defaultCurrency;
    private final ForecastStore store;
    private final ForecastSectionBuilder sections;

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
        double coverageMin = s.getDouble("ecombi.forecast.coverage-min-pct");
        double coverageMax = s.getDouble("ecombi.forecast.coverage-max-pct");
        this.chartWeeks = s.getInt("ecombi.forecast.chart-weeks");
        this.decompositionWeeks = s.getInt("ecombi.forecast.decomposition-weeks");
        this.defaultCurrency = s.get("ecombi.report.currency");
        this.store = new ForecastStore(ds);
        this.sections = new ForecastSectionBuilder(horizon, origins, closedWeeks, coverageMin, coverageMax);
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
        DailySeries daily = DailySeries.read(ds, sqlFile);
        List<LocalDate> days = daily.days();
        Map<String, double[]> columns = daily.columns();
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
        store.writeCsv(run.dir(), outcomes);
        store.save(run.id(), outcomes);
        Path vis = run.dir().resolve("visualizations");
        List<ForecastSection.Series> shown = new ArrayList<>();
        for (Backtest.Outcome o : outcomes) {
            Path png = vis.resolve("forecast_" + o.series() + ".png");
            String axisCurrency = money(o.series()) ? currency : null;
            String alt = ForecastCharts.forecast(png, o, days, columns.get(o.series()), chartWeeks, label(o.series()), axisCurrency);
            shown.add(sections.series(o, new ChartFile(png, label(o.series()) + ": forecast", "forecast", alt), axisCurrency));
        }
        ChartFile decomposition = null;
        if (!days.isEmpty() && days.size() >= 21) {
            String name = series.get(0);
            Path png = vis.resolve("decomposition_" + name + ".png");
            String axisCurrency = money(name) ? currency : null;
            String alt = ForecastCharts.decomposition(png, days, columns.get(name), decompositionWeeks, label(name), axisCurrency);
            store.writeDecompositionCsv(run.dir(), days, columns.get(name), decompositionWeeks);
            decomposition = new ChartFile(png, label(name) + ": trend, weekly season and remainder", ForecastStore.DECOMPOSITION_CSV, alt);
        }
        run.put(SECTION_KEY, sections.section(skipped, shown, decomposition));
        StringBuilder detail = new StringBuilder();
        for (Backtest.Outcome o : outcomes) {
            detail.append(String.format(Locale.US, "%s: %s (MASE %.2f, 80%% coverage %.0f%%); ", o.series(), o.published(),
                    o.score(o.published()).mase(), o.coverage80Pct()));
        }
        run.endStage(stage, outcomes.size() * (long) horizon, detail.toString() + String.join("; ", skipped));
    }
}
