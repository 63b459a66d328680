package io.ecombi.forecast;

/**
 * A forecasting method: from the history of a daily series (index 0 = the first day), the next
 * {@code horizon} values. Implementations are pure (no database, no Camel) and deterministic.
 */
public interface ForecastModel {
    String name();

    /** history[0..n) -> forecast[0..horizon): forecast[0] is the day after history[n-1]. */
    double[] forecast(double[] history, java.time.LocalDate firstDay, int horizon);
}
