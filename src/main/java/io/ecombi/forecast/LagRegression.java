package io.ecombi.forecast;

import weka.classifiers.evaluation.NumericPrediction;
import weka.classifiers.functions.LinearRegression;
import weka.classifiers.timeseries.WekaForecaster;
import weka.core.Attribute;
import weka.core.DenseInstance;
import weka.core.Instances;
import weka.core.SelectedTag;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Lag regression with Weka's time-series package: a {@link WekaForecaster} over a linear regression
 * on the lags 1..maxLag of the series, day-of-week indicators and a linear time index (trend),
 * forecasting the horizon step by step (each forecast feeds the next step's lags). Fitted on the
 * last maxHistory days, and refitted only when the history has grown by refitDays or more since the
 * last fit (or starts elsewhere): in between, the fitted model is primed with the newer days and
 * forecasts from them. A fit takes a Weka build (about 0.1 s for a year); the rolling-origin backtest
 * asks for a forecast at every origin, so it refits weekly instead of 56 times.
 */
public final class LagRegression implements ForecastModel {
    public static final String NAME = "lag regression (Weka)";
    private final int maxLag;
    private final int maxHistory;
    private final int refitDays;
    private final int periodDays;
    private WekaForecaster fitted;
    private LocalDate fittedFirstDay;
    private int fittedLength = -1;
    private int fittedHash;

    public LagRegression(int maxLag, int maxHistory, int refitDays) {
        this(maxLag, maxHistory, refitDays, 1);
    }

    /**
     * periodDays 7: a weekly series (points one week apart from firstDay); no day-of-week indicators
     * then, and maxHistory and refitDays count points (weeks).
     */
    public LagRegression(int maxLag, int maxHistory, int refitDays, int periodDays) {
        this.maxLag = maxLag;
        this.maxHistory = maxHistory;
        this.refitDays = Math.max(1, refitDays);
        this.periodDays = periodDays;
    }

    @Override public String name() { return NAME; }

    @Override
    public synchronized double[] forecast(double[] all, LocalDate firstDay, int horizon) {
        int from = Math.max(0, all.length - maxHistory);
        int n = all.length - from;
        if (n < 3 * maxLag) throw new IllegalArgumentException("lag regression needs at least " + 3 * maxLag + (periodDays == 7 ? " weeks" : " days") + ", got " + n);
        try {
            // the same series, grown by less than refitDays since the fit: the fit is reused
            boolean reuse = fitted != null && firstDay.equals(fittedFirstDay) && all.length >= fittedLength
                    && all.length - fittedLength < refitDays && java.util.Arrays.hashCode(java.util.Arrays.copyOf(all, fittedLength)) == fittedHash;
            if (!reuse) {
                fitted = build(instances(all, firstDay, from, n));
                fittedFirstDay = firstDay;
                fittedLength = all.length;
                fittedHash = java.util.Arrays.hashCode(all);
            }
            // prime with the latest days (enough for every lag): the forecast starts after all[n-1]
            int primeFrom = Math.max(0, all.length - 3 * maxLag);
            fitted.primeForecaster(instances(all, firstDay, primeFrom, all.length - primeFrom));
            List<List<NumericPrediction>> p = fitted.forecast(horizon);
            double[] out = new double[horizon];
            for (int h = 0; h < horizon; h++) out[h] = p.get(h).get(0).predicted();
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("Weka lag regression failed: " + e.getMessage(), e);
        }
    }

    private Instances instances(double[] all, LocalDate firstDay, int from, int n) {
        ArrayList<Attribute> atts = new ArrayList<>();
        atts.add(new Attribute("date", "yyyy-MM-dd"));
        atts.add(new Attribute("y"));
        Instances data = new Instances("series", atts, n);
        LocalDate d0 = firstDay.plusDays((long) periodDays * from);
        for (int i = 0; i < n; i++) {
            double t = d0.plusDays((long) periodDays * i).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            data.add(new DenseInstance(1.0, new double[]{t, all[from + i]}));
        }
        return data;
    }

    private WekaForecaster build(Instances data) throws Exception {
        {
            WekaForecaster f = new WekaForecaster();
            f.setFieldsToForecast("y");
            LinearRegression lr = new LinearRegression();
            lr.setAttributeSelectionMethod(new SelectedTag(LinearRegression.SELECTION_NONE, LinearRegression.TAGS_SELECTION));
            lr.setRidge(1e-6);
            // colinear-attribute elimination refits the model attribute by attribute: seconds per fit, no gain here
            lr.setEliminateColinearAttributes(false);
            f.setBaseForecaster(lr);
            f.getTSLagMaker().setTimeStampField("date");
            f.getTSLagMaker().setMinLag(1);
            f.getTSLagMaker().setMaxLag(maxLag);
            f.getTSLagMaker().setAddDayOfWeek(periodDays == 1);
            // a linear time index for the trend; no time x lag products or powers of time (they only add variance)
            f.getTSLagMaker().setAdjustForTrends(true);
            f.getTSLagMaker().setIncludeTimeLagProducts(false);
            f.getTSLagMaker().setIncludePowersOfTime(false);
            f.buildForecaster(data);
            return f;
        }
    }
}
