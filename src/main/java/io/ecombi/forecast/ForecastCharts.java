package io.ecombi.forecast;

import io.ecombi.chart.ChartStyle;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.text.SimpleDateFormat;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;

/** The forecast's two charts: recent actuals with the forecast and its bands; the decomposition. */
final class ForecastCharts {
    private ForecastCharts() {}

    /** Draws the chart to png; returns its alt text. currency null = a count series. */
    static String forecast(Path png, Backtest.Outcome o, List<LocalDate> days, double[] y, int weeks, String label, String currency) throws IOException {
        XYSeries actual = new XYSeries("Actual");
        int from = Math.max(0, y.length - 7 * weeks);
        for (int i = from; i < y.length; i++) actual.add(ms(days.get(i)), y[i]);
        Lines drawn = lines(actual, "Forecast: " + o.published(), days.get(y.length - 1), y[y.length - 1], o.forecast());
        NumberFormat fmt = currency == null ? ChartStyle.count() : ChartStyle.compactMoney(currency);
        XYPlot plot = new XYPlot();
        plot.setDomainAxis(dateAxis());
        plot.setRangeAxis(ChartStyle.axis(currency == null ? label : label + " (" + currency + ")", fmt));
        XYLineAndShapeRenderer lr = new XYLineAndShapeRenderer(true, false);
        lr.setSeriesPaint(0, ChartStyle.BLUE);
        lr.setSeriesStroke(0, new BasicStroke(2.5f));
        lr.setSeriesPaint(1, ChartStyle.VERMILION);
        lr.setSeriesStroke(1, ChartStyle.DASHED);
        plot.setDataset(0, drawn.lines());
        plot.setRenderer(0, lr);
        plot.setDataset(1, drawn.bands());
        plot.setRenderer(1, bandRenderer());
        plot.addDomainMarker(lastActual(days.get(y.length - 1)));
        Backtest.Score s = o.score(o.published());
        String sub = String.format(Locale.US, "Last %d weeks and the next %d days. %s; 80%% band held %.0f%% of backtest actuals (MASE %.2f vs seasonal naive)",
                weeks, o.horizon(), o.beatNaive() ? "Published: " + o.published() : "No model beat the seasonal naive: seasonal naive published",
                s.coverage80Pct(), s.mase());
        write(ChartStyle.chart(label + ": forecast", plot, sub), png);
        Backtest.Band first = o.forecast().get(0), last = o.forecast().get(o.forecast().size() - 1);
        return String.format(Locale.US, "Line chart of %s over the last %d weeks and a %d-day forecast by %s from %s to %s, with 80%% and 95%% bands; "
                + "first day forecast %s (80%% band %s to %s).", label.toLowerCase(Locale.US), weeks, o.horizon(), o.published(), first.day(), last.day(),
                fmt.format(first.forecast()), fmt.format(first.lo80()), fmt.format(first.hi80()));
    }

