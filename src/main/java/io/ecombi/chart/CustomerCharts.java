package io.ecombi.chart;

import io.ecombi.kpi.KpiTable;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.time.Day;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.text.SimpleDateFormat;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renderers for the customer questions (RFM segments, cohorts, retention, daily trend,
 * countries), called from {@link Charts#render} by name. Each reads the KPI table's named columns.
 */
final class CustomerCharts {
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMM yyyy", Locale.US);
    private static final DateTimeFormatter WEEK = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.US);
    /** The phone's shorter cohort names ("Nov 25", "16 Oct 25"): the width they save goes to the cells' figures. */
    private static final DateTimeFormatter SHORT_MONTH = DateTimeFormatter.ofPattern("MMM yy", Locale.US);
    private static final DateTimeFormatter SHORT_WEEK = DateTimeFormatter.ofPattern("d MMM yy", Locale.US);

    private CustomerCharts() {}

    // ---- RFM: % of customers vs % of revenue per segment -------------------------------------

    static Charts.Drawing rfmSegments(KpiTable t, String title) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        List<String> alt = new ArrayList<>();
        for (int r = 0; r < t.rows().size(); r++) {
            String seg = String.valueOf(t.value(r, "segment"));
            double c = nz(t.number(r, "customers_pct")), v = nz(t.number(r, "revenue_share_pct"));
            ds.addValue(c, "% of customers", seg);
            ds.addValue(v, "% of net revenue", seg);
            alt.add(String.format(Locale.US, "%s %.1f%% of customers, %.1f%% of revenue", seg, c, v));
        }
        CategoryPlot plot = new CategoryPlot(ds, new CategoryAxis("Segment (rules: sql/kpi/rfm_segment_rules.sql)"),
                ChartStyle.axis("Share (%)", ChartStyle.percent()), null);
        FittingBarRenderer br = new FittingBarRenderer();
        br.setSeriesPaint(0, ChartStyle.SKY);
        br.setSeriesPaint(1, ChartStyle.BLUE);
        br.setItemMargin(0.04);
        br.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", percent("0.0")));
        br.setCompactLabels(new StandardCategoryItemLabelGenerator("{2}", percent("0")));
        plot.setRenderer(br);
        plot.getDomainAxis().setMaximumCategoryLabelLines(2);
        ((NumberAxis) plot.getRangeAxis()).setUpperMargin(0.12);
        JFreeChart chart = ChartStyle.chart(title, plot, "Known customers with a sale in the scoring window; revenue = their net revenue, all history");
        return new Charts.Drawing(chart,
                "Bar chart of the share of customers and the share of net revenue per RFM segment: " + String.join("; ", alt) + ".");
    }

    // ---- CLV: the hold-out check ---------------------------------------------------------------

    /**
     * The classic check of BG/NBD: per bucket of repeat purchases before the hold-out, the repeat
     * purchases per customer in the hold-out, actual beside predicted and the past-rate baseline
     * (sql/clv/clv_holdout_chart.sql).
     */
    static Charts.Drawing clvHoldout(KpiTable t, String title) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        List<String> alt = new ArrayList<>();
        for (int r = 0; r < t.rows().size(); r++) {
            String bucket = String.valueOf(t.value(r, "calibration_repeat_purchases"));
            double a = nz(t.number(r, "actual_per_customer")), p = nz(t.number(r, "predicted_per_customer")), b = nz(t.number(r, "baseline_per_customer"));
            ds.addValue(a, "Actual", bucket);
            ds.addValue(p, "Predicted (BG/NBD)", bucket);
            ds.addValue(b, "Baseline (past rate)", bucket);
            alt.add(String.format(Locale.US, "%s before: actual %.2f, predicted %.2f, baseline %.2f", bucket, a, p, b));
        }
        CategoryPlot plot = new CategoryPlot(ds, new CategoryAxis("Repeat purchases before the hold-out"),
                ChartStyle.axis("Repeat purchases per customer in the hold-out", java.text.NumberFormat.getNumberInstance(Locale.US)), null);
        FittingBarRenderer br = new FittingBarRenderer();
        br.setSeriesPaint(0, ChartStyle.BLUE);
        br.setSeriesPaint(1, ChartStyle.ORANGE);
        br.setSeriesPaint(2, ChartStyle.GREY);
        br.setItemMargin(0.04);
        plot.setRenderer(br);
        ((NumberAxis) plot.getRangeAxis()).setUpperMargin(0.12);
        JFreeChart chart = ChartStyle.chart(title, plot, "Customers who bought before the hold-out, by their repeat purchases then; figures: data/clv_holdout.csv");
        return new Charts.Drawing(chart, "Bar chart of repeat purchases per customer in the hold-out, actual, predicted and baseline, per bucket of "
                + "repeat purchases before it: " + String.join("; ", alt) + ".");
    }

    // ---- cohorts: heatmap --------------------------------------------------------------------

    /** Monthly (cohort_month, months_since) or weekly (cohort_week, weeks_since) cohorts, customer retention in %. */
    static Charts.Drawing cohortHeatmap(KpiTable t, String title) {
        return heatmap(t, title, "customer_retention_pct");
    }

    /** The same grid coloured by revenue retention: the cohort's net revenue in the period ÷ period 0, in %. */
    static Charts.Drawing revenueRetentionHeatmap(KpiTable t, String title) {
        return heatmap(t, title, "revenue_retention_pct");
    }

    private static Charts.Drawing heatmap(KpiTable t, String title, String metric) {
        Heatmap m = heatmapChart(t, title, metric);
        return new Charts.Drawing(m.chart(), m.altText());
    }

    /** The heatmap before it is drawn, so a test can read its cells and where they land. */
    record Heatmap(JFreeChart chart, String altText) {}

    static Heatmap heatmapChart(KpiTable t, String title, String metric) {
        boolean revenue = metric.equals("revenue_retention_pct");
        boolean weekly = t.columns().contains("cohort_week");
        String cohortCol = weekly ? "cohort_week" : "cohort_month", sinceCol = weekly ? "weeks_since" : "months_since";
        Map<String, Integer> cohortIndex = new LinkedHashMap<>();
        Map<String, Long> sizes = new LinkedHashMap<>();
        int maxSince = 0;
        for (int r = 0; r < t.rows().size(); r++) {
            cohortIndex.putIfAbsent(String.valueOf(t.value(r, cohortCol)), cohortIndex.size());
            sizes.putIfAbsent(String.valueOf(t.value(r, cohortCol)), (long) t.number(r, "cohort_customers"));
            maxSince = Math.max(maxSince, (int) t.number(r, sinceCol));
        }
        List<Integer> lived = new ArrayList<>();   // cells with a retention (a cohort of 0 customers has none)
        // (nor a cohort whose period-0 revenue is 0: revenue retention is undefined there)
        for (int r = 0; r < t.rows().size(); r++) if (!Double.isNaN(t.number(r, metric))) lived.add(r);
        int n = lived.size();
        double[] xs = new double[n], ys = new double[n], zs = new double[n];
        List<String> labels = new ArrayList<>(), shortLabels = new ArrayList<>();
        for (String c : cohortIndex.keySet()) {
            LocalDate d = LocalDate.parse(c);
            // "10 Aug 2026 (151)": the axis label says it is the week of the first order
            labels.add((weekly ? d.format(WEEK) : d.format(MONTH)) + String.format(Locale.US, " (%,d)", sizes.get(c)));
            shortLabels.add((weekly ? d.format(SHORT_WEEK) : d.format(SHORT_MONTH)) + String.format(Locale.US, " (%,d)", sizes.get(c)));
        }
        DefaultXYZDataset ds = new DefaultXYZDataset();
        XYPlot plot = new XYPlot();
        boolean partial = false;
        List<CellLabel> annotations = new ArrayList<>();
        CellLabel.Group cells = new CellLabel.Group();
        for (int i = 0; i < n; i++) {
            int r = lived.get(i);
            int cohort = cohortIndex.get(String.valueOf(t.value(r, cohortCol)));
            xs[i] = t.number(r, sinceCol);
            ys[i] = cohortIndex.size() - 1 - cohort;   // oldest cohort on top
            zs[i] = t.number(r, metric);
            boolean isPartial = Boolean.TRUE.equals(t.value(r, "is_partial"));
            partial |= isPartial;
            String star = isPartial ? "*" : "";
            // "47%", or "47" where a cell is too narrow for the per cent sign (the legend says %)
            // a cell still in progress keeps its "*" where no figure fits (a phone's narrow cells)
            CellLabel a = new CellLabel(cells, List.of(String.format(Locale.US, "%.0f%%%s", zs[i], star), String.format(Locale.US, "%.0f%s", zs[i], star)),
                    isPartial ? "*" : null, xs[i], ys[i]);
            a.setFont(ChartStyle.font(Font.BOLD, maxSince > 14 ? 10 : 13));
            annotations.add(a);
        }
        PaintScale scale = new RetentionScale(maxRetentionShown(xs, zs));
        for (int i = 0; i < n; i++) {   // white text on the darker half of the scale
            annotations.get(i).setPaint(zs[i] / scale.getUpperBound() > 0.55 ? Color.WHITE : ChartStyle.TEXT);
            plot.addAnnotation(annotations.get(i));
        }
        ds.addSeries(revenue ? "revenue retention" : "customer retention", new double[][]{xs, ys, zs});
        NumberAxis x = ChartStyle.axis(weekly ? "Weeks since the first order" : "Months since the first order", ChartStyle.count());
        x.setTickUnit(new NumberTickUnit(1));
        x.setRange(-0.5, maxSince + 0.5);
        SymbolAxis y = new PhoneSymbolAxis(weekly ? "Cohort: week of the first order (customers)" : "Cohort: month of the first order (customers)",
                reversed(labels), reversed(shortLabels));
        y.setRange(-0.5, Math.max(0, labels.size() - 0.5));
        y.setGridBandsVisible(false);
        y.setLabelFont(ChartStyle.font(Font.PLAIN, 15));
        y.setTickLabelFont(ChartStyle.font(Font.PLAIN, 13));
        plot.setDataset(ds);
        plot.setDomainAxis(x);
        plot.setRangeAxis(y);
        XYBlockRenderer block = new XYBlockRenderer();
        block.setPaintScale(scale);
        plot.setRenderer(block);
        JFreeChart chart = new JFreeChart(title, ChartStyle.font(Font.BOLD, 26), plot, false);
        ChartStyle.apply(chart);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        TextTitle sub = new TextTitle((revenue ? "Cohort's net revenue in the period ÷ its net revenue in " + (weekly ? "week" : "month") + " 0 (credit notes subtracted)"
                : "Share of each cohort with a completed sale in the period") + "; "
                + (weekly ? "week" : "month") + " 0 = 100 %; empty = not lived yet or no new customers" + (partial ? "; * period still in progress" : ""),
                ChartStyle.font(Font.PLAIN, 15));
        sub.setPaint(ChartStyle.GREY.darker());
        chart.addSubtitle(0, sub);
        NumberAxis legendAxis = new NumberAxis((revenue ? "Revenue retention" : "Customer retention")
                + " (%); colour scale ends at " + String.format(Locale.US, "%.0f%%", scale.getUpperBound()));
        legendAxis.setLabelFont(ChartStyle.font(Font.PLAIN, 13));
        legendAxis.setTickLabelFont(ChartStyle.font(Font.PLAIN, 12));
        legendAxis.setRange(0, scale.getUpperBound());
        PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setStripWidth(18);
        legend.setMargin(new RectangleInsets(10, 10, 10, 10));
        legend.setFrame(BlockBorder.NONE);
        chart.addSubtitle(legend);
        return new Heatmap(chart, String.format(Locale.US,
                "Heatmap of %d %s cohorts by %s since the first order, coloured by %s.",
                labels.size(), weekly ? "weekly" : "monthly", weekly ? "weeks" : "months",
                revenue ? "the cohort's net revenue in the period as a share of its first period's" : "the share of the cohort that bought again"));
    }

    /**
     * Period 0 is always 100 %: the colours spread over the later cells (at least 10 %, at most 100 %:
     * a revenue retention above 100 % takes the darkest colour, its label says how much), period 0 saturates.
     */
    private static double maxRetentionShown(double[] since, double[] zs) {
        double max = 0;
        for (int i = 0; i < zs.length; i++) if (since[i] > 0) max = Math.max(max, zs[i]);
        return Math.min(100, Math.max(10, Math.ceil(max / 5) * 5));
    }

    /** A symbol axis that writes shorter symbols in the phone layout ({@link ChartWriter#layOutForPhone} calls {@link #layOutForPhone}). */
    static final class PhoneSymbolAxis extends SymbolAxis implements ChartWriter.PhoneLayout {
        private final String[] phone;
        private boolean onPhone;

        PhoneSymbolAxis(String label, String[] symbols, String[] phone) {
            super(label, symbols);
            this.phone = phone.clone();
        }

        @Override
        public void layOutForPhone() {
            onPhone = true;
        }

        @Override
        public String valueToString(double value) {
            int i = (int) Math.round(value);
            return onPhone && i >= 0 && i < phone.length && i == value ? phone[i] : super.valueToString(value);
        }
    }

    private static String[] reversed(List<String> labels) {
        String[] out = new String[labels.size()];
        for (int i = 0; i < labels.size(); i++) out[labels.size() - 1 - i] = labels.get(i);
        return out;
    }

    /** White to dark blue, linear in retention up to upper (values above take the darkest colour). */
    static final class RetentionScale implements PaintScale, java.io.Serializable {
        private final double upper;

        RetentionScale(double upper) { this.upper = upper; }

        @Override public double getLowerBound() { return 0; }
        @Override public double getUpperBound() { return upper; }

        @Override
        public Paint getPaint(double value) {
            double f = Double.isNaN(value) ? 0 : Math.max(0, Math.min(1, value / upper));
            Color lo = new Color(0xF2, 0xF7, 0xFB), hi = new Color(0x08, 0x3D, 0x77);
            return new Color((int) Math.round(lo.getRed() + f * (hi.getRed() - lo.getRed())),
                    (int) Math.round(lo.getGreen() + f * (hi.getGreen() - lo.getGreen())),
                    (int) Math.round(lo.getBlue() + f * (hi.getBlue() - lo.getBlue())));
        }
    }

    // ---- average retention curve (cohort_retention_curve, from cohort_monthly) ---------------

    static Charts.Drawing retentionCurve(KpiTable t, String title) {
        XYSeries customers = new XYSeries("Customers buying again (% of cohort)");
        XYSeries revenue = new XYSeries("Revenue retention (% of month-0 revenue)");
        int maxK = 0;
        for (int r = 0; r < t.rows().size(); r++) {
            int k = (int) t.number(r, "months_since");
            double c = t.number(r, "avg_customer_retention_pct"), v = t.number(r, "avg_revenue_retention_pct");
            if (!Double.isNaN(c)) customers.add(k, c);
            if (!Double.isNaN(v)) revenue.add(k, v);
            maxK = Math.max(maxK, k);
        }
        NumberAxis x = ChartStyle.axis("Months since the first order", ChartStyle.count());
        x.setTickUnit(new NumberTickUnit(1));
        x.setRange(-0.5, maxK + 0.5);   // half a month each side: room for the first and last labels
        NumberAxis y = ChartStyle.axis("% of month 0", ChartStyle.percent());
        XYSeriesCollection ds = new XYSeriesCollection(customers);
        ds.addSeries(revenue);
        XYPlot plot = new XYPlot(ds, x, y, null);
        XYLineAndShapeRenderer line = new PointLabels();
        line.setSeriesPaint(0, ChartStyle.BLUE);
        line.setSeriesPaint(1, ChartStyle.ORANGE);
        line.setSeriesStroke(0, ChartStyle.LINE);
        line.setSeriesStroke(1, ChartStyle.LINE);
        line.setDefaultItemLabelsVisible(true);
        line.setDefaultItemLabelFont(ChartStyle.font(Font.BOLD, 12));
        line.setDefaultItemLabelGenerator((d, s, i) -> String.format(Locale.US, "%.0f%%", d.getYValue(s, i)));
        line.setSeriesItemLabelPaint(0, ChartStyle.BLUE);
        line.setSeriesItemLabelPaint(1, ChartStyle.ORANGE.darker());
        plot.setRenderer(line);
        y.setUpperMargin(0.1);
        y.setLowerMargin(0.1);
        JFreeChart chart = ChartStyle.chart(title, plot, "Average over the monthly cohorts whose month k is complete, weighted by cohort size (customers) and month-0 revenue (revenue)");
        String at1 = customers.getItemCount() > 1 ? String.format(Locale.US, "%.1f%% of a cohort buys again in month 1", customers.getY(1).doubleValue()) : "no month 1 yet";
        return new Charts.Drawing(chart,
                "Line chart of the average cohort retention by months since the first order: " + at1 + ".");
    }

    // ---- daily trend ------------------------------------------------------------------------

    static Charts.Drawing dailyTrend(KpiTable t, String title, String currency) {
        TimeSeries daily = new TimeSeries("Daily net revenue");
        TimeSeries ma = new TimeSeries("7-day moving average");
        for (int r = 0; r < t.rows().size(); r++) {
            LocalDate d = LocalDate.parse(t.value(r, "day").toString());
            Day day = new Day(d.getDayOfMonth(), d.getMonthValue(), d.getYear());
            daily.add(day, t.number(r, "net_revenue"));
            double m = t.number(r, "net_revenue_ma7");
            if (!Double.isNaN(m)) ma.add(day, m);
        }
        DateAxis x = new DateAxis("Day");
        x.setDateFormatOverride(new SimpleDateFormat("MMM yy", Locale.US));
        x.setLabelFont(ChartStyle.font(Font.PLAIN, 15));
        x.setTickLabelFont(ChartStyle.font(Font.PLAIN, 13));
        XYPlot plot = new XYPlot(new TimeSeriesCollection(daily), x, ChartStyle.axis("Net revenue per day (" + currency + ")", ChartStyle.compactMoney(currency)), null);
        XYBarRenderer bars = new XYBarRenderer(0.15);
        bars.setSeriesPaint(0, new Color(0x56, 0xB4, 0xE9, 150));
        bars.setShadowVisible(false);
        plot.setRenderer(0, bars);
        plot.setDataset(1, new TimeSeriesCollection(ma));
        XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
        line.setSeriesPaint(0, ChartStyle.VERMILION);
        line.setSeriesStroke(0, ChartStyle.LINE);
        plot.setRenderer(1, line);
        plot.setDatasetRenderingOrder(org.jfree.chart.plot.DatasetRenderingOrder.FORWARD);
        JFreeChart chart = ChartStyle.chart(title, plot, "Trailing 12 months; every sale, credit notes subtracted on their own date; days without sales are 0");
        return new Charts.Drawing(chart,
                "Daily net revenue as bars over " + t.rows().size() + " days with its 7-day moving average as a line.");
    }

    // ---- countries ---------------------------------------------------------------------------

    static Charts.Drawing countryShare(KpiTable t, String title, String currency) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        List<String> alt = new ArrayList<>();
        for (int r = 0; r < t.rows().size(); r++) {
            String c = String.valueOf(t.value(r, "country"));
            ds.addValue(t.number(r, "revenue_share_pct"), "Share of net revenue", c);
            alt.add(String.format(Locale.US, "%s %.1f%%", c, nz(t.number(r, "revenue_share_pct"))));
        }
        CategoryPlot plot = new CategoryPlot(ds, ChartStyle.barLabels(), ChartStyle.axis("Share of net revenue (%)", ChartStyle.percent()), null);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        FittingBarRenderer br = new FittingBarRenderer();
        br.setSeriesPaint(0, ChartStyle.BLUE);
        br.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", percent("0.0")));
        br.setMaximumBarWidth(0.08);
        plot.setRenderer(br);
        ((NumberAxis) plot.getRangeAxis()).setUpperMargin(0.12);
        JFreeChart chart = ChartStyle.chart(title, plot, "Trailing 12 months; every sale (also without a known customer), credit notes subtracted; country of the order, else the customer's");
        chart.removeLegend();
        return new Charts.Drawing(chart,
                "Horizontal bar chart of the share of net revenue by country: " + String.join(", ", alt) + ".");
    }

    // ---- the funnel (issue 35) ----------------------------------------------------------------

    /**
     * The funnel's steps (funnel_steps, rows 1-4) as horizontal bars of sessions, each labelled with its count (the shares
     * are in the table under it and the alt text); the row of purchases without a view is not a step and is left out (the section says it).
     */
    static Charts.Drawing funnel(KpiTable t, String title) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        List<String> alt = new ArrayList<>();
        for (int r = 0; r < t.rows().size(); r++) {
            if (t.number(r, "step_order") > 4) continue;
            String step = String.valueOf(t.value(r, "step"));
            double n = t.number(r, "sessions"), share = t.number(r, "overall_conversion_pct");
            ds.addValue(n, "Sessions", step);
            alt.add(String.format(Locale.US, "%s %,.0f (%.1f%% of sessions)", step, n, share));
        }
        CategoryPlot plot = new CategoryPlot(ds, ChartStyle.barLabels(), ChartStyle.axis("Sessions", ChartStyle.count()), null);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        FittingBarRenderer br = new FittingBarRenderer();
        br.setSeriesPaint(0, ChartStyle.BLUE);
        br.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", ChartStyle.count()));
        br.setMaximumBarWidth(0.12);
        plot.setRenderer(br);
        ((NumberAxis) plot.getRangeAxis()).setUpperMargin(0.15);
        JFreeChart chart = ChartStyle.chart(title, plot, "Visits (web sessions) that began in the trailing 12 months; a step counts only after the steps before it in the same visit");
        chart.removeLegend();
        return new Charts.Drawing(chart, "Horizontal bar chart of the conversion funnel: " + String.join(", ", alt) + ".");
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** 12.3% with the given digits pattern ("0.0", "0"). */
    private static java.text.NumberFormat percent(String digits) {
        return new java.text.DecimalFormat(digits + "'%'", java.text.DecimalFormatSymbols.getInstance(Locale.US));
    }

    /**
     * Point labels that can be read: each is put at the first of a few places around its point (the
     * higher line's above first, the lower line's below first; then beside, then diagonally) where it
     * stays inside the plot and touches no line, no point and no label already written; a label with
     * no such place is left out (the chart's table has every figure).
     */
    static final class PointLabels extends XYLineAndShapeRenderer {
        private static final double GAP = 6, POINT = 3;   // the gap to the point; half a point marker (6 x 6)
        private transient java.awt.geom.Rectangle2D dataArea;
        private transient org.jfree.data.xy.XYDataset dataset;
        private transient XYPlot plot;
        private transient List<java.awt.geom.Rectangle2D> placed = new ArrayList<>();

        PointLabels() { super(true, true); }

        @Override
        public org.jfree.chart.renderer.xy.XYItemRendererState initialise(java.awt.Graphics2D g2, java.awt.geom.Rectangle2D dataArea, XYPlot plot,
                                                                       org.jfree.data.xy.XYDataset data, org.jfree.chart.plot.PlotRenderingInfo info) {
            placed = new ArrayList<>();   // a new drawing
            this.dataArea = dataArea;
            this.dataset = data;
            this.plot = plot;
            return super.initialise(g2, dataArea, plot, data, info);
        }

        private double px(int series, int item) {
            return plot.getRangeAxis().valueToJava2D(dataset.getYValue(series, item), dataArea, plot.getRangeAxisEdge());
        }

        private double pxX(int series, int item) {
            return plot.getDomainAxis().valueToJava2D(dataset.getXValue(series, item), dataArea, plot.getDomainAxisEdge());
        }

        /** The item of another series at the same x, as {series, item}, or null. */
        private int[] other(int series, int item) {
            double x = dataset.getXValue(series, item);
            for (int s = 0; s < dataset.getSeriesCount(); s++) {
                if (s == series) continue;
                for (int i = 0; i < dataset.getItemCount(s); i++) if (dataset.getXValue(s, i) == x) return new int[]{s, i};
            }
            return null;
        }

        @Override
        protected void drawItemLabel(java.awt.Graphics2D g2, PlotOrientation orientation, org.jfree.data.xy.XYDataset data, int series, int item,
                                     double x, double y, boolean negative) {
            org.jfree.chart.labels.XYItemLabelGenerator gen = getItemLabelGenerator(series, item);
            if (gen == null || dataArea == null) return;
            String label = gen.generateLabel(data, series, item);
            if (label == null || label.isEmpty()) return;
            g2.setFont(getItemLabelFont(series, item));
            java.awt.FontMetrics fm = g2.getFontMetrics();
            double w = fm.stringWidth(label), h = fm.getAscent() + fm.getDescent();
            int[] o = other(series, item);
            double py = px(series, item);
            boolean upFirst = o == null || py < px(o[0], o[1]) || (py == px(o[0], o[1]) && series > o[0]);
            double above = y - GAP - h, below = y + GAP, left = x - GAP - w, right = x + GAP, centre = x - w / 2, mid = y - h / 2;
            double[][] places = upFirst
                    ? new double[][]{{centre, above}, {centre, below}, {right, mid}, {left, mid}, {right, above}, {left, above}, {right, below}, {left, below}}
                    : new double[][]{{centre, below}, {centre, above}, {right, mid}, {left, mid}, {right, below}, {left, below}, {right, above}, {left, above}};
            for (double[] p : places) {
                java.awt.geom.Rectangle2D box = new java.awt.geom.Rectangle2D.Double(p[0], p[1], w, h);
                if (free(box)) {
                    placed.add(box);
                    g2.setPaint(getItemLabelPaint(series, item));
                    TextUtils.drawAlignedString(label, g2, (float) p[0], (float) p[1], TextAnchor.TOP_LEFT);
                    return;
                }
            }
        }

        /** Whether a label's box lies inside the plot and off every line, point and label written. */
        private boolean free(java.awt.geom.Rectangle2D box) {
            java.awt.geom.Rectangle2D inner = new java.awt.geom.Rectangle2D.Double(dataArea.getX() + 1, dataArea.getY() + 1, dataArea.getWidth() - 2, dataArea.getHeight() - 2);
            if (!inner.contains(box)) return false;
            java.awt.geom.Rectangle2D near = new java.awt.geom.Rectangle2D.Double(box.getX() - 2, box.getY() - 2, box.getWidth() + 4, box.getHeight() + 4);
            for (java.awt.geom.Rectangle2D b : placed) if (near.intersects(b)) return false;
            for (int s = 0; s < dataset.getSeriesCount(); s++) {
                double lx = Double.NaN, ly = Double.NaN;
                for (int i = 0; i < dataset.getItemCount(s); i++) {
                    if (Double.isNaN(dataset.getYValue(s, i))) { lx = Double.NaN; continue; }
                    double cx = pxX(s, i), cy = px(s, i);
                    if (near.intersects(cx - POINT, cy - POINT, 2 * POINT, 2 * POINT)) return false;
                    if (!Double.isNaN(lx) && near.intersectsLine(lx, ly, cx, cy)) return false;
                    lx = cx;
                    ly = cy;
                }
            }
            return true;
        }
    }

    private static double nz(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}
