package io.ecombi.forecast;

import io.ecombi.chart.ChartFile;
import io.ecombi.report.Formats;
import io.ecombi.result.Column;
import io.ecombi.result.Finding;
import io.ecombi.result.Kind;
import io.ecombi.result.Table;

import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The dashboard's forecast section as data ({@link ForecastSection}): per series its next days,
 * verdict and backtest, with figures written by the report's rules; and what readers call a series.
 *
 * @param horizon     days ahead (ecombi.forecast.horizon-days)
 * @param origins     backtest origins (ecombi.forecast.backtest-origins)
 * @param closedWeeks a weekday without a sale in this many weeks is closed
 * @param coverageMin the 80 % band's target coverage, low end, in percent
 * @param coverageMax its high end
 */
record ForecastSectionBuilder(int horizon, int origins, int closedWeeks, double coverageMin, double coverageMax) {

    /** The section: the settings readers are told, the series left out and why, the series shown, the decomposition chart (or null). */
    ForecastSection section(List<String> skipped, List<ForecastSection.Series> shown, ChartFile decomposition) {
        return new ForecastSection(horizon, origins, closedWeeks, pct(coverageMin), pct(coverageMax), skipped, shown, decomposition);
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

    static boolean money(String series) { return Formats.isMoney(series); }

    static String label(String series) {
        return switch (series) {
            case "net_revenue" -> "Daily net revenue";
            case "orders" -> "Daily orders";
            default -> "Daily " + series.replace('_', ' ');
        };
    }

    private static Double finite(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }

    private static String pct(double v) { return Formats.value(Kind.PERCENT, finite(v), "", true); }

    private static String number(double v) { return Formats.value(Kind.NUMBER, finite(v), "", true); }

    private static String count(long v) { return Formats.value(Kind.COUNT, v, "", true); }
}
