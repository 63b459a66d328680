package io.ecombi.chart;

import io.ecombi.Settings;
import io.ecombi.kpi.KpiTable;
import io.ecombi.run.PipelineRun;
import io.ecombi.run.Stage;
import org.apache.camel.Exchange;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Chart renderers called from the pipeline route: {@code draw(*, renderer, kpi, title, file)} draws
 * one KPI table of the run as a PNG in the run's visualizations/ folder. The route decides which
 * charts a run draws, their titles and file names.
 */
public final class Charts {
    /**
     * Draws one small chart to memory and throws it away: the first chart of a process pays for
     * Java2D's fonts and the PNG writer (about 0.9 s here), which the runtime's warm-up thread pays
     * instead while the database builds the fact layer.
     */
    public static void warmUp() {
        try {
            DefaultCategoryDataset d = new DefaultCategoryDataset();
            d.addValue(1, "warm-up", "warm-up");
            JFreeChart chart = org.jfree.chart.ChartFactory.createBarChart("warm-up", "", "", d);
            ImageIO.write(ChartWriter.draw(chart, 200, 100), "png", java.io.OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException ignored) {
            // only a head start: the real charts report their own errors
        }
    }

    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMM yy", Locale.US);

    /** One way of drawing a KPI table: the route names it; money is in the currency whose symbol is given. */
    @FunctionalInterface
    interface Renderer {
        Drawing draw(Charts charts, KpiTable t, String title, LocalDate asOf, String currency);
    }

    /** The renderers by the name a route gives; a new chart is a method and a line here. */
    private static final java.util.Map<String, Renderer> BY_NAME = java.util.Map.ofEntries(
            java.util.Map.entry("revenueTrend", (c, t, title, asOf, currency) -> c.revenueTrend(t, title, asOf, currency)),
            java.util.Map.entry("categoryMargins", (c, t, title, asOf, currency) -> c.categoryMargins(t, title, currency)),
            java.util.Map.entry("clvDistribution", (c, t, title, asOf, currency) -> c.clvDistribution(t, title, currency)),
            java.util.Map.entry("clvTiers", (c, t, title, asOf, currency) -> c.clvTiers(t, title, currency)),
            java.util.Map.entry("pareto", (c, t, title, asOf, currency) -> c.pareto(t, title, currency)),
            java.util.Map.entry("churnOverview", (c, t, title, asOf, currency) -> c.churnOverview(t, title, asOf)),
            java.util.Map.entry("rfmSegments", (c, t, title, asOf, currency) -> CustomerCharts.rfmSegments(t, title)),
            java.util.Map.entry("clvHoldout", (c, t, title, asOf, currency) -> CustomerCharts.clvHoldout(t, title)),
            java.util.Map.entry("cohortHeatmap", (c, t, title, asOf, currency) -> CustomerCharts.cohortHeatmap(t, title)),
            java.util.Map.entry("revenueRetentionHeatmap", (c, t, title, asOf, currency) -> CustomerCharts.revenueRetentionHeatmap(t, title)),
            java.util.Map.entry("retentionCurve", (c, t, title, asOf, currency) -> CustomerCharts.retentionCurve(t, title)),
            java.util.Map.entry("dailyTrend", (c, t, title, asOf, currency) -> CustomerCharts.dailyTrend(t, title, currency)),
            java.util.Map.entry("countryShare", (c, t, title, asOf, currency) -> CustomerCharts.countryShare(t, title, currency)),
            java.util.Map.entry("funnel", (c, t, title, asOf, currency) -> CustomerCharts.funnel(t, title)));

    public static final List<String> RENDERERS = BY_NAME.keySet().stream().sorted().toList();

    private final String defaultCurrency;
    private final int churnDays;
    private final int minOrders;

    public Charts(Settings settings) {
        this.defaultCurrency = settings.get("ecombi.report.currency");
        this.churnDays = settings.getInt("ecombi.churn.window-days");
        this.minOrders = settings.getInt("ecombi.churn.min-orders");
    }

    /** A chart before it is written ({@link ChartWriter} draws it wide and for a phone) and a sentence describing it. */
    record Drawing(JFreeChart chart, String altText) {}

    /** A chart of its own on the dashboard, with its table under it (the run's chart list). */
    public void draw(Exchange exchange, String renderer, String kpi, String title, String fileName) throws IOException {
        draw(exchange, renderer, kpi, title, fileName, true);
    }

    /**
     * A chart that a section's template places itself (e.g. the revenue-retention heatmap in the cohort
     * section): written to visualizations/ and put on the run by name only ({@link #resultName}), so the
     * page does not show it twice.
     */
    public void drawForSection(Exchange exchange, String renderer, String kpi, String title, String fileName) throws IOException {
        draw(exchange, renderer, kpi, title, fileName, false);
    }

    private void draw(Exchange exchange, String renderer, String kpi, String title, String fileName, boolean listed) throws IOException {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        Stage stage = run.beginStage("chart " + fileName);
        KpiTable table = run.kpi(kpi);
        if (table == null) {
            throw new IllegalStateException("chart " + fileName + " needs the KPI table '" + kpi
                    + "', which this run did not compute: put its kpi-query step before the chart in routes/run-pipeline.camel.yaml");
        }
        if (!fileName.matches("[A-Za-z0-9_.-]+\\.png")) throw new IllegalArgumentException("chart file name '" + fileName + "' must be a plain name ending in .png");
        String currency = io.ecombi.report.Formats.symbol(io.ecombi.report.Formats.currencyCode(run, defaultCurrency));
        Drawing d = render(renderer, table, title, run.asOf(), currency);
        Path file = run.dir().resolve("visualizations").resolve(fileName);
        ChartWriter.write(d.chart(), file);
        ChartFile chart = new ChartFile(file, title, kpi, d.altText());
        if (listed) run.addChart(chart);
        run.put(resultName(renderer, kpi), chart);
        run.endStage(stage, table.rowCount(), file.toString());
    }

    /** The name a drawn chart has among the run's results: "chart:" renderer ":" KPI table. */
    public static String resultName(String renderer, String kpi) {
        return "chart:" + renderer + ":" + kpi;
    }

    /** The chart in the settings' default currency (tests). */
    Drawing render(String renderer, KpiTable t, String title, LocalDate asOf) {
        return render(renderer, t, title, asOf, io.ecombi.report.Formats.symbol(defaultCurrency));
    }

    /** The chart of a KPI table, money in the currency whose symbol is given. */
    Drawing render(String renderer, KpiTable t, String title, LocalDate asOf, String currency) {
        Renderer r = BY_NAME.get(renderer);
        if (r == null) throw new IllegalArgumentException("no chart renderer '" + renderer + "' (renderers: " + RENDERERS + ")");
        try {
            return r.draw(this, t, title, asOf, currency);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException("chart renderer '" + renderer + "' cannot draw KPI table '" + t.name() + "': " + e.getMessage(), e);
        }
    }

    // ---- monthly revenue ---------------------------------------------------------------------

    /**
     * Revenue bars above, month-over-month growth below, on one month axis: two panels with an axis
     * each instead of one plot with two value axes, whose growth labels lay on the bars.
     */
    Drawing revenueTrend(KpiTable t, String title, LocalDate asOf, String currency) {
        DefaultCategoryDataset bars = new DefaultCategoryDataset();
        DefaultCategoryDataset growth = new DefaultCategoryDataset();
        boolean partial = false;
        for (int r = 0; r < t.rows().size(); r++) {
            String label = LocalDate.parse(t.value(r, "month").toString()).format(MONTH);
            if (Boolean.FALSE.equals(t.value(r, "is_complete_month"))) { label += "*"; partial = true; }
            bars.addValue(t.number(r, "gross_revenue"), "Gross revenue (before discounts)", label);
            bars.addValue(t.number(r, "net_revenue"), "Net revenue (after discounts and credit notes)", label);
            Object g = t.value(r, "mom_growth_pct");
            growth.addValue(g == null ? null : ((Number) g).doubleValue(), "Net revenue growth vs the previous month (red: a fall)", label);
        }
        CategoryPlot revenue = new CategoryPlot(bars, null, ChartStyle.axis("Revenue (" + currency + ")", ChartStyle.compactMoney(currency)), null);
        BarRenderer br = new BarRenderer();
        br.setSeriesPaint(0, ChartStyle.BLUE);
        br.setSeriesPaint(1, ChartStyle.SKY);
        br.setItemMargin(0.05);
        revenue.setRenderer(br);

        NumberAxis pct = ChartStyle.axis("Growth (%)", ChartStyle.percent());
        pct.setAutoRangeIncludesZero(true);
        pct.setUpperMargin(0.35);   // room for the labels above the highest bar and below the lowest
        pct.setLowerMargin(0.35);
        CategoryPlot change = new CategoryPlot(growth, null, pct, null);
        FittingBarRenderer gr = new FittingBarRenderer() {
            @Override
            public java.awt.Paint getItemPaint(int row, int column) {
                Number v = growth.getValue(row, column);
                return v != null && v.doubleValue() < 0 ? ChartStyle.VERMILION : ChartStyle.GREEN;
            }
        };
        gr.setSeriesPaint(0, ChartStyle.GREEN);
        gr.setMaximumBarWidth(0.04);
        gr.setDefaultItemLabelFont(ChartStyle.font(Font.BOLD, 12));
        gr.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", signedPercent("0.0")));
        gr.setCompactLabels(new StandardCategoryItemLabelGenerator("{2}", signedPercent("0")));
        // a phone's 13 narrow bars get upright labels: a taller panel with room beyond the highest rise and the deepest fall
        gr.setPhoneLayout(1.0, 5);
        change.setRenderer(gr);
        change.setRangeZeroBaselineVisible(true);
        change.setRangeZeroBaselinePaint(ChartStyle.GREY);

        CombinedDomainCategoryPlot plot = new CombinedDomainCategoryPlot(new CategoryAxis("Month"));
        plot.setGap(16);
        plot.add(revenue, 5);
        plot.add(change, 2);
        JFreeChart chart = ChartStyle.chart(title, plot, "All sales, credit notes subtracted; calendar months to " + asOf + (partial ? "; * month still in progress" : ""));
        double first = t.rows().isEmpty() ? 0 : t.number(0, "net_revenue");
        double last = t.rows().isEmpty() ? 0 : t.number(t.rows().size() - 1, "net_revenue");
        return new Drawing(chart, String.format(Locale.US,
                "Bar chart of monthly gross and net revenue over the calendar months to %s, from %s to %s, with month-over-month growth as bars below.",
                asOf, ChartStyle.compact(currency, first), ChartStyle.compact(currency, last)));
    }

    // ---- margins -----------------------------------------------------------------------------

    static final int MAX_CATEGORY_BARS = 12;
    /** Behind a marker's label: the plot's white, so lines under it do not cross the text (JFreeChart's default is grey). */
    static final Color LABEL_BACKGROUND = new Color(255, 255, 255, 230);

    private static String shownNote(int shown, int all) {
        return shown < all ? String.format(Locale.US, "; drawn: the first %d of %d categories (largest gross profit, then net revenue; all in data/category_margins.csv)", shown, all) : "";
    }

    /**
     * Horizontal bars, a category's margin under its name: a label beside a bar, not one wider than
     * the bar over its neighbour; long category names and twelve categories fit a phone too.
     */
    Drawing categoryMargins(KpiTable t, String title, String currency) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        // the table's first MAX_CATEGORY_BARS rows (largest gross profit first): more bars than that cannot be read
        int shown = Math.min(t.rows().size(), MAX_CATEGORY_BARS);
        boolean anyCost = false;
        if (t.columns().contains("gross_profit")) {
            for (int r = 0; r < t.rows().size(); r++) anyCost |= t.value(r, "gross_profit") != null;
        }
        for (int r = 0; r < shown; r++) {
            double revenue = t.number(r, "net_revenue");
            Object m = anyCost ? t.value(r, "margin_pct") : null;
            String cat = String.valueOf(t.value(r, "category"))
                    + (!anyCost ? "" : m == null ? "\nmargin n/a" : String.format(Locale.US, "\n%.1f%% margin", ((Number) m).doubleValue()));
            ds.addValue(revenue, "Net revenue", cat);
            if (anyCost) ds.addValue(t.number(r, "gross_profit"), "Gross profit", cat);
        }
        CategoryPlot plot = new CategoryPlot(ds, ChartStyle.barLabels(), ChartStyle.axis("Trailing 12 months (" + currency + ")", ChartStyle.compactMoney(currency)), null);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setRangeAxisLocation(org.jfree.chart.axis.AxisLocation.BOTTOM_OR_LEFT);
        FittingBarRenderer br = new FittingBarRenderer();
        br.setSeriesPaint(0, ChartStyle.SKY);
        br.setSeriesPaint(1, ChartStyle.GREEN);
        br.setItemMargin(0.04);
        br.setMaximumBarWidth(0.06);
        br.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", ChartStyle.compactMoney(currency)));
        plot.setRenderer(br);
        ((NumberAxis) plot.getRangeAxis()).setUpperMargin(0.12);
        ((NumberAxis) plot.getRangeAxis()).setLowerMargin(0.12);   // a negative bar (e.g. unallocated discounts) keeps room for its label
        String subtitle = (anyCost ? "Trailing 12 months; gross profit = net revenue (after discounts) − cost at order time; margin on net revenue"
                : "Trailing 12 months; net revenue only: the data has no cost, so no profit or margin")
                + shownNote(shown, t.rows().size());
        return new Drawing(ChartStyle.chart(title, plot, subtitle),
                "Bar chart of net revenue and gross profit by category, labelled with each category's margin: "
                        + String.join(", ", describeRows(t, "category", "margin_pct", "% margin")) + "." + shownNote(shown, t.rows().size()));
    }

