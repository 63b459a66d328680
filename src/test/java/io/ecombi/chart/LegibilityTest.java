package io.ecombi.chart;

import io.ecombi.Settings;
import io.ecombi.kpi.KpiTable;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every chart can be read at both sizes it is written at: no label leaves the image or is cut by its
 * plot, none was shortened to "..." or broken inside a word, none lies on another label or across a
 * bar. Checked from the text JFreeChart draws ({@link Legibility}), on the sample tables and on tables
 * shaped like the real exports' (many long category names, a negative category, 13 months,
 * retention curves that cross and sit at zero, a cohort still in its first week, a few products).
 */
class LegibilityTest {
    final Charts charts = new Charts(Settings.load(Settings.DEFAULT_FILE, Map.of(), Map.of()));
    static final LocalDate AS_OF = LocalDate.of(2026, 6, 30);

    static BigDecimal n(double v) { return BigDecimal.valueOf(v); }

    @Test
    void theCheckSeesACutLabelALabelOverABarAndAShortenedOne() {
        // JFreeChart's own placement: a label above the tallest bar with no room left above it, and a
        // label wider than its bar over the neighbouring, taller one
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        for (int i = 0; i < 6; i++) {
            ds.addValue(i == 0 ? 100 : 90, "Net revenue", "Category " + i);
            ds.addValue(40, "Gross profit", "Category " + i);
        }
        NumberAxis values = new NumberAxis();
        values.setUpperMargin(0);
        CategoryPlot plot = new CategoryPlot(ds, new CategoryAxis("A category axis whose categories are named at length"), values, new BarRenderer());
        BarRenderer r = (BarRenderer) plot.getRenderer();
        r.setDefaultItemLabelsVisible(true);
        r.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2} units sold in the trailing twelve months", java.text.NumberFormat.getIntegerInstance()));
        r.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
        JFreeChart chart = new JFreeChart("t", plot);

        List<String> problems = Legibility.problems(chart, 1200, 700);
        assertThat(problems).anyMatch(p -> p.startsWith("'100 units sold in the trailing twelve months' is cut by its clip"));
        assertThat(problems).anyMatch(p -> p.startsWith("'40 units sold in the trailing twelve months' lies across a bar"));