    static String decomposition(Path png, List<LocalDate> days, double[] all, int weeks, String label, String currency) throws IOException {
        int from = Math.max(0, all.length - 7 * weeks);
        double[] y = java.util.Arrays.copyOfRange(all, from, all.length);
        Decomposition.Parts p = Decomposition.of(y, 7);
        NumberFormat fmt = currency == null ? ChartStyle.count() : ChartStyle.compactMoney(currency);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(dateAxis());
        plot.setGap(12);
        String[] names = {"Observed", "Trend (centred 7-day average)", "Weekly seasonality", "Remainder"};
        double[][] parts = {y, p.trend(), p.season(), p.remainder()};
        Color[] colours = {ChartStyle.BLUE, ChartStyle.VERMILION, ChartStyle.GREEN, ChartStyle.GREY};
        for (int k = 0; k < 4; k++) {
            XYSeries s = new XYSeries(names[k]);
            for (int i = 0; i < y.length; i++) if (!Double.isNaN(parts[k][i])) s.add(ms(days.get(from + i)), parts[k][i]);
            XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
            r.setSeriesPaint(0, colours[k]);
            r.setSeriesStroke(0, new BasicStroke(2f));
            NumberAxis axis = ChartStyle.axis(names[k].replaceAll(" \\(.*", ""), fmt);
            axis.setAutoRangeIncludesZero(k >= 2);
            XYPlot sub = new XYPlot(new XYSeriesCollection(s), null, axis, r);
            sub.setRangeGridlinePaint(ChartStyle.GRID);
            sub.setBackgroundPaint(Color.WHITE);
            sub.setOutlineVisible(false);
            plot.add(sub, k == 0 ? 2 : 1);
        }
        String[] weekday = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
        StringBuilder season = new StringBuilder();
        for (int i = 0; i < 7 && i < y.length; i++) {
            int wd = days.get(from + i).getDayOfWeek().getValue() - 1;
            season.append(i == 0 ? "" : ", ").append(weekday[wd]).append(' ').append(fmt.format(p.season()[i]));
        }
        write(ChartStyle.chart(label + ": trend, weekly season and remainder", plot,
                "Classical additive decomposition of the last " + weeks + " weeks: observed = trend + weekly seasonality + remainder"), png);
        return "Four stacked line panels of " + label.toLowerCase(Locale.US) + " over the last " + weeks + " weeks: observed, trend, weekly seasonality ("
                + season + ") and remainder.";
    }

    /** One category's weekly units for the small multiples: its weeks (their last days), units and outcome. */
    record WeeklyPanel(String category, List<LocalDate> weekEnds, double[] units, Backtest.Outcome outcome) {}

    /**
     * Small multiples, one panel per category (its own scale), sharing the time axis: the last
     * {@code weeks} weeks of units and the forecast with both bands. Returns the alt text.
     */
    static String weeklyUnits(Path png, List<WeeklyPanel> panels, int weeks) throws IOException {
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(dateAxis());
        plot.setGap(14);
        NumberFormat fmt = ChartStyle.count();
        StringBuilder alt = new StringBuilder();
        for (WeeklyPanel p : panels) {
            Backtest.Outcome o = p.outcome();
            XYSeries actual = new XYSeries("Actual units per week");
            int from = Math.max(0, p.units().length - weeks);
            for (int i = from; i < p.units().length; i++) actual.add(ms(p.weekEnds().get(i)), p.units()[i]);
            int last = p.units().length - 1;
            Lines drawn = lines(actual, "Forecast", p.weekEnds().get(last), p.units()[last], o.forecast());
            XYLineAndShapeRenderer lr = new XYLineAndShapeRenderer(true, true);
            lr.setSeriesPaint(0, ChartStyle.BLUE);
            lr.setSeriesStroke(0, new BasicStroke(2.5f));
            lr.setSeriesShape(0, new java.awt.geom.Ellipse2D.Double(-2.5, -2.5, 5, 5));
            lr.setSeriesPaint(1, ChartStyle.VERMILION);
            lr.setSeriesStroke(1, ChartStyle.DASHED);
            lr.setSeriesShapesVisible(1, false);
            String label = p.category().length() > 28 ? p.category().substring(0, 27) + "…" : p.category();
            NumberAxis axis = ChartStyle.axis(label, fmt);
            axis.setAutoRangeIncludesZero(true);
            XYPlot sub = new XYPlot(drawn.lines(), null, axis, lr);
            sub.setDataset(1, drawn.bands());
            sub.setRenderer(1, bandRenderer());
            sub.setRangeGridlinePaint(ChartStyle.GRID);
            sub.setBackgroundPaint(Color.WHITE);
            sub.setOutlineVisible(false);
            sub.addDomainMarker(lastActual(p.weekEnds().get(last)));
            plot.add(sub, 1);
            Backtest.Band first = o.forecast().get(0);
            alt.append(String.format(Locale.US, " %s: %s units in the week to %s, next week %s by %s (80%% band %s to %s).", p.category(),
                    fmt.format(p.units()[last]), p.weekEnds().get(last), fmt.format(first.forecast()), o.published(), fmt.format(first.lo80()), fmt.format(first.hi80())));
        }
        JFreeChart chart = ChartStyle.chart("Weekly units of the top categories: forecast", plot, String.format(Locale.US,
                "Last %d weeks (a week ends on the as-of weekday) and the next %d weeks, with 80%% and 95%% bands from the backtest's errors", weeks,
                panels.isEmpty() ? 0 : panels.get(0).outcome().horizon()));
        // hide the repeated legend entries of every panel but the first
        chart.removeLegend();
        org.jfree.chart.title.LegendTitle legend = new org.jfree.chart.title.LegendTitle(plot.getSubplots().isEmpty() ? plot : plot.getSubplots().get(0));
        legend.setItemFont(ChartStyle.font(Font.PLAIN, 15));
        legend.setFrame(org.jfree.chart.block.BlockBorder.NONE);
        legend.setPosition(org.jfree.chart.ui.RectangleEdge.BOTTOM);
        chart.addSubtitle(legend);
        io.ecombi.chart.ChartWriter.write(chart, png, weeklyUnitsHeight(panels.size()));
        return "Small multiples, one line chart per category, of weekly units over the last " + weeks + " weeks and the forecast with 80% and 95% bands." + alt;
    }

