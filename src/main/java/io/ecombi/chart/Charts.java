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
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
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
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
            ImageIO.write(chart.createBufferedImage(200, 100), "png", java.io.OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException ignored) {
            // only a head start: the real charts report their own errors
        }
    }

    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMM yy", Locale.US);
    public static final List<String> RENDERERS = List.of("revenueTrend", "categoryMargins", "clvDistribution", "clvTiers", "pareto", "churnOverview",
            "rfmSegments", "cohortHeatmap", "revenueRetentionHeatmap", "retentionCurve", "dailyTrend", "countryShare");

    private final String defaultCurrency;
    private String currency;   // the run's currency symbol, set before each drawing (charts are drawn one at a time)
    private final int churnDays;
    private final int minOrders;

    public Charts(Settings settings) {
        this.defaultCurrency = settings.get("ecombi.report.currency", "USD");
        this.churnDays = settings.getInt("ecombi.churn.window-days", 90);
        this.minOrders = settings.getInt("ecombi.churn.min-orders", 2);
    }

    /** A drawn chart, before it is written: the image and a sentence describing it. */
    record Drawing(BufferedImage image, String altText) {}

    /** A chart of its own on the dashboard, with its table under it (the run's chart list). */
    public void draw(Exchange exchange, String renderer, String kpi, String title, String fileName) throws IOException {
        draw(exchange, renderer, kpi, title, fileName, true);
    }

    /**
     * A chart that a section's fragment places itself (e.g. the revenue-retention heatmap in the cohort
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
        Drawing d;
        synchronized (this) {
            currency = io.ecombi.report.Formats.symbol(io.ecombi.report.Formats.currencyCode(run, defaultCurrency));
            d = render(renderer, table, title, run.asOf());
        }
        Path file = run.dir().resolve("visualizations").resolve(fileName);
        write(d.image(), file);
        ChartFile chart = new ChartFile(file, title, kpi, d.altText());
        if (listed) run.addChart(chart);
        run.put(resultName(renderer, kpi), chart);
        run.endStage(stage, table.rowCount(), file.toString());
    }

    /** The name a drawn chart has among the run's results: "chart:" renderer ":" KPI table. */
    public static String resultName(String renderer, String kpi) {
        return "chart:" + renderer + ":" + kpi;
    }

    Drawing render(String renderer, KpiTable t, String title, LocalDate asOf) {
        try {
            return switch (renderer) {
                case "revenueTrend" -> revenueTrend(t, title, asOf);
                case "categoryMargins" -> categoryMargins(t, title);
                case "clvDistribution" -> clvDistribution(t, title);
                case "clvTiers" -> clvTiers(t, title);
                case "pareto" -> pareto(t, title);
                case "churnOverview" -> churnOverview(t, title, asOf);
                // issue 12's renderers: chart/CustomerCharts
                case "rfmSegments" -> CustomerCharts.rfmSegments(t, title);
                case "cohortHeatmap" -> CustomerCharts.cohortHeatmap(t, title);
                case "revenueRetentionHeatmap" -> CustomerCharts.revenueRetentionHeatmap(t, title);
                case "retentionCurve" -> CustomerCharts.retentionCurve(t, title);
                case "dailyTrend" -> CustomerCharts.dailyTrend(t, title, currency);
                case "countryShare" -> CustomerCharts.countryShare(t, title, currency);
                default -> throw new IllegalArgumentException("no chart renderer '" + renderer + "' (renderers: " + RENDERERS + ")");
            };
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException("chart renderer '" + renderer + "' cannot draw KPI table '" + t.name() + "': " + e.getMessage(), e);
        }
    }

    static void write(BufferedImage image, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("." + file.getFileName() + ".part");
        ImageIO.write(image, "png", tmp.toFile());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    // ---- monthly revenue ---------------------------------------------------------------------

    Drawing revenueTrend(KpiTable t, String title, LocalDate asOf) {
        DefaultCategoryDataset bars = new DefaultCategoryDataset();
        DefaultCategoryDataset growth = new DefaultCategoryDataset();
        boolean partial = false;
        for (int r = 0; r < t.rows().size(); r++) {
            String label = LocalDate.parse(t.value(r, "month").toString()).format(MONTH);
            if (Boolean.FALSE.equals(t.value(r, "is_complete_month"))) { label += "*"; partial = true; }
            bars.addValue(t.number(r, "gross_revenue"), "Gross revenue (before discounts)", label);
            bars.addValue(t.number(r, "net_revenue"), "Net revenue (after discounts and credit notes)", label);
            Object g = t.value(r, "mom_growth_pct");
            growth.addValue(g == null ? null : ((Number) g).doubleValue(), "Month-over-month net revenue growth", label);
        }
        CategoryPlot plot = new CategoryPlot(bars, new CategoryAxis("Month"), ChartStyle.axis("Revenue (" + currency + ")", ChartStyle.compactMoney(currency)), null);
        BarRenderer br = new BarRenderer();
        br.setSeriesPaint(0, ChartStyle.BLUE);
        br.setSeriesPaint(1, ChartStyle.SKY);
        br.setItemMargin(0.05);
        plot.setRenderer(0, br);
        NumberAxis pct = ChartStyle.axis("Growth vs previous month (%)", ChartStyle.percent());
        pct.setAutoRangeIncludesZero(true);
        plot.setRangeAxis(1, pct);
        plot.setDataset(1, growth);
        plot.mapDatasetToRangeAxis(1, 1);
        LineAndShapeRenderer lr = new LineAndShapeRenderer(true, true);
        lr.setSeriesPaint(0, ChartStyle.ORANGE);
        lr.setSeriesStroke(0, ChartStyle.LINE);
        lr.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", signedPercent()));
        lr.setDefaultItemLabelsVisible(true);
        lr.setDefaultItemLabelFont(ChartStyle.font(Font.BOLD, 12));
        lr.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
        lr.setDefaultNegativeItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE6, TextAnchor.TOP_CENTER));
        plot.setRenderer(1, lr);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        plot.addRangeMarker(1, new ValueMarker(0, ChartStyle.GREY, ChartStyle.DASHED), Layer.FOREGROUND);
        JFreeChart chart = chart(title, plot, "All sales, credit notes subtracted; calendar months to " + asOf + (partial ? "; * month still in progress" : ""));
        double first = t.rows().isEmpty() ? 0 : t.number(0, "net_revenue");
        double last = t.rows().isEmpty() ? 0 : t.number(t.rows().size() - 1, "net_revenue");
        return new Drawing(image(chart), String.format(Locale.US,
                "Bar chart of monthly gross and net revenue over the calendar months to %s, from %s to %s, with month-over-month growth as a line.",
                asOf, ChartStyle.compact(currency, first), ChartStyle.compact(currency, last)));
    }

    // ---- margins -----------------------------------------------------------------------------

    static final int MAX_CATEGORY_BARS = 12;

    private static String shownNote(int shown, int all) {
        return shown < all ? String.format(Locale.US, "; drawn: the first %d of %d categories (largest gross profit, then net revenue; all in data/category_margins.csv)", shown, all) : "";
    }

    Drawing categoryMargins(KpiTable t, String title) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        List<String> labels = new ArrayList<>();
        // the table's first MAX_CATEGORY_BARS rows (largest gross profit first): more bars than that cannot be read
        int shown = Math.min(t.rows().size(), MAX_CATEGORY_BARS);
        boolean anyCost = false;
        if (t.columns().contains("gross_profit")) {
            for (int r = 0; r < t.rows().size(); r++) anyCost |= t.value(r, "gross_profit") != null;
        }
        for (int r = 0; r < shown; r++) {
            String cat = String.valueOf(t.value(r, "category"));
            ds.addValue(t.number(r, "net_revenue"), "Net revenue", cat);
            if (anyCost) ds.addValue(t.number(r, "gross_profit"), "Gross profit", cat);
            Object m = t.value(r, "margin_pct");
            labels.add(m == null ? "margin n/a" : String.format(Locale.US, "%.1f%% margin", ((Number) m).doubleValue()));
        }
        CategoryPlot plot = new CategoryPlot(ds, new CategoryAxis("Category"), ChartStyle.axis(currency + " (trailing 12 months)", ChartStyle.compactMoney(currency)), null);
        BarRenderer br = new BarRenderer();
        br.setSeriesPaint(0, ChartStyle.SKY);
        br.setSeriesPaint(1, ChartStyle.GREEN);
        br.setItemMargin(0.04);
        br.setDefaultItemLabelsVisible(true);
        br.setDefaultItemLabelFont(ChartStyle.font(Font.BOLD, 13));
        boolean anyCostFinal = anyCost;
        br.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator() {
            @Override
            public String generateLabel(CategoryDataset d, int row, int column) {
                String money = ChartStyle.compact(currency, d.getValue(row, column).doubleValue());
                return row == 1 || !anyCostFinal ? money + " · " + labels.get(column) : money;
            }
        });
        br.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
        plot.setRenderer(br);
        ((NumberAxis) plot.getRangeAxis()).setUpperMargin(0.15);
        String subtitle = (anyCost ? "Trailing 12 months; gross profit = net revenue (after discounts) − cost at order time; margin on net revenue"
                : "Trailing 12 months; net revenue only: the data has no cost, so no profit or margin")
                + shownNote(shown, t.rows().size());
        return new Drawing(image(chart(title, plot, subtitle)),
                "Bar chart of net revenue and gross profit by category, labelled with each category's margin: "
                        + String.join(", ", describeRows(t, "category", "margin_pct", "% margin")) + "." + shownNote(shown, t.rows().size()));
    }

    // ---- customer value ----------------------------------------------------------------------

    Drawing clvDistribution(KpiTable t, String title) {
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
                ChartStyle.axis("Customers", ChartStyle.count()), null);
        BarRenderer br = new BarRenderer();
        br.setSeriesPaint(0, ChartStyle.BLUE);
        br.setDefaultItemLabelsVisible(true);
        br.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", ChartStyle.count()));
        br.setDefaultItemLabelFont(ChartStyle.font(Font.PLAIN, 12));
        br.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
        plot.setRenderer(br);
        plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        ((NumberAxis) plot.getRangeAxis()).setUpperMargin(0.12);
        plot.setDomainGridlinesVisible(false);
        return new Drawing(image(chart(title, plot, "Known customers with a sale, by their net revenue to date")),
                "Histogram of customers by net revenue in log-spaced bands, from " + ds.getColumnCount() + " bands.");
    }

    Drawing clvTiers(KpiTable t, String title) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        List<String> share = new ArrayList<>();
        for (int r = 0; r < t.rows().size(); r++) {
            String tier = t.value(r, "value_tier") + " (" + NumberFormat.getIntegerInstance(Locale.US).format(t.number(r, "customers")) + " customers)";
            ds.addValue(t.number(r, "net_revenue"), "Net revenue", tier);
            share.add(String.format(Locale.US, "%.1f%% of net revenue", t.number(r, "revenue_share_pct")));
        }
        CategoryPlot plot = new CategoryPlot(ds, new CategoryAxis("Value tier (quartiles of customers by net revenue)"),
                ChartStyle.axis("Net revenue (" + currency + ")", ChartStyle.compactMoney(currency)), null);
        BarRenderer br = new BarRenderer() {
            private final Color[] tierColours = {ChartStyle.BLUE, ChartStyle.SKY, ChartStyle.GREEN, ChartStyle.ORANGE};
            @Override
            public java.awt.Paint getItemPaint(int row, int column) {
                return tierColours[column % tierColours.length];
            }
        };
        br.setDefaultItemLabelsVisible(true);
        br.setDefaultItemLabelFont(ChartStyle.font(Font.BOLD, 13));
        br.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator() {
            @Override
            public String generateLabel(CategoryDataset d, int row, int column) {
                return ChartStyle.compact(currency, d.getValue(row, column).doubleValue()) + " · " + share.get(column);
            }
        });
        br.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
        br.setMaximumBarWidth(0.18);
        plot.setRenderer(br);
        ((NumberAxis) plot.getRangeAxis()).setUpperMargin(0.12);
        JFreeChart chart = chart(title, plot, "Known customers, all sales to date, credit notes subtracted");
        chart.removeLegend();
        return new Drawing(image(chart), "Bar chart of net revenue by customer value tier: "
                + String.join(", ", describeRows(t, "value_tier", "revenue_share_pct", "% of revenue")) + ".");
    }

    // ---- Pareto ------------------------------------------------------------------------------

    Drawing pareto(KpiTable t, String title) {
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
        NumberAxis x = ChartStyle.axis("Products ranked by revenue", ChartStyle.count());
        x.setLowerMargin(0.005);
        x.setUpperMargin(0.005);
        XYPlot plot = new XYPlot(new XYSeriesCollection(revenue), x, ChartStyle.axis("Revenue per product (" + currency + ")", ChartStyle.compactMoney(currency)), null);
        XYBarRenderer bars = new XYBarRenderer(0.1);
        bars.setBarPainter(new org.jfree.chart.renderer.xy.StandardXYBarPainter());
        bars.setSeriesPaint(0, ChartStyle.BLUE);
        bars.setShadowVisible(false);
        plot.setRenderer(0, bars);
        NumberAxis pct = ChartStyle.axis("Cumulative share of revenue (%)", ChartStyle.percent());
        pct.setRange(0, 105);
        plot.setRangeAxis(1, pct);
        plot.setDataset(1, new XYSeriesCollection(cumulative));
        plot.mapDatasetToRangeAxis(1, 1);
        XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
        line.setSeriesPaint(0, ChartStyle.ORANGE);
        line.setSeriesStroke(0, ChartStyle.LINE);
        plot.setRenderer(1, line);
        ValueMarker eighty = new ValueMarker(80, ChartStyle.VERMILION, ChartStyle.DASHED);
        eighty.setLabel("80% of revenue");
        eighty.setLabelFont(ChartStyle.font(Font.BOLD, 13));
        eighty.setLabelPaint(ChartStyle.VERMILION);
        eighty.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
        eighty.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
        plot.addRangeMarker(1, eighty, Layer.FOREGROUND);
        String headline = "";
        if (topCut > 0) {
            ValueMarker cut = new ValueMarker(topCut + 0.5, ChartStyle.GREY, ChartStyle.DASHED);
            headline = String.format(Locale.US, "top 20%% of products (%,d) = %.1f%% of revenue", topCut, topShare);
            cut.setLabel(headline);
            cut.setLabelFont(ChartStyle.font(Font.BOLD, 13));
            cut.setLabelAnchor(RectangleAnchor.CENTER);
            cut.setLabelTextAnchor(TextAnchor.CENTER_LEFT);
            plot.addDomainMarker(cut, Layer.FOREGROUND);
        }
        String subtitle = "All sales, credit notes subtracted, trailing 12 months" + (t.isComplete() ? "" : String.format(Locale.US,
                "; the %,d highest-revenue of %,d products shown", t.rows().size(), t.rowCount()));
        return new Drawing(image(chart(title, plot, subtitle)), "Pareto chart: product revenue bars in descending order with the cumulative share line and an 80% reference line; "
                + (headline.isEmpty() ? "no products." : headline + "."));
    }

    // ---- churn -------------------------------------------------------------------------------

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
        BufferedImage img = new BufferedImage(ChartStyle.WIDTH, ChartStyle.HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, ChartStyle.WIDTH, ChartStyle.HEIGHT);
        g.setColor(ChartStyle.TEXT);
        g.setFont(ChartStyle.font(Font.BOLD, 26));
        g.drawString(title, 24, 42);
        g.setFont(ChartStyle.font(Font.PLAIN, 15));
        g.setColor(ChartStyle.GREY.darker());
        g.drawString("Window " + asOf.minusDays(churnDays) + " to " + asOf + ": churned = active at its start (" + minOrders + "+ orders, one in the "
                + churnDays + " days before) and no purchase in it; active = bought again", 24, 68);
        int top = 84, w = ChartStyle.WIDTH / 4, h = ChartStyle.HEIGHT - top;
        List<String> alt = new ArrayList<>();
        for (int p = 0; p < panels.length; p++) {
            DefaultCategoryDataset ds = new DefaultCategoryDataset();
            for (int r = 0; r < t.rows().size(); r++) ds.addValue(t.number(r, panels[p][0]), "value", String.valueOf(t.value(r, "status")));
            NumberFormat fmt = panels[p][2].equals("count") ? ChartStyle.count() : new java.text.DecimalFormat("#,##0.##");
            CategoryPlot plot = new CategoryPlot(ds, new CategoryAxis(null), ChartStyle.axis(null, fmt), null);
            BarRenderer br = new BarRenderer() {
                @Override
                public java.awt.Paint getItemPaint(int row, int column) {
                    return colour.apply(column);
                }
            };
            br.setDefaultItemLabelsVisible(true);
            br.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", fmt));
            br.setDefaultItemLabelFont(ChartStyle.font(Font.BOLD, 13));
            br.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
            br.setMaximumBarWidth(0.25);
            plot.setRenderer(br);
            ((NumberAxis) plot.getRangeAxis()).setUpperMargin(0.15);
            plot.getDomainAxis().setTickLabelFont(ChartStyle.font(Font.PLAIN, 13));
            plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
            plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(6f);
            JFreeChart panel = new JFreeChart(panels[p][1], ChartStyle.font(Font.BOLD, 16), plot, false);
            ChartStyle.apply(panel);
            panel.draw(g, new Rectangle2D.Double(p * w, top, w, h));
            alt.add(panels[p][1].toLowerCase(Locale.US) + ": " + String.join(" / ", describeRows(t, "status", panels[p][0], "")));
        }
        g.dispose();
        return new Drawing(img, "Four bar panels comparing the customer groups (" + String.join(", ", describeRows(t, "status", "customers", ""))
                + " customers) on " + String.join("; ", alt) + ".");
    }

    // ---- helpers -----------------------------------------------------------------------------

    private JFreeChart chart(String title, org.jfree.chart.plot.Plot plot, String subtitle) {
        JFreeChart chart = new JFreeChart(title, ChartStyle.font(Font.BOLD, 26), plot, true);
        ChartStyle.apply(chart);
        TextTitle sub = new TextTitle(subtitle, ChartStyle.font(Font.PLAIN, 15));
        sub.setPaint(ChartStyle.GREY.darker());
        chart.addSubtitle(0, sub);
        return chart;
    }

    private static BufferedImage image(JFreeChart chart) {
        return chart.createBufferedImage(ChartStyle.WIDTH, ChartStyle.HEIGHT);
    }

    private static NumberFormat signedPercent() {
        java.text.DecimalFormat f = new java.text.DecimalFormat("+#,##0.0'%';-#,##0.0'%'", java.text.DecimalFormatSymbols.getInstance(Locale.US));
        return f;
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