        DefaultCategoryDataset many = new DefaultCategoryDataset();
        for (int i = 0; i < 12; i++) many.addValue(i + 1, "s", "Computers and accessories " + i);
        JFreeChart narrow = new JFreeChart(new CategoryPlot(many, new CategoryAxis(), new NumberAxis(), new BarRenderer()));
        assertThat(Legibility.problems(narrow, 600, 500)).anyMatch(p -> p.endsWith("was shortened to fit"));
    }

    @Test
    void everyRendererOnItsSampleTableIsLegibleWideAndOnAPhone() {
        for (String renderer : Charts.RENDERERS) assertLegible(renderer, ChartsTest.TABLES.get(renderer));
    }

    @Test
    void twelveLongCategoryNamesAndANegativeOneAreLegible() {
        // Olist-like names, and UCI's "Unallocated order discounts": no cost, a negative net revenue
        String[] names = {"computers_accessories", "health_beauty", "bed_bath_table", "sports_leisure", "furniture_decor", "housewares",
                "watches_gifts", "telephony", "garden_tools", "auto", "cool_stuff", "Unallocated order discounts"};
        List<Object[]> withCost = new ArrayList<>(), noCost = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            double revenue = i == names.length - 1 ? -134_000 : 2_400_000 - 190_000 * i;
            double profit = revenue * (0.15 + 0.04 * (i % 5));
            withCost.add(new Object[]{names[i], 10L, 20L, n(revenue), n(revenue - profit), n(profit), n(100 * profit / revenue), n(100)});
            noCost.add(new Object[]{names[i], 10L, 20L, n(revenue), null, null, null, n(0)});
        }
        List<String> columns = List.of("category", "orders", "units", "net_revenue", "cost", "gross_profit", "margin_pct", "cost_coverage_pct");
        assertLegible("categoryMargins", KpiTable.of("category_margins", columns, withCost));
        assertLegible("categoryMargins", KpiTable.of("category_margins", columns, noCost));
    }

    @Test
    void thirteenMonthsWithLargeSwingsAreLegible() {
        List<Object[]> rows = new ArrayList<>();
        double previous = 0;
        for (int m = 0; m < 13; m++) {   // sql/kpi/monthly_revenue.sql: the as-of month and the 12 before it
            double net = 1_000_000 + 900_000 * Math.sin(m * 1.3) + (m == 12 ? -1_500_000 : 0);
            Object growth = m == 0 ? null : n(Math.round(1000 * (net - previous) / previous) / 10.0);
            rows.add(new Object[]{AS_OF.withDayOfMonth(1).minusMonths(12 - m).toString(), m < 12, 100L, 90L, n(net * 1.05), n(net * 0.05), n(net), n(100), growth});
            previous = net;
        }
        assertLegible("revenueTrend", KpiTable.of("monthly_revenue",
                List.of("month", "is_complete_month", "orders", "customers", "gross_revenue", "discounts", "net_revenue", "avg_order_value", "mom_growth_pct"), rows));
    }

    /**
     * Superstore's 2017: a +190 % rise after two falls of about 54 %. On the phone's narrow bars the
     * growth labels stand upright; every month's growth is written, rises as well as falls (before,
     * the rises found no room and only the falls kept theirs).
     */
    @Test
    void onAPhoneEveryMonthsGrowthIsWrittenRisesAndFallsAlike() {
        double[] net = {95_000, 42_000, 20_000, 58_000, 36_000, 44_000, 53_400, 45_000, 63_000, 88_000, 78_000, 118_000, 84_000};
        List<Object[]> rows = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int m = 0; m < net.length; m++) {
            Double growth = m == 0 ? null : Math.round(1000 * (net[m] - net[m - 1]) / net[m - 1]) / 10.0;
            if (growth != null) expected.add(String.format(Locale.US, "%+.0f%%", growth));
            rows.add(new Object[]{AS_OF.withDayOfMonth(1).minusMonths(12 - m).toString(), m < 12, 100L, 90L, n(net[m] * 1.2), n(net[m] * 0.2), n(net[m]),
                    n(100), growth == null ? null : n(growth)});
        }
        KpiTable table = KpiTable.of("monthly_revenue",
                List.of("month", "is_complete_month", "orders", "customers", "gross_revenue", "discounts", "net_revenue", "avg_order_value", "mom_growth_pct"), rows);
        assertLegible("revenueTrend", table);
        JFreeChart phone = charts.render("revenueTrend", table, "Monthly revenue and growth", AS_OF).chart();
        int height = ChartWriter.phoneHeight(phone, ChartStyle.HEIGHT);
        ChartWriter.layOutForPhone(phone);
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(ChartWriter.PHONE_WIDTH, height, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        TextRecorder recorder = new TextRecorder(g);
        phone.draw(recorder, new java.awt.geom.Rectangle2D.Double(0, 0, ChartWriter.PHONE_WIDTH, height));
        g.dispose();
        // worked out by hand: 42/95 = -55.8 %, 20/42 = -52.4 %, 58/20 = +190 %, 36/58 = -37.9 %, 44/36 = +22.2 %, 53.4/44 = +21.4 %,
        // 45/53.4 = -15.7 %, 63/45 = +40 %, 88/63 = +39.7 %, 78/88 = -11.4 %, 118/78 = +51.3 %, 84/118 = -28.8 %
        assertThat(expected).containsExactly("-56%", "-52%", "+190%", "-38%", "+22%", "+21%", "-16%", "+40%", "+40%", "-11%", "+51%", "-29%");
        // upright text reaches the recorder as glyphs (JFreeChart draws rotated text as a TextLayout): the two value
        // axes' labels, the 13 month labels written upwards and the 12 growth labels, one for each month after the first
        assertThat(recorder.texts().stream().filter(t -> t.text().equals("glyphs")).count()).isEqualTo(2 + 13 + 12);
    }

    @Test
    void retentionCurvesThatCrossAndSitAtZeroAreLegible() {
        // Superstore-like: months where no cohort bought again (0 %), a revenue spike, curves crossing
        double[][] values = {{100, 100}, {0, 0}, {0, 0}, {14.3, 0.3}, {14.3, 29}, {20, 38}, {0, 0}, {25, 134}, {0, 0}, {38, 36}, {35, 36}, {38, 36}};
        List<Object[]> rows = new ArrayList<>();
        for (int k = 0; k < values.length; k++) rows.add(new Object[]{k, 5L, n(values[k][0]), n(values[k][1])});
        assertLegible("retentionCurve", KpiTable.of("cohort_retention_curve",
                List.of("months_since", "cohorts", "avg_customer_retention_pct", "avg_revenue_retention_pct"), rows));
    }

    /**
     * Superstore-like curves (the test above): no point label lies on a line, wide or on the phone
     * (before, "100%", "25%", "20%" and "0%" at months 6 and 8 sat on the lines that fall to and rise
     * from zero), and the peaks keep theirs.
     */
    @Test
    void retentionPointLabelsLieOffTheLines() {
        double[][] values = {{100, 100}, {0, 0}, {0, 0}, {14.3, 0.3}, {14.3, 29}, {20, 38}, {0, 0}, {25, 134}, {0, 0}, {38, 36}, {35, 36}, {38, 36}};
        List<Object[]> rows = new ArrayList<>();
        for (int k = 0; k < values.length; k++) rows.add(new Object[]{k, 5L, n(values[k][0]), n(values[k][1])});
        KpiTable table = KpiTable.of("cohort_retention_curve", List.of("months_since", "cohorts", "avg_customer_retention_pct", "avg_revenue_retention_pct"), rows);
        for (boolean onPhone : new boolean[]{false, true}) {
            Drawn drawn = draw("retentionCurve", table, "Retention", onPhone);
            JFreeChart chart = drawn.chart();
            TextRecorder recorder = drawn.recorder();
            org.jfree.chart.ChartRenderingInfo info = drawn.info();
            java.awt.geom.Rectangle2D area = info.getPlotInfo().getDataArea();
            org.jfree.chart.plot.XYPlot plot = chart.getXYPlot();
            List<java.awt.geom.Line2D> lines = new ArrayList<>();
            for (int s = 0; s < plot.getDataset().getSeriesCount(); s++) {
                for (int i = 1; i < plot.getDataset().getItemCount(s); i++) {
                    lines.add(new java.awt.geom.Line2D.Double(
                            plot.getDomainAxis().valueToJava2D(plot.getDataset().getXValue(s, i - 1), area, plot.getDomainAxisEdge()),
                            plot.getRangeAxis().valueToJava2D(plot.getDataset().getYValue(s, i - 1), area, plot.getRangeAxisEdge()),
                            plot.getDomainAxis().valueToJava2D(plot.getDataset().getXValue(s, i), area, plot.getDomainAxisEdge()),
                            plot.getRangeAxis().valueToJava2D(plot.getDataset().getYValue(s, i), area, plot.getRangeAxisEdge())));
                }
            }
            List<TextRecorder.Text> labels = recorder.texts().stream()
                    .filter(t -> t.text().matches("\\d+%") && area.contains(t.bounds().getCenterX(), t.bounds().getCenterY())).toList();
            assertThat(labels.stream().map(TextRecorder.Text::text).toList()).as(onPhone ? "phone" : "wide").contains("100%", "134%", "38%");
            for (TextRecorder.Text t : labels) {
                for (java.awt.geom.Line2D l : lines) {
                    assertThat(l.intersects(t.bounds())).as((onPhone ? "phone: " : "wide: ") + t.text() + " at " + t.bounds()).isFalse();
                }
            }
        }
    }

    @Test
    void twelveWeeklyCohortsIncludingOneInItsFirstWeekAreLegible() {
        List<Object[]> rows = new ArrayList<>();
        for (int c = 0; c < 12; c++) {
            for (int k = 0; k < 12 - c; k++) {
                boolean partial = k == 11 - c;
                rows.add(new Object[]{AS_OF.minusWeeks(11 - c).toString(), 150L + c, k, partial, n(k == 0 ? 100 : 5 + (c * 7 + k * 3) % 15)});
            }
        }
        assertLegible("cohortHeatmap", KpiTable.of("cohort_weekly", List.of("cohort_week", "cohort_customers", "weeks_since", "is_partial", "customer_retention_pct"), rows));
    }

    /**
     * Twelve monthly cohorts, each with its latest month still in progress (the newest: month 0,
     * "100%*"). On a phone the 12 columns are too narrow for "100*": such a cell still says it is in
     * progress with a "*" alone, so every one of the 12 in-progress cells is marked on both images.
     */
    @Test
    void everyCohortCellStillInProgressIsMarkedOnThePhoneToo() {
        List<Object[]> rows = new ArrayList<>();
        for (int c = 0; c < 12; c++) {
            for (int k = 0; k < 12 - c; k++) {
                rows.add(new Object[]{AS_OF.withDayOfMonth(1).minusMonths(11 - c).toString(), 150L + c, k, k == 11 - c, n(k == 0 ? 100 : 5 + (c * 7 + k * 3) % 15)});
            }
        }
        KpiTable table = KpiTable.of("cohort_monthly", List.of("cohort_month", "cohort_customers", "months_since", "is_partial", "customer_retention_pct"), rows);
        assertLegible("cohortHeatmap", table);
        for (boolean onPhone : new boolean[]{false, true}) {
            Drawn drawn = draw("cohortHeatmap", table, "Cohorts", onPhone);
            JFreeChart chart = drawn.chart();
            TextRecorder recorder = drawn.recorder();
            org.jfree.chart.ChartRenderingInfo info = drawn.info();
            assertThat(recorder.texts().stream().filter(t -> t.text().endsWith("*")).count()).as(onPhone ? "phone" : "wide").isEqualTo(12);
            // and every finished cell after month 0 has its figure (the phone names the cohorts "Jun 26 (161)" to make room):
            // cohort c has months 1 .. 10 - c finished, 10 + 9 + ... + 1 = 55
            java.awt.geom.Rectangle2D area = info.getPlotInfo().getDataArea();
            assertThat(recorder.texts().stream().filter(t -> t.text().matches("\\d+%?") && !t.text().startsWith("100")
                    && area.contains(t.bounds().getCenterX(), t.bounds().getCenterY())).count()).as(onPhone ? "phone figures" : "wide figures").isEqualTo(55);
        }
    }

    @Test
    void aChurnOverviewWithoutTicketsIsLegible() {
        // UCI has no support tickets: a panel of zeros
        List<Object[]> rows = new ArrayList<>();
        String[] status = {"active", "churned", "new or reactivated", "lapsed before the window", "one order so far"};
        for (int i = 0; i < status.length; i++) rows.add(new Object[]{status[i], 100L * (i + 1), n(20.5 * (i + 1)), n(10.2 / (i + 1)), n(0), n(0)});
        assertLegible("churnOverview", KpiTable.of("churn_summary",
                List.of("status", "customers", "avg_days_since_last_order", "avg_orders", "avg_unresolved_tickets", "avg_recent_tickets"), rows));
    }

    /**
     * A chart laid out like the churn model's "What drives churn": horizontal bars whose odds labels
     * JFreeChart writes beyond their ends, value margins of 18 %, an axis label wider than a phone's
     * plot. The phone layout widens the margins for the labels and right-aligns the axis label.
     */
    @Test
    void aBarChartWithJFreeChartsOwnLabelsIsLegibleOnAPhoneToo() {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        double[] coefficients = {-0.87, 0.47, -0.35, 0.13, -0.11, 0.11, -0.07, 0.07, 0.01, 0.0};
        String[] features = {"total_orders", "customer_tenure_days", "orders_last_window", "recent_support_tickets", "orders_prior_window",
                "days_since_last_order", "total_spent", "ticket_to_order_ratio", "avg_days_per_order", "avg_order_value"};
        for (int i = 0; i < features.length; i++) ds.addValue(coefficients[i], "coefficient", features[i]);
        NumberAxis value = ChartStyle.axis("Change in churn log-odds per +1 SD (right: raises churn, left: lowers it)", new java.text.DecimalFormat("+0.00;-0.00"));
        CategoryPlot plot = new CategoryPlot(ds, new CategoryAxis(null), value, null);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        BarRenderer br = new BarRenderer();
        br.setDefaultItemLabelsVisible(true);
        br.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator() {
            @Override
            public String generateLabel(org.jfree.data.category.CategoryDataset d, int row, int column) {
                return String.format(Locale.US, "odds x%.2f", Math.exp(d.getValue(row, column).doubleValue()));
            }
        });
        br.setDefaultItemLabelFont(ChartStyle.font(java.awt.Font.PLAIN, 12));
        br.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
        br.setDefaultNegativeItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE9, TextAnchor.CENTER_RIGHT));
        plot.setRenderer(br);
        value.setUpperMargin(0.18);
        value.setLowerMargin(0.18);
        JFreeChart chart = ChartStyle.apply(new JFreeChart("What drives churn", ChartStyle.font(java.awt.Font.BOLD, 26), plot, false));
        assertThat(Legibility.problems(chart, ChartStyle.WIDTH, ChartStyle.HEIGHT)).as("wide").isEmpty();
        int height = ChartWriter.phoneHeight(chart, ChartStyle.HEIGHT);
        ChartWriter.layOutForPhone(chart);
        assertThat(Legibility.problems(chart, ChartWriter.PHONE_WIDTH, height)).as("phone").isEmpty();
    }

    /** The renderer's chart at 1200 x 700, and a fresh one in its phone layout, have no problems. */
    private void assertLegible(String renderer, KpiTable table) {
        Map<String, List<String>> found = new LinkedHashMap<>();
        JFreeChart wide = charts.render(renderer, table, "A title as long as the route's longest one, Who are our best customers", AS_OF).chart();
        found.put("wide", Legibility.problems(wide, ChartStyle.WIDTH, ChartStyle.HEIGHT));
        JFreeChart phone = charts.render(renderer, table, "A title as long as the route's longest one, Who are our best customers", AS_OF).chart();
        int height = ChartWriter.phoneHeight(phone, ChartStyle.HEIGHT);
        ChartWriter.layOutForPhone(phone);
        found.put("phone", Legibility.problems(phone, ChartWriter.PHONE_WIDTH, height));
        assertThat(found).as(renderer + " on " + table.name()).isEqualTo(Map.of("wide", List.of(), "phone", List.of()));
    }

    /** What a renderer drew, wide (1200 x 700) or in its phone layout: the chart, every string it drew, and where its plot is. */
    record Drawn(JFreeChart chart, TextRecorder recorder, org.jfree.chart.ChartRenderingInfo info) {}

    Drawn draw(String renderer, KpiTable table, String title, boolean onPhone) {
        JFreeChart chart = charts.render(renderer, table, title, AS_OF).chart();
        int width = onPhone ? ChartWriter.PHONE_WIDTH : ChartStyle.WIDTH, height = onPhone ? ChartWriter.phoneHeight(chart, ChartStyle.HEIGHT) : ChartStyle.HEIGHT;
        if (onPhone) ChartWriter.layOutForPhone(chart);
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(width, height, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        TextRecorder recorder = new TextRecorder(g);
        org.jfree.chart.ChartRenderingInfo info = new org.jfree.chart.ChartRenderingInfo();
        chart.draw(recorder, new java.awt.geom.Rectangle2D.Double(0, 0, width, height), null, info);
        g.dispose();
        return new Drawn(chart, recorder, info);
    }
}
