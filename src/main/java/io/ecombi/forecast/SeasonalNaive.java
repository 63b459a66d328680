package io.ecombi.forecast;

import java.time.LocalDate;

/**
 * The benchmark: each point forecasts the value at the same position one season earlier (the last
 * one observed): season 7 on a daily series = the same weekday last week; on a weekly series,
 * season 1 = last week's value, season 52 = the same week last year.
 */
public final class SeasonalNaive implements ForecastModel {
    public static final String NAME = "seasonal naive";
    private final int season;
    private final String name;

    public SeasonalNaive(int season) { this(season, NAME); }

    public SeasonalNaive(int season, String name) {
        this.season = season;
        this.name = name;
    }

    @Override public String name() { return name; }

    @Override
    public double[] forecast(double[] y, LocalDate firstDay, int horizon) {
        if (y.length < season) throw new IllegalArgumentException(name + " needs at least " + season + " points, got " + y.length);
        double[] f = new double[horizon];
        for (int h = 0; h < horizon; h++) {
            // the same position in the last observed season: y[n - season + (h mod season)]
            f[h] = y[y.length - season + (h % season)];
        }
        return f;
    }
}
