package io.ecombi.forecast;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * What the daily and the weekly forecasts store alike: a run's forecast bands and backtest scores
 * in their two bi tables in one transaction, a score's row (bi.forecast_backtests,
 * bi.weekly_unit_backtests) and its line in the backtest CSV files.
 */
final class BacktestRows {
    private BacktestRows() {}

    /** Sets a statement's parameters from one item (a series, a category) and one of its bands or scores. */
    @FunctionalInterface
    interface Binder<T, R> {
        void bind(PreparedStatement ps, T item, R row) throws SQLException;
    }

    /**
     * Inserts every item's forecast bands (forecastSql) and backtest scores (backtestSql) in one
     * transaction, so a run has all its rows or none.
     */
    static <T> void insert(DataSource ds, String forecastSql, String backtestSql, List<T> items, Function<T, Backtest.Outcome> outcome,
                           Binder<T, Backtest.Band> band, Binder<T, Backtest.Score> score) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement f = c.prepareStatement(forecastSql);
                 PreparedStatement b = c.prepareStatement(backtestSql)) {
                for (T item : items) {
                    Backtest.Outcome o = outcome.apply(item);
                    for (Backtest.Band x : o.forecast()) {
                        band.bind(f, item, x);
                        f.addBatch();
                    }
                    for (Backtest.Score s : o.scores()) {
                        score.bind(b, item, s);
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

    /**
     * A score's line of a backtest CSV: series or category, model, origins, horizon, points, zero
     * actuals skipped in MAPE, the metrics, published, error. key, model and error come written as
     * CSV fields; an unknown metric is empty.
     */
    static String scoreLine(String key, String model, Backtest.Outcome o, Backtest.Score s, String error) {
        return String.format(Locale.US, "%s,%s,%d,%d,%d,%d,%s,%s,%s,%s,%s,%s,%s,%s%n", key, model, o.origins(), o.horizon(),
                s.points(), s.zeroActualsSkipped(), num(s.mae(), 2), num(s.mapePct(), 2), num(s.smapePct(), 2), num(s.mase(), 3),
                num(s.coverage80Pct(), 1), num(s.coverage95Pct(), 1), s.model().equals(o.published()), error);
    }

    static String num(double v, int digits) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "" : String.format(Locale.US, "%." + digits + "f", v);
    }

    private static void setDouble(PreparedStatement ps, int i, double v) throws SQLException {
        if (Double.isNaN(v) || Double.isInfinite(v)) ps.setNull(i, java.sql.Types.DOUBLE);
        else ps.setDouble(i, v);
    }
}
