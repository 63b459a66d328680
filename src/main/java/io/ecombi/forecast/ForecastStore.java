package io.ecombi.forecast;

import javax.sql.DataSource;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.TextStyle;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import static io.ecombi.forecast.BacktestRows.num;

/**
 * Where the daily forecasts go: bi.forecasts and bi.forecast_backtests, and in the run folder
 * data/forecast.csv, data/forecast_backtest.csv and data/forecast_decomposition.csv.
 */
final class ForecastStore {
    static final String DECOMPOSITION_CSV = "forecast_decomposition";

    private final DataSource ds;

    ForecastStore(DataSource ds) {
        this.ds = ds;
    }

    /** The run's forecasts and every model's backtest scores, in one transaction. */
    void save(long runId, List<Backtest.Outcome> outcomes) throws SQLException {
        BacktestRows.insert(ds, "INSERT INTO bi.forecasts (run_id, series, day, step, model, forecast, lo80, hi80, lo95, hi95, closed_day)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                "INSERT INTO bi.forecast_backtests (run_id, series, model, origins, horizon, points, mae, mape_pct,"
                        + " smape_pct, mase, coverage80_pct, coverage95_pct, published) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                outcomes, Function.identity(),
                (f, o, x) -> {
                    f.setLong(1, runId);
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
                },
                (b, o, s) -> BacktestRows.bindScore(b, runId, o.series(), o, s));
    }

    /** data/forecast.csv (the published forecast per series and day) and data/forecast_backtest.csv (every model's scores). */
    void writeCsv(Path runDir, List<Backtest.Outcome> outcomes) throws IOException {
        Path data = runDir.resolve("data");
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
                    w.write(BacktestRows.scoreLine(o.series(), s.model(), o, s, s.error() == null ? "" : '"' + s.error().replace("\"", "\"\"") + '"'));
                }
            }
        }
    }

    /**
     * data/forecast_decomposition.csv: the figures of the decomposition chart, over the same last
     * weeks that ForecastCharts.decomposition draws.
     */
    void writeDecompositionCsv(Path runDir, List<LocalDate> days, double[] all, int weeks) throws IOException {
        int from = Math.max(0, all.length - 7 * weeks);
        double[] y = Arrays.copyOfRange(all, from, all.length);
        Decomposition.Parts p = Decomposition.of(y, 7);
        Path data = Files.createDirectories(runDir.resolve("data"));
        try (BufferedWriter w = Files.newBufferedWriter(data.resolve(DECOMPOSITION_CSV + ".csv"), StandardCharsets.UTF_8)) {
            w.write("day,weekday,observed,trend,season,remainder\n");
            for (int i = 0; i < y.length; i++) {
                LocalDate d = days.get(from + i);
                w.write(String.format(Locale.US, "%s,%s,%.2f,%s,%.2f,%s%n", d, d.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US),
                        y[i], num(p.trend()[i], 2), p.season()[i], num(p.remainder()[i], 2)));
            }
        }
    }
}
