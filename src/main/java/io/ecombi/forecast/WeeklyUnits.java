package io.ecombi.forecast;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The weekly units forecast of one category (demand): which models compete and the backtest that
 * picks one. Pure: arrays in, numbers out.
 *
 * <ul>
 * <li>Benchmark: last week's units for every week ahead (the naive forecast at the weekly grain). It
 *     exists for every history, so MASE means the same on every shop; a weekly series has no weekday
 *     season to be naive about.</li>
 * <li>Candidates: the same week last year (seasonal naive, 52 weeks) when every backtest origin has a
 *     year of history; Holt-Winters with a yearly season (52 weeks) when every origin has two years,
 *     else Holt's damped trend without a season; the Weka lag regression on the last weeks.</li>
 * </ul>
 */
public final class WeeklyUnits {
    public static final String NAIVE = "naive (last week)";
    public static final String SAME_WEEK_LAST_YEAR = "same week last year";
    public static final String HOLT_WINTERS = "Holt-Winters (yearly season)";
    public static final String HOLT = "Holt (damped trend)";
    static final int YEAR = 52;

    private final int horizon;
    private final int origins;
    private final int minHistory;
    private final int lags;
    private final int maxHistory;
    private final List<String> modelNames;

    /**
     * @param modelNames candidates beside the benchmark: same-week-last-year, holt-winters (yearly
     *                   season or Holt, by the history), lag-regression
     */
    public WeeklyUnits(int horizon, int origins, int minHistory, int lags, int maxHistory, List<String> modelNames) {
        this.horizon = horizon;
        this.origins = origins;
        this.minHistory = minHistory;
        this.lags = lags;
        this.maxHistory = maxHistory;
        this.modelNames = modelNames;
    }

    /** The history every backtest origin has, for a series of n weeks (the first origin's). */
    int shortestHistory(int n) {
        int k = Math.min(origins, n - horizon - minHistory + 1);
        return n - horizon - k + 1;
    }

    /** The models for a series of n weeks: the benchmark first. */
    public List<ForecastModel> models(int n) {
        int shortest = shortestHistory(n);
        List<ForecastModel> m = new ArrayList<>();
        m.add(new SeasonalNaive(1, NAIVE));
        for (String name : modelNames) {
            switch (name) {
                case "same-week-last-year" -> { if (shortest >= YEAR) m.add(new SeasonalNaive(YEAR, SAME_WEEK_LAST_YEAR)); }
                case "holt-winters" -> m.add(shortest >= 2 * YEAR ? new HoltWinters(YEAR, 0.95, maxHistory, 2 * YEAR, HOLT_WINTERS)
                        : HoltWinters.holt(0.95, maxHistory, 8, HOLT));
                case "lag-regression" -> m.add(new LagRegression(lags, maxHistory, 1, 7));
                case "", "naive" -> { }
                default -> throw new IllegalArgumentException("ecombi.forecast.weekly.models: unknown model '" + name
                        + "' (models: same-week-last-year, holt-winters, lag-regression)");
            }
        }
        return m;
    }

    /**
     * Backtests the models on one category's weekly units.
     * @param firstWeekEnd the last day of week 0; week i ends firstWeekEnd + 7i
     */
    public Backtest.Outcome run(String category, double[] units, LocalDate firstWeekEnd) {
        return new Backtest(models(units.length), horizon, origins, 0, 7, minHistory).run(category, units, null, firstWeekEnd);
    }
}