    static int weeklyUnitsHeight(int panels) { return 160 + 230 * Math.max(1, panels); }

    /** The actual line and the forecast line (dataset 0), and the forecast's 95% and 80% bands (dataset 1). */
    private record Lines(XYSeriesCollection lines, YIntervalSeriesCollection bands) {}

    /** The forecast line starts at the last actual (lastDay, lastValue) so that it visibly continues the actual line. */
    private static Lines lines(XYSeries actual, String forecastName, LocalDate lastDay, double lastValue, List<Backtest.Band> forecast) {
        XYSeries fc = new XYSeries(forecastName);
        fc.add(ms(lastDay), lastValue);
        YIntervalSeries b95 = new YIntervalSeries("95% band");
        YIntervalSeries b80 = new YIntervalSeries("80% band");
        for (Backtest.Band b : forecast) {
            fc.add(ms(b.day()), b.forecast());
            b95.add(ms(b.day()), b.forecast(), b.lo95(), b.hi95());
            b80.add(ms(b.day()), b.forecast(), b.lo80(), b.hi80());
        }
        XYSeriesCollection lines = new XYSeriesCollection();
        lines.addSeries(actual);
        lines.addSeries(fc);
        YIntervalSeriesCollection bands = new YIntervalSeriesCollection();
        bands.addSeries(b95);
        bands.addSeries(b80);
        return new Lines(lines, bands);
    }

    /** The 95% band in orange, the 80% band in vermilion, both a quarter opaque. */
    private static DeviationRenderer bandRenderer() {
        DeviationRenderer dr = new DeviationRenderer(false, false);
        dr.setSeriesFillPaint(0, ChartStyle.ORANGE);
        dr.setSeriesFillPaint(1, ChartStyle.VERMILION);
        dr.setSeriesPaint(0, ChartStyle.ORANGE);
        dr.setSeriesPaint(1, ChartStyle.VERMILION);
        dr.setAlpha(0.25f);
        return dr;
    }

    /** The dashed line between the last actual and the first forecast (half a day after the last actual). */
    private static ValueMarker lastActual(LocalDate day) {
        return new ValueMarker(ms(day) + 43_200_000L, ChartStyle.GREY, ChartStyle.DASHED);
    }

    private static DateAxis dateAxis() {
        DateAxis a = new DateAxis(null);
        SimpleDateFormat f = new SimpleDateFormat("d MMM yy", Locale.US);
        f.setTimeZone(TimeZone.getTimeZone("UTC"));
        a.setDateFormatOverride(f);
        a.setTimeZone(TimeZone.getTimeZone("UTC"));
        a.setTickLabelFont(ChartStyle.font(Font.PLAIN, 13));
        return a;
    }

    private static void write(JFreeChart chart, Path file) throws IOException {
        io.ecombi.chart.ChartWriter.write(chart, file);
    }

    private static long ms(LocalDate d) {
        return d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }
}
