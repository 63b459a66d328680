package io.ecombi.forecast;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rolling-origin backtest of candidate models on one series (daily, or weekly: one point every
 * {@code periodDays} days), the choice of the published model, its bands and their measured
 * calibration. Pure: arrays in, numbers out. The first model is the benchmark (the seasonal naive of
 * the daily series, last week's value for the weekly one); MASE is measured against it.
 *
 * <ul>
 * <li>Origins: the last {@code origins} days that still leave a full horizon of actuals, one apart
 *     (56 origins x 7 days = every forecast a planner would have seen over the last 8 weeks). At
 *     origin o every model sees only y[0..o).</li>
 * <li>Closed weekdays: a weekday without a single sale in the {@code closedWeeks} weeks before the
 *     origin is closed: every model forecasts 0 for it, and those points are left out of every
 *     metric (each model would get them right for free).</li>
 * <li>MAE; MAPE over actuals that are not 0 (a percentage of 0 is undefined: those points are
 *     skipped and counted); sMAPE = mean of 2|a-f|/(|a|+|f|) where not both are 0; MASE = the
 *     model's MAE / the seasonal naive's MAE on the same points (seasonal naive = 1 by definition).</li>
 * <li>Published: the candidate with the smallest MASE if it is below 1, else the seasonal naive.</li>
 * <li>Bands: for horizon step k, the 10th/90th (80 %) and 2.5th/97.5th (95 %) percentiles of the
 *     published model's backtest errors (actual - forecast) at step k, added to its forecast.
 *     Coverage is measured leave-one-origin-out: each origin's actuals against bands built from the
 *     other origins' errors, so a band is never checked on the errors it was made of.</li>
 * </ul>
 */
public final class Backtest {
    public record Point(int origin, int step, LocalDate day, double actual, double forecast, boolean closed) {}

    public record Score(String model, int points, int zeroActualsSkipped, double mae, double mapePct, double smapePct,
                        double mase, double coverage80Pct, double coverage95Pct, String error) {
        public boolean ok() { return error == null; }
    }

    public record Band(LocalDate day, int step, double forecast, double lo80, double hi80, double lo95, double hi95, boolean closed) {}

    public record Outcome(String series, int origins, int horizon, List<Score> scores, String published, String bestCandidate,
                          boolean beatNaive, List<Band> forecast, Map<String, List<Point>> points, String benchmark) {
        public Score score(String model) {
            return scores.stream().filter(s -> s.model().equals(model)).findFirst().orElse(null);
        }
        /** Share of backtest actuals of the published model inside its 80 % band, in %. */
        public double coverage80Pct() { return score(published).coverage80Pct(); }
    }

    private final List<ForecastModel> models;
    private final int horizon;
    private final int origins;
    private final int closedWeeks;
    private final int periodDays;
    private final int minHistory;
    private final String benchmark;

    /** A daily backtest. models: the seasonal naive first (the benchmark), then the candidates. */
    public Backtest(List<ForecastModel> models, int horizon, int origins, int closedWeeks) {
        this(models, horizon, origins, closedWeeks, 1, 4 * 7);
        if (!SeasonalNaive.NAME.equals(benchmark)) throw new IllegalArgumentException("the first model must be the seasonal naive benchmark");
    }

    /**
     * models: the benchmark first, then the candidates; one point every periodDays days (7 = weekly:
     * no closed weekdays); at least minHistory points of history at every origin.
     */
    public Backtest(List<ForecastModel> models, int horizon, int origins, int closedWeeks, int periodDays, int minHistory) {
        if (models.isEmpty()) throw new IllegalArgumentException("a backtest needs its benchmark model");
        this.models = models;
        this.horizon = horizon;
        this.origins = origins;
        this.closedWeeks = closedWeeks;
        this.periodDays = periodDays;
        this.minHistory = minHistory;
        this.benchmark = models.get(0).name();
    }

    /**
     * @param y        the series, one value per period from firstDay, no gaps
     * @param trading  the number of sale orders per day (closed weekdays are read from it); null for
     *                 a weekly series (no closed days)
     */
    public Outcome run(String series, double[] y, double[] trading, LocalDate firstDay) {
        int n = y.length;
        int k = Math.min(origins, n - horizon - minHistory + 1);
        String unit = periodDays == 7 ? "weeks" : "days";
        if (k < 2) {
            throw new IllegalArgumentException("series " + series + " has " + n + " " + unit + ": the backtest needs at least "
                    + (minHistory + horizon + 1) + " (" + minHistory + " of history, a horizon of " + horizon + ", two origins)");
        }
        int firstOrigin = n - horizon - k + 1;
        Map<String, List<Point>> points = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (ForecastModel m : models) {
            List<Point> pts = new ArrayList<>();
            try {
                for (int o = firstOrigin; o <= n - horizon; o++) {
                    double[] hist = Arrays.copyOfRange(y, 0, o);
                    boolean[] closed = closed(trading, firstDay, o);
                    double[] f = m.forecast(hist, firstDay, horizon);
                    for (int h = 0; h < horizon; h++) {
                        LocalDate day = firstDay.plusDays((long) periodDays * (o + h));
                        boolean c = closed[day.getDayOfWeek().getValue()];
                        pts.add(new Point(o, h + 1, day, y[o + h], c ? 0 : f[h], c));
                    }
                }
                points.put(m.name(), pts);
            } catch (RuntimeException e) {
                errors.put(m.name(), e.getMessage());
            }
        }
        if (!points.containsKey(benchmark)) {
            throw new IllegalStateException("the benchmark " + benchmark + " failed on " + series + ": " + errors.get(benchmark));
        }
        double naiveMae = mae(points.get(benchmark));
        List<Score> scores = new ArrayList<>();
        for (ForecastModel m : models) {
            List<Point> pts = points.get(m.name());
            scores.add(pts == null ? new Score(m.name(), 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, errors.get(m.name()))
                    : score(m.name(), pts, naiveMae));
        }
        Score best = null;
        for (Score s : scores) {
            if (s.ok() && !s.model().equals(benchmark) && !Double.isNaN(s.mase()) && (best == null || s.mase() < best.mase())) best = s;
        }
        boolean beat = best != null && best.mase() < 1;
        String published = beat ? best.model() : benchmark;
        ForecastModel pm = models.stream().filter(m -> m.name().equals(published)).findFirst().orElseThrow();
        double[][] errs = errorsByStep(points.get(published));
        double[] f = pm.forecast(y, firstDay, horizon);
        boolean[] closed = closed(trading, firstDay, n);
        boolean nonNegative = Arrays.stream(y).allMatch(v -> v >= 0);
        List<Band> bands = new ArrayList<>();
        for (int h = 0; h < horizon; h++) {
            LocalDate day = firstDay.plusDays((long) periodDays * (n + h));
            if (closed[day.getDayOfWeek().getValue()]) {
                bands.add(new Band(day, h + 1, 0, 0, 0, 0, 0, true));
                continue;
            }
            double[] e = errs[h];
            double lo80 = f[h] + quantile(e, 0.10), hi80 = f[h] + quantile(e, 0.90);
            double lo95 = f[h] + quantile(e, 0.025), hi95 = f[h] + quantile(e, 0.975);
            double fc = f[h];
            if (nonNegative) { fc = Math.max(0, fc); lo80 = Math.max(0, lo80); lo95 = Math.max(0, lo95); hi80 = Math.max(0, hi80); hi95 = Math.max(0, hi95); }
            bands.add(new Band(day, h + 1, fc, lo80, hi80, lo95, hi95, false));
        }
        return new Outcome(series, k, horizon, scores, published, best == null ? null : best.model(), beat, bands, points, benchmark);
    }

    /** The closed weekdays before point 'end' of a daily series; none for a weekly one. */
    private boolean[] closed(double[] trading, LocalDate firstDay, int end) {
        return trading == null || periodDays != 1 ? new boolean[8] : closedWeekdays(trading, firstDay, end, closedWeeks);
    }

    /** Weekdays (index 1 = Monday .. 7 = Sunday) without a sale in the weeks before day index 'end'. */
    public static boolean[] closedWeekdays(double[] trading, LocalDate firstDay, int end, int weeks) {
        boolean[] closed = new boolean[8];
        int[] seen = new int[8];
        boolean[] traded = new boolean[8];
        for (int i = Math.max(0, end - 7 * weeks); i < end; i++) {
            int wd = firstDay.plusDays(i).getDayOfWeek().getValue();
            seen[wd]++;
            if (trading[i] > 0) traded[wd] = true;
        }
        for (int wd = 1; wd <= 7; wd++) closed[wd] = seen[wd] >= Math.min(weeks, 4) && !traded[wd];
        return closed;
    }

    Score score(String model, List<Point> pts, double naiveMae) {
        int used = 0, zeros = 0, ape = 0, sape = 0;
        double abs = 0, apeSum = 0, sapeSum = 0;
        for (Point p : pts) {
            if (p.closed()) continue;
            used++;
            double e = Math.abs(p.actual() - p.forecast());
            abs += e;
            if (p.actual() == 0) zeros++;
            else { apeSum += e / Math.abs(p.actual()); ape++; }
            double denom = Math.abs(p.actual()) + Math.abs(p.forecast());
            if (denom > 0) { sapeSum += 2 * e / denom; sape++; }
        }
        double mae = used == 0 ? Double.NaN : abs / used;
        double[] cov = coverage(pts);
        return new Score(model, used, zeros, mae, ape == 0 ? Double.NaN : 100 * apeSum / ape, sape == 0 ? Double.NaN : 100 * sapeSum / sape,
                naiveMae > 0 ? mae / naiveMae : Double.NaN, cov[0], cov[1], null);
    }

    static double mae(List<Point> pts) {
        double s = 0;
        int n = 0;
        for (Point p : pts) if (!p.closed()) { s += Math.abs(p.actual() - p.forecast()); n++; }
        return n == 0 ? Double.NaN : s / n;
    }

    /** Errors (actual - forecast) per horizon step, closed days left out. */
    double[][] errorsByStep(List<Point> pts) {
        List<List<Double>> by = new ArrayList<>();
        for (int h = 0; h < horizon; h++) by.add(new ArrayList<>());
        for (Point p : pts) if (!p.closed()) by.get(p.step() - 1).add(p.actual() - p.forecast());
        double[][] out = new double[horizon][];
        for (int h = 0; h < horizon; h++) out[h] = by.get(h).stream().mapToDouble(Double::doubleValue).toArray();
        return out;
    }

    /** Leave-one-origin-out coverage of the 80 % and 95 % bands, in %. */
    double[] coverage(List<Point> pts) {
        int in80 = 0, in95 = 0, n = 0;
        for (Point p : pts) {
            if (p.closed()) continue;
            List<Double> others = new ArrayList<>();
            for (Point q : pts) if (!q.closed() && q.step() == p.step() && q.origin() != p.origin()) others.add(q.actual() - q.forecast());
            if (others.size() < 2) continue;
            double[] e = others.stream().mapToDouble(Double::doubleValue).toArray();
            double err = p.actual() - p.forecast();
            n++;
            if (err >= quantile(e, 0.10) && err <= quantile(e, 0.90)) in80++;
            if (err >= quantile(e, 0.025) && err <= quantile(e, 0.975)) in95++;
        }
        return n == 0 ? new double[]{Double.NaN, Double.NaN} : new double[]{100.0 * in80 / n, 100.0 * in95 / n};
    }

    /** The p-quantile with linear interpolation between order statistics (R's type 7). */
    public static double quantile(double[] values, double p) {
        if (values.length == 0) return Double.NaN;
        double[] v = values.clone();
        Arrays.sort(v);
        double h = (v.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, v.length - 1);
        return v[lo] + (h - lo) * (v[hi] - v[lo]);
    }

}
