package io.ecombi.forecast;

import java.time.LocalDate;

/** The benchmark: each day forecasts the value of the same weekday one week earlier (the last one observed). */
public final class SeasonalNaive implements ForecastModel {
    public static final String NAME = "seasonal naive";
    private final int season;

    public SeasonalNaive(int season) { this.season = season; }

    @Override public String name() { return NAME; }

    @Override
    public double[] forecast(double[] y, LocalDate firstDay, int horizon) {
        if (y.length < season) throw new IllegalArgumentException("seasonal naive needs at least " + season + " days, got " + y.length);
        double[] f = new double[horizon];
        for (int h = 0; h < horizon; h++) {
            // the same position in the last observed season: y[n - season + (h mod season)]
            f[h] = y[y.length - season + (h % season)];
        }
        return f;
    }
}