    // ---- customer value ----------------------------------------------------------------------

    Drawing clvDistribution(KpiTable t, String title, String currency) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        int lastNonEmpty = -1;
        for (int r = 0; r < t.rows().size(); r++) if (t.number(r, "customers") > 0) lastNonEmpty = r;
        for (int r = 0; r <= lastNonEmpty; r++) {
            Object to = t.value(r, "revenue_to");
            Object from = t.value(r, "revenue_from");
            String band = from == null ? "below " + ChartStyle.compact(currency, ((Number) to).doubleValue())
                    : ChartStyle.compact(currency, ((Number) from).doubleValue()) + (to == null ? "+" : "–" + ChartStyle.compact(currency, ((Number) to).doubleValue()));
            ds.addValue(t.number(r, "customers"), "Customers", band);
        }
        CategoryPlot plot = new CategoryPlot(ds, new CategoryAxis("Customer net revenue to date (bands widen ~2.5x: log scale)"),
                ChartStyle.countAxis("Customers"), null);
        FittingBarRenderer br = new FittingBarRenderer();
        br.setSeriesPaint(0, ChartStyle.BLUE);
        br.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", ChartStyle.count()));
        br.setDefaultItemLabelFont(ChartStyle.font(Font.PLAIN, 12));
        plot.setRenderer(br);
        plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        ((NumberAxis) plot.getRangeAxis()).setUpperMargin(0.12);
        plot.setDomainGridlinesVisible(false);
        JFreeChart chart = ChartStyle.chart(title, plot, "Known customers with a sale, by their net revenue to date");
        chart.removeLegend();   // one series, named by the value axis
        return new Drawing(chart, "Histogram of customers by net revenue in log-spaced bands, from " + ds.getColumnCount() + " bands.");
    }

    /** Horizontal bars, a tier's customers under its name and its revenue and share at the bar's end. */
    Drawing clvTiers(KpiTable t, String title, String currency) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        List<String> share = new ArrayList<>();
        for (int r = 0; r < t.rows().size(); r++) {
            String tier = t.value(r, "value_tier") + "\n" + NumberFormat.getIntegerInstance(Locale.US).format(t.number(r, "customers")) + " customers";
            ds.addValue(t.number(r, "net_revenue"), "Net revenue", tier);
            share.add(String.format(Locale.US, "%.1f%%", t.number(r, "revenue_share_pct")));
        }
        CategoryPlot plot = new CategoryPlot(ds, ChartStyle.barLabels(), ChartStyle.axis("Net revenue (" + currency + ")", ChartStyle.compactMoney(currency)), null);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setRangeAxisLocation(org.jfree.chart.axis.AxisLocation.BOTTOM_OR_LEFT);
        Color[] tierColours = {ChartStyle.BLUE, ChartStyle.SKY, ChartStyle.GREEN, ChartStyle.ORANGE};
        FittingBarRenderer br = new FittingBarRenderer() {
            @Override
            public java.awt.Paint getItemPaint(int row, int column) {
                return tierColours[column % tierColours.length];
            }
        };
        br.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator() {
            @Override
            public String generateLabel(CategoryDataset d, int row, int column) {
                return ChartStyle.compact(currency, d.getValue(row, column).doubleValue()) + " · " + share.get(column) + " of net revenue";
            }
        });
        br.setCompactLabels(new StandardCategoryItemLabelGenerator() {
            @Override
            public String generateLabel(CategoryDataset d, int row, int column) {
                return ChartStyle.compact(currency, d.getValue(row, column).doubleValue()) + " · " + share.get(column);
            }
        });
        br.setMaximumBarWidth(0.16);
        plot.setRenderer(br);
        ((NumberAxis) plot.getRangeAxis()).setUpperMargin(0.12);
        JFreeChart chart = ChartStyle.chart(title, plot, "Value tiers = quartiles of known customers by net revenue; all sales to date, credit notes subtracted");
        chart.removeLegend();
        return new Drawing(chart, "Bar chart of net revenue by customer value tier: "
                + String.join(", ", describeRows(t, "value_tier", "revenue_share_pct", "% of revenue")) + ".");
    }

    // ---- Pareto ------------------------------------------------------------------------------

    /**
     * The cumulative share of revenue above, the products' revenue below, on one product axis: two
     * panels with a value axis each instead of one plot with two value axes.
     */
    Drawing pareto(KpiTable t, String title, String currency) {
        XYSeries revenue = new XYSeries("Product net revenue");
        XYSeries cumulative = new XYSeries("Cumulative share of net revenue");
        int topCut = 0;
        double topShare = 0;
        for (int r = 0; r < t.rows().size(); r++) {
            double rank = t.number(r, "revenue_rank");
            revenue.add(rank, t.number(r, "net_revenue"));
            cumulative.add(rank, t.number(r, "cumulative_share_pct"));
            if ("Top 20%".equals(t.value(r, "segment"))) { topCut = (int) rank; topShare = t.number(r, "cumulative_share_pct"); }
        }
        NumberAxis x = ChartStyle.countAxis("Products ranked by revenue");
        x.setLowerMargin(0.005);
        x.setUpperMargin(0.005);
        NumberAxis pct = ChartStyle.axis("Cumulative share (%)", ChartStyle.percent());
        pct.setRange(0, 105);
        XYLineAndShapeRenderer line = new MarkerLabelsThatFit();
        line.setSeriesPaint(0, ChartStyle.ORANGE);
        line.setSeriesStroke(0, ChartStyle.LINE);
        XYPlot share = new XYPlot(new XYSeriesCollection(cumulative), null, pct, line);
        ValueMarker eighty = new ValueMarker(80, ChartStyle.VERMILION, ChartStyle.DASHED);
        eighty.setLabel("80% of revenue");
        eighty.setLabelFont(ChartStyle.font(Font.BOLD, 13));
        eighty.setLabelPaint(ChartStyle.VERMILION);
        eighty.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
        eighty.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
        eighty.setLabelBackgroundColor(LABEL_BACKGROUND);
        share.addRangeMarker(eighty, Layer.FOREGROUND);

        XYBarRenderer bars = new XYBarRenderer(0.1);
        bars.setBarPainter(new org.jfree.chart.renderer.xy.StandardXYBarPainter());
        bars.setSeriesPaint(0, ChartStyle.BLUE);
        bars.setShadowVisible(false);
        XYPlot products = new XYPlot(new XYSeriesCollection(revenue), null, ChartStyle.axis("Revenue (" + currency + ")", ChartStyle.compactMoney(currency)), bars);

        String headline = "";
        if (topCut > 0) {
            headline = String.format(Locale.US, "top 20%% of products (%,d) = %.1f%% of revenue", topCut, topShare);
            ValueMarker cut = new ValueMarker(topCut + 0.5, ChartStyle.GREY, ChartStyle.DASHED);
            // written low in the share panel, right of the line where it fits (the curve is high there), else left of it
            cut.setLabel(headline);
            cut.setLabelFont(ChartStyle.font(Font.BOLD, 13));
            cut.setLabelPaint(ChartStyle.TEXT);
            cut.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
            cut.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
            cut.setLabelOffset(new org.jfree.chart.ui.RectangleInsets(8, 6, 8, 6));
            cut.setLabelBackgroundColor(LABEL_BACKGROUND);
            share.addDomainMarker(cut, Layer.FOREGROUND);
            products.addDomainMarker(new ValueMarker(topCut + 0.5, ChartStyle.GREY, ChartStyle.DASHED), Layer.FOREGROUND);
        }
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(x);
        plot.setGap(16);
        plot.add(share, 3);
        plot.add(products, 2);
        String subtitle = "All sales, credit notes subtracted, trailing 12 months" + (t.isComplete() ? "" : String.format(Locale.US,
                "; the %,d highest-revenue of %,d products shown", t.rows().size(), t.rowCount()));
        return new Drawing(ChartStyle.chart(title, plot, subtitle), "Pareto chart: the cumulative share of revenue with an 80% reference line, above the product revenue bars in descending order; "
                + (headline.isEmpty() ? "no products." : headline + "."));
    }

    /**
     * A line renderer whose vertical markers' labels go right of the line when they fit before the
     * plot's edge, else left of it, else are left out (at a phone's width, say); the chart's subtitle
     * or table says the same.
     */
    static final class MarkerLabelsThatFit extends XYLineAndShapeRenderer {
        MarkerLabelsThatFit() { super(true, false); }

        @Override
        public void drawDomainMarker(java.awt.Graphics2D g2, XYPlot plot, org.jfree.chart.axis.ValueAxis domainAxis,
                                     org.jfree.chart.plot.Marker marker, java.awt.geom.Rectangle2D dataArea) {
            String label = marker.getLabel();
            if (!(marker instanceof ValueMarker vm) || label == null) {
                super.drawDomainMarker(g2, plot, domainAxis, marker, dataArea);
                return;
            }
            double x = domainAxis.valueToJava2D(vm.getValue(), dataArea, plot.getDomainAxisEdge());
            org.jfree.chart.ui.RectangleInsets off = marker.getLabelOffset();
            double w = g2.getFontMetrics(marker.getLabelFont()).stringWidth(label) + off.getLeft() + off.getRight() + 4;
            RectangleAnchor anchor = marker.getLabelAnchor();
            TextAnchor text = marker.getLabelTextAnchor();
            if (x + w <= dataArea.getMaxX()) {
                marker.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
                marker.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
            } else if (x - w >= dataArea.getMinX()) {
                marker.setLabelAnchor(RectangleAnchor.BOTTOM_LEFT);
                marker.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
            } else {
                marker.setLabel(null);
            }
            try {
                super.drawDomainMarker(g2, plot, domainAxis, marker, dataArea);
            } finally {
                marker.setLabel(label);
                marker.setLabelAnchor(anchor);
                marker.setLabelTextAnchor(text);
            }
        }
    }

    // ---- churn -------------------------------------------------------------------------------

    /**
     * Four small bar panels, one measure each, sharing the customer groups: horizontal bars, the
     * groups named once a row (no rotated labels to cut), four panels a row on the wide image, two on
     * a phone ({@link PanelGrid}).
     */
    Drawing churnOverview(KpiTable t, String title, LocalDate asOf) {
        String[][] panels = {
                {"customers", "Customers", "count"},
                {"avg_days_since_last_order", "Days since last order (avg)", "number"},
                {"avg_orders", "Completed orders (avg)", "number"},
                {"avg_unresolved_tickets", "Unresolved tickets (avg)", "number"},
        };
        // the churn rate's population in colour (active = bought again, churned); the other groups in grey
        java.util.function.IntFunction<Color> colour = r -> switch (String.valueOf(t.value(r, "status"))) {
            case "active" -> ChartStyle.GREEN;
            case "churned" -> ChartStyle.VERMILION;
            default -> ChartStyle.GREY;
        };
        List<JFreeChart> charts = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        List<String> alt = new ArrayList<>();
        for (String[] p : panels) {
            DefaultCategoryDataset ds = new DefaultCategoryDataset();
            for (int r = 0; r < t.rows().size(); r++) ds.addValue(t.number(r, p[0]), "value", String.valueOf(t.value(r, "status")));
            NumberFormat fmt = p[2].equals("count") ? ChartStyle.count() : new java.text.DecimalFormat("#,##0.##", java.text.DecimalFormatSymbols.getInstance(Locale.US));
            NumberAxis values = ChartStyle.axis(null, fmt);
            values.setVisible(false);   // every bar carries its value
            values.setUpperMargin(0.05);
            CategoryPlot plot = new CategoryPlot(ds, new CategoryAxis(null), values, null);
            plot.setOrientation(PlotOrientation.HORIZONTAL);
            FittingBarRenderer br = new FittingBarRenderer() {
                @Override
                public java.awt.Paint getItemPaint(int row, int column) {
                    return colour.apply(column);
                }
            };
            br.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", fmt));
            br.setMaximumBarWidth(0.1);
            plot.setRenderer(br);
            JFreeChart panel = new JFreeChart(null, ChartStyle.font(Font.BOLD, 16), plot, false);
            ChartStyle.apply(panel);
            panel.setPadding(new org.jfree.chart.ui.RectangleInsets(4, 4, 4, 4));
            plot.setRangeGridlinesVisible(false);
            charts.add(panel);
            // all zero on data without support tickets (UCI, Superstore): say so, not a measured zero
            boolean none = p[0].contains("tickets") && java.util.stream.IntStream.range(0, t.rows().size()).allMatch(r -> !(t.number(r, p[0]) > 0));
            titles.add(none ? "Unresolved tickets: none recorded" : p[1]);
            alt.add(p[1].toLowerCase(Locale.US) + ": " + String.join(" / ", describeRows(t, "status", p[0], "")));
        }
        JFreeChart chart = new JFreeChart(title, ChartStyle.font(Font.BOLD, 26), new PanelGrid(titles, charts, 200, ChartStyle.font(Font.BOLD, 16), ChartStyle.font(Font.PLAIN, 13)), false);
        ChartStyle.apply(chart);
        TextTitle sub = new TextTitle("Window " + asOf.minusDays(churnDays) + " to " + asOf + ": churned = active at its start (" + minOrders
                + "+ orders, one in the " + churnDays + " days before) and no purchase in it; active = bought again", ChartStyle.font(Font.PLAIN, 15));
        sub.setPaint(ChartStyle.GREY.darker());
        chart.addSubtitle(0, sub);
        return new Drawing(chart, "Four bar panels comparing the customer groups (" + String.join(", ", describeRows(t, "status", "customers", ""))
                + " customers) on " + String.join("; ", alt) + ".");
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** +12.3% / -4.5% with the given digits pattern ("0.0", "0"). */
    private static NumberFormat signedPercent(String digits) {
        return new java.text.DecimalFormat("+#,##" + digits + "'%';-#,##" + digits + "'%'", java.text.DecimalFormatSymbols.getInstance(Locale.US));
    }

    private static List<String> describeRows(KpiTable t, String labelColumn, String valueColumn, String unit) {
        List<String> out = new ArrayList<>();
        for (int r = 0; r < t.rows().size(); r++) {
            Object v = t.value(r, valueColumn);
            out.add(t.value(r, labelColumn) + " " + (v == null ? "n/a" : new java.text.DecimalFormat("#,##0.#", java.text.DecimalFormatSymbols.getInstance(Locale.US)).format(v) + unit));
        }
        return out;
    }
}
