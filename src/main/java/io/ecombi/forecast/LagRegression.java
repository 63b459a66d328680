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
 * last maxHistory days.
 */
public final class LagRegression implements ForecastModel {
    public static final String NAME = "lag regression (Weka)";
    private final int maxLag;
    private final int maxHistory;

    public LagRegression(int maxLag, int maxHistory) {
        this.maxLag = maxLag;
        this.maxHistory = maxHistory;
    }

    @Override public String name() { return NAME; }

    @Override
    public double[] forecast(double[] all, LocalDate firstDay, int horizon) {
        int from = Math.max(0, all.length - maxHistory);
        int n = all.length - from;
        if (n < 3 * maxLag) throw new IllegalArgumentException("lag regression needs at least " + 3 * maxLag + " days, got " + n);
        ArrayList<Attribute> atts = new ArrayList<>();
        atts.add(new Attribute("date", "yyyy-MM-dd"));
        atts.add(new Attribute("y"));
        Instances data = new Instances("series", atts, n);
        LocalDate d0 = firstDay.plusDays(from);
        for (int i = 0; i < n; i++) {
            double t = d0.plusDays(i).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            data.add(new DenseInstance(1.0, new double[]{t, all[from + i]}));
        }
        try {
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
            f.getTSLagMaker().setAddDayOfWeek(true);
            // a linear time index for the trend; no time x lag products or powers of time (they only add variance)
            f.getTSLagMaker().setAdjustForTrends(true);
            f.getTSLagMaker().setIncludeTimeLagProducts(false);
            f.getTSLagMaker().setIncludePowersOfTime(false);
            f.buildForecaster(data);
            f.primeForecaster(data);
            List<List<NumericPrediction>> p = f.forecast(horizon);
            double[] out = new double[horizon];
            for (int h = 0; h < horizon; h++) out[h] = p.get(h).get(0).predicted();
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("Weka lag regression failed: " + e.getMessage(), e);
        }
    }
}
