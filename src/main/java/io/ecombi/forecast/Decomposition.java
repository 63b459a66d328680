package io.ecombi.forecast;

/**
 * Classical additive decomposition of a daily series with a weekly season: trend = centred 7-day
 * moving average; weekly seasonality = the mean of (value - trend) per weekday, shifted to sum to 0;
 * remainder = value - trend - season. The first and last three days have no centred average
 * (trend and remainder NaN there).
 */
public final class Decomposition {
    public record Parts(double[] trend, double[] season, double[] remainder) {}

    private Decomposition() {}

    public static Parts of(double[] y, int m) {
        if (m % 2 == 0) throw new IllegalArgumentException("an odd season length is needed for a simple centred average");
        int n = y.length, half = m / 2;
        double[] trend = new double[n];
        java.util.Arrays.fill(trend, Double.NaN);
        for (int t = half; t < n - half; t++) {
            double s = 0;
            for (int j = -half; j <= half; j++) s += y[t + j];
            trend[t] = s / m;
        }
        double[] sum = new double[m];
        int[] count = new int[m];
        for (int t = 0; t < n; t++) {
            if (Double.isNaN(trend[t])) continue;
            sum[t % m] += y[t] - trend[t];
            count[t % m]++;
        }
        double[] idx = new double[m];
        double mean = 0;
        for (int k = 0; k < m; k++) { idx[k] = count[k] == 0 ? 0 : sum[k] / count[k]; mean += idx[k] / m; }
        double[] season = new double[n], rem = new double[n];
        for (int t = 0; t < n; t++) {
            season[t] = idx[t % m] - mean;
            rem[t] = Double.isNaN(trend[t]) ? Double.NaN : y[t] - trend[t] - season[t];
        }
        return new Parts(trend, season, rem);
    }
}
