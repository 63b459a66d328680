package io.ecombi.forecast;

import java.time.LocalDate;

/**
 * Additive Holt-Winters with a damped trend and a weekly season, written out here (it is a dozen
 * lines): level l, trend b, season s with period m,
 * <pre>
 *   l_t = a (y_t - s_{t-m}) + (1-a)(l_{t-1} + phi b_{t-1})
 *   b_t = b (l_t - l_{t-1}) + (1-b) phi b_{t-1}
 *   s_t = g (y_t - l_t) + (1-g) s_{t-m}
 *   yhat_{t+h} = l_t + (phi + ... + phi^h) b_t + s_{t+h-m(k+1)}
 * </pre>
 * started from the first two seasons; (a, b, g) chosen on a grid by the smallest one-step squared
 * error over the history. {@link #holt} is the same recursion without a season (m = 1, g = 0):
 * Holt's damped trend, for a weekly series too short for a yearly season.
 */
public final class HoltWinters implements ForecastModel {
    public static final String NAME = "Holt-Winters";
    private static final double[] ALPHAS = {0.05, 0.1, 0.2, 0.3, 0.5, 0.7};
    private static final double[] BETAS = {0.0, 0.01, 0.05, 0.1};
    private static final double[] GAMMAS = {0.05, 0.1, 0.2, 0.3, 0.5};
    private final int m;
    private final double phi;
    /** the history used to fit: the last maxHistory days (older years say little about next week) */
    private final int maxHistory;
    private final int minPoints;
    private final double[] gammas;
    private final String name;

    public HoltWinters(int season, double phi, int maxHistory) {
        this(season, phi, maxHistory, 3 * season, GAMMAS, NAME);
    }

    /** A season of m points, fitted from minPoints of history (at least two seasons: the start needs them). */
    public HoltWinters(int season, double phi, int maxHistory, int minPoints, String name) {
        this(season, phi, maxHistory, minPoints, GAMMAS, name);
    }

    private HoltWinters(int season, double phi, int maxHistory, int minPoints, double[] gammas, String name) {
        this.m = season;
        this.phi = phi;
        this.maxHistory = maxHistory;
        this.minPoints = Math.max(minPoints, 2 * season + 1);
        this.gammas = gammas;
        this.name = name;
    }

    /** Holt's damped trend, no season. */
    public static HoltWinters holt(double phi, int maxHistory, int minPoints, String name) {
        return new HoltWinters(1, phi, maxHistory, minPoints, new double[]{0.0}, name);
    }

    @Override public String name() { return name; }

    @Override
    public double[] forecast(double[] all, LocalDate firstDay, int horizon) {
        double[] y = all.length > maxHistory ? java.util.Arrays.copyOfRange(all, all.length - maxHistory, all.length) : all;
        if (y.length < minPoints) throw new IllegalArgumentException(name + " needs at least " + minPoints + " points, got " + y.length);
        double best = Double.POSITIVE_INFINITY;
        double[] params = null;
        for (double a : ALPHAS) for (double b : BETAS) for (double g : gammas) {
            double sse = fit(y, a, b, g, null);
            if (sse < best) { best = sse; params = new double[]{a, b, g}; }
        }
        double[] state = new double[2 + m];
        fit(y, params[0], params[1], params[2], state);
        double level = state[0], trend = state[1];
        double[] f = new double[horizon];
        double damp = 0;
        int n = y.length;
        for (int h = 1; h <= horizon; h++) {
            damp += Math.pow(phi, h);
            // season of day n-1+h: its last estimate is at index (n-1+h) mod m in the state ring
            f[h - 1] = level + damp * trend + state[2 + Math.floorMod(n - 1 + h, m)];
        }
        return f;
    }

    /** Runs the recursions; returns the one-step SSE; leaves level, trend and the season ring (by t mod m) in state. */
    double fit(double[] y, double a, double b, double g, double[] state) {
        double l0 = 0, l1 = 0;
        for (int i = 0; i < m; i++) { l0 += y[i]; l1 += y[m + i]; }
        l0 /= m;
        l1 /= m;
        double level = l0, trend = (l1 - l0) / m;
        double[] s = new double[m];
        for (int i = 0; i < m; i++) s[i] = y[i] - l0;   // s[t mod m]
        double sse = 0;
        for (int t = m; t < y.length; t++) {
            int k = t % m;
            double yhat = level + phi * trend + s[k];
            double e = y[t] - yhat;
            sse += e * e;
            double prev = level;
            level = a * (y[t] - s[k]) + (1 - a) * (prev + phi * trend);
            trend = b * (level - prev) + (1 - b) * phi * trend;
            s[k] = g * (y[t] - level) + (1 - g) * s[k];
        }
        if (state != null) {
            state[0] = level;
            state[1] = trend;
            System.arraycopy(s, 0, state, 2, m);
        }
        return sse;
    }
}
