package io.ecombi.chart;

import io.ecombi.Settings;
import io.ecombi.kpi.KpiTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every renderer draws a 1200 x 700 PNG and its phone layout (laid out 400 px wide, drawn 1.5x) from a small table, and refuses a table without its columns by name. */
class ChartsTest {
    @TempDir
    Path dir;
    final Charts charts = new Charts(Settings.load(Settings.DEFAULT_FILE, Map.of(), Map.of()));

    static BigDecimal n(String v) { return new BigDecimal(v); }

    static final Map<String, KpiTable> TABLES = new java.util.HashMap<>(Map.of(
            "revenueTrend", KpiTable.of("monthly_revenue",
                    List.of("month", "is_complete_month", "orders", "customers", "gross_revenue", "discounts", "net_revenue", "avg_order_value", "mom_growth_pct"),
                    List.of(new Object[]{"2026-04-01", true, 10L, 8L, n("1000.00"), n("50.00"), n("950.00"), n("95.00"), null},
                            new Object[]{"2026-05-01", true, 12L, 9L, n("1500.00"), n("0.00"), n("1500.00"), n("125.00"), n("50.00")},
                            new Object[]{"2026-06-01", false, 3L, 3L, n("300.00"), n("0.00"), n("300.00"), n("100.00"), n("-80.00")})),
            "categoryMargins", KpiTable.of("category_margins",
                    List.of("category", "orders", "units", "net_revenue", "cost", "gross_profit", "margin_pct", "cost_coverage_pct"),
                    List.of(new Object[]{"Apparel", 5L, 7L, n("700.00"), n("300.00"), n("400.00"), n("57.14"), n("100.00")},
                            new Object[]{"Books", 3L, 3L, n("60.00"), n("45.00"), n("15.00"), n("25.00"), n("100.00")})),
            "clvDistribution", KpiTable.of("clv_distribution",
                    List.of("band", "revenue_from", "revenue_to", "customers", "net_revenue"),
                    List.of(new Object[]{0, null, 0, 1L, n("-20.00")}, new Object[]{1, 0, 25, 4L, n("50.00")}, new Object[]{2, 25, 50, 2L, n("70.00")}, new Object[]{3, 50, null, 0L, n("0")})),
            "clvTiers", KpiTable.of("clv_tier_summary",
                    List.of("value_tier", "customers", "net_revenue", "revenue_share_pct", "avg_net_revenue", "avg_orders"),
                    List.of(new Object[]{"Platinum", 1L, n("300.00"), n("53.57"), n("300.00"), n("3.00")},
                            new Object[]{"Gold", 1L, n("260.00"), n("46.43"), n("260.00"), n("2.00")})),
            "pareto", KpiTable.of("product_pareto",
                    List.of("revenue_rank", "product_id", "product_name", "category", "net_revenue", "share_pct", "cumulative_share_pct", "segment"),
                    List.of(new Object[]{1L, 10L, "Widget", "Electronics", n("200.00"), n("66.6667"), n("66.6667"), "Top 20%"},
                            new Object[]{2L, 11L, "Shirt", "Apparel", n("100.00"), n("33.3333"), n("100.0000"), "Bottom 80%"})),
            "churnOverview", KpiTable.of("churn_summary",
                    List.of("status", "customers", "avg_days_since_last_order", "avg_orders", "avg_unresolved_tickets", "avg_recent_tickets"),
                    List.of(new Object[]{"active", 10L, n("20.0"), n("5.00"), n("0.100"), n("0.200")},
                            new Object[]{"churned", 5L, n("200.0"), n("3.00"), n("0.600"), n("0.000")},
                            new Object[]{"new or reactivated", 4L, n("30.0"), n("2.50"), n("0.000"), n("0.000")},
                            new Object[]{"lapsed before the window", 3L, n("400.0"), n("2.00"), n("0.300"), n("0.000")},
                            new Object[]{"one order so far", 6L, n("230.0"), n("1.00"), n("0.050"), n("0.000")}))));

    static {   // the renderers of issue 12 (chart/CustomerCharts)
        TABLES.put("rfmSegments", KpiTable.of("rfm_segments", List.of("segment", "customers", "customers_pct", "net_revenue", "revenue_share_pct"),
                List.of(new Object[]{"Champions", 2L, n("20.00"), n("600.00"), n("60.00")}, new Object[]{"Lost", 8L, n("80.00"), n("400.00"), n("40.00")})));
        List<String> cohortColumns = List.of("cohort_month", "cohort_customers", "months_since", "is_partial", "customer_retention_pct");
        TABLES.put("cohortHeatmap", KpiTable.of("cohort_monthly", cohortColumns, List.of(
                new Object[]{"2026-04-01", 10L, 0, false, n("100.00")}, new Object[]{"2026-04-01", 10L, 1, false, n("30.00")},
                new Object[]{"2026-04-01", 10L, 2, true, n("10.00")}, new Object[]{"2026-05-01", 0L, 0, false, null},
                new Object[]{"2026-05-01", 0L, 1, true, null}, new Object[]{"2026-06-01", 5L, 0, true, n("100.00")})));
        TABLES.put("revenueRetentionHeatmap", revenueCohorts());
        TABLES.put("retentionCurve", KpiTable.of("cohort_retention_curve", List.of("months_since", "cohorts", "avg_customer_retention_pct", "avg_revenue_retention_pct"),
                List.of(new Object[]{0, 2L, n("100.00"), n("100.00")}, new Object[]{1, 1L, n("30.00"), n("25.00")}, new Object[]{2, 0L, null, null})));
        TABLES.put("dailyTrend", KpiTable.of("daily_trend", List.of("day", "orders", "net_revenue", "net_revenue_ma7", "orders_ma7"),
                java.util.stream.IntStream.range(0, 30).mapToObj(i -> new Object[]{LocalDate.of(2026, 6, 1).plusDays(i).toString(), (long) i % 5,
                        n(String.valueOf(100 + (i % 7) * 10)), i < 6 ? null : n("130.00"), i < 6 ? null : n("2.00")}).toList()));
        TABLES.put("clvHoldout", KpiTable.of("clv_holdout_chart", List.of("calibration_repeat_purchases", "customers", "actual_per_customer",
                        "predicted_per_customer", "baseline_per_customer"),
                List.of(new Object[]{"0", 1200L, n("0.210"), n("0.240"), n("0.000")}, new Object[]{"1", 400L, n("0.800"), n("0.750"), n("1.100")},
                        new Object[]{"2", 150L, n("1.500"), n("1.400"), n("2.100")}, new Object[]{"3+", 90L, n("3.100"), n("3.300"), n("4.000")})));
        TABLES.put("countryShare", KpiTable.of("geography_countries", List.of("country", "countries_folded", "revenue_share_pct"),
                List.of(new Object[]{"United Kingdom", 0L, n("80.00")}, new Object[]{"Other (3 countries)", 3L, n("20.00")})));
        TABLES.put("funnel", KpiTable.of("funnel_steps", List.of("step_order", "step", "sessions", "step_conversion_pct", "overall_conversion_pct",
                        "drop_off_sessions", "drop_off_pct"),
                List.of(new Object[]{1, "sessions", 246782L, null, n("100.00"), null, null},
                        new Object[]{2, "product view", 246782L, n("100.00"), n("100.00"), 0L, n("0.00")},
                        new Object[]{3, "add to cart", 169469L, n("68.67"), n("68.67"), 77313L, n("31.33")},
                        new Object[]{4, "purchase", 113054L, n("66.71"), n("45.81"), 56415L, n("33.29")},
                        new Object[]{5, "purchase without a view (not in the funnel)", 0L, null, n("0.00"), null, null})));
    }

    @Test
    void everyRendererDrawsAPngOfTheChartSize() throws Exception {
        assertThat(TABLES.keySet()).containsExactlyInAnyOrderElementsOf(Charts.RENDERERS);
        for (String renderer : Charts.RENDERERS) {
            Charts.Drawing d = charts.render(renderer, TABLES.get(renderer), "Title", LocalDate.of(2026, 6, 30));
            Path file = dir.resolve(renderer + ".png");
            ChartWriter.write(d.chart(), file);

            BufferedImage png = ImageIO.read(file.toFile());
            assertThat(png.getWidth()).as(renderer).isEqualTo(1200);
            assertThat(png.getHeight()).as(renderer).isEqualTo(700);
            assertThat(d.altText()).as(renderer).isNotBlank();
            assertThat(distinctColours(png)).as(renderer + " draws something").isGreaterThan(20);
            // and its phone layout beside it, which the page shows on screens up to 640 px
            BufferedImage phone = ImageIO.read(ChartFile.phoneOf(file).toFile());
            // laid out at a phone's width (400) and drawn 1.5x; the churn overview's four panels stand one a row, so it is the tallest
            assertThat(phone.getWidth()).as(renderer + " phone").isEqualTo((int) Math.round(ChartWriter.PHONE_WIDTH * ChartWriter.PHONE_SCALE));
            assertThat(phone.getHeight() / ChartWriter.PHONE_SCALE).as(renderer + " phone").isBetween(300.0, 900.0);
            assertThat(distinctColours(phone)).as(renderer + " phone draws something").isGreaterThan(20);
        }
    }

    /**
     * Cohort 2026-03 (2 customers): month-0 revenue 200; April nothing (a gap month: 0 %), May 100 (50 %), June 300
     * (150 %). Cohort 2026-04: no revenue in month 0 (a credit note cancelled it): revenue retention undefined, empty.
     * Cohort 2026-05 (1 customer): 80 in May, 20 in June so far (25 %, partial). Cells after June are not lived: no rows.
     */
    static KpiTable revenueCohorts() {
        return KpiTable.of("cohort_monthly", List.of("cohort_month", "cohort_customers", "months_since", "is_partial", "customer_retention_pct", "revenue_retention_pct"),
                List.of(new Object[]{"2026-03-01", 2L, 0, false, n("100.00"), n("100.00")}, new Object[]{"2026-03-01", 2L, 1, false, n("0.00"), n("0.00")},
                        new Object[]{"2026-03-01", 2L, 2, false, n("50.00"), n("50.00")}, new Object[]{"2026-03-01", 2L, 3, true, n("50.00"), n("150.00")},
                        new Object[]{"2026-04-01", 1L, 0, false, n("100.00"), null}, new Object[]{"2026-04-01", 1L, 1, false, n("0.00"), null},
                        new Object[]{"2026-04-01", 1L, 2, true, n("0.00"), null},
                        new Object[]{"2026-05-01", 1L, 0, false, n("100.00"), n("100.00")}, new Object[]{"2026-05-01", 1L, 1, true, n("100.00"), n("25.00")}));
    }

    @Test
    void revenueRetentionHeatmapColoursLivedCellsIncludingAGapMonthAndLeavesTheRestEmpty() {
        CustomerCharts.Heatmap m = CustomerCharts.heatmapChart(revenueCohorts(), "Revenue retention", "revenue_retention_pct");
        org.jfree.chart.plot.XYPlot plot = m.chart().getXYPlot();
        org.jfree.data.xy.XYZDataset ds = (org.jfree.data.xy.XYZDataset) plot.getDataset();
        // the six cells with a revenue retention: 2026-03 k 0..3, 2026-05 k 0..1 (2026-04 has none: month 0 had no revenue)
        assertThat(ds.getItemCount(0)).isEqualTo(6);
        java.util.Map<String, Double> cells = new java.util.TreeMap<>();
        for (int i = 0; i < 6; i++) cells.put((int) ds.getYValue(0, i) + "/" + (int) ds.getXValue(0, i), ds.getZValue(0, i));
        // y: oldest cohort on top (2026-03 = 2, 2026-05 = 0); x: months since
        assertThat(cells).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of("2/0", 100.0, "2/1", 0.0, "2/2", 50.0, "2/3", 150.0, "0/0", 100.0, "0/1", 25.0)));
        org.jfree.chart.renderer.PaintScale scale = ((org.jfree.chart.renderer.xy.XYBlockRenderer) plot.getRenderer()).getPaintScale();
        // colours spread over the later months: the largest is 150 %, so the scale ends at its cap, 100 %
        assertThat(scale.getUpperBound()).isEqualTo(100.0);
        // every value is written on its cell: the gap month's "0%", the partial month's "25%*"
        List<String> labels = plot.getAnnotations().stream().map(a -> ((org.jfree.chart.annotations.XYTextAnnotation) a).getText()).toList();
        assertThat(labels).containsExactlyInAnyOrder("100%", "0%", "50%", "150%*", "100%", "25%*");

        // drawn: the gap cell has the scale's lightest colour, month 3 of 2026-03 its darkest; 2026-04's cells and
        // 2026-05's month 2 (not lived) are left to the plot's background
        org.jfree.chart.ChartRenderingInfo info = new org.jfree.chart.ChartRenderingInfo();
        BufferedImage img = m.chart().createBufferedImage(1200, 700, info);
        java.awt.geom.Rectangle2D area = info.getPlotInfo().getDataArea();
        java.util.function.BiFunction<Integer, Integer, Integer> at = (k, y) -> img.getRGB(
                (int) plot.getDomainAxis().valueToJava2D(k + 0.3, area, plot.getDomainAxisEdge()),
                (int) plot.getRangeAxis().valueToJava2D(y + 0.3, area, plot.getRangeAxisEdge()));
        assertThat(at.apply(1, 2)).isEqualTo(((java.awt.Color) scale.getPaint(0)).getRGB());
        assertThat(at.apply(3, 2)).isEqualTo(((java.awt.Color) scale.getPaint(100)).getRGB());
        int background = ((java.awt.Color) plot.getBackgroundPaint()).getRGB();
        assertThat(at.apply(0, 1)).isEqualTo(background);
        assertThat(at.apply(2, 0)).isEqualTo(background);
        assertThat(m.altText()).contains("3 monthly cohorts", "net revenue");
    }

    @Test
    void aTableWithoutTheNeededColumnsFailsNamingRendererTableAndColumn() {
        KpiTable wrong = KpiTable.of("category_margins", List.of("category", "sales"), List.<Object[]>of(new Object[]{"Books", 1}));
        assertThatThrownBy(() -> charts.render("categoryMargins", wrong, "t", LocalDate.now()))
                .hasMessageContaining("categoryMargins").hasMessageContaining("category_margins").hasMessageContaining("revenue");
        assertThatThrownBy(() -> charts.render("pie", wrong, "t", LocalDate.now())).hasMessageContaining("no chart renderer 'pie'");
    }

    @Test
    void moneyIsCompactedWithItsUnit() {
        assertThat(ChartStyle.compact("$", 1_234_567)).isEqualTo("$1.2M");
        assertThat(ChartStyle.compact("$", 350_000)).isEqualTo("$350K");
        assertThat(ChartStyle.compact("$", 999)).isEqualTo("$999");
        assertThat(ChartStyle.compact("€", -2_500)).isEqualTo("-€2.5K");
    }

    private static int distinctColours(BufferedImage img) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int x = 0; x < img.getWidth(); x += 7) for (int y = 0; y < img.getHeight(); y += 7) colours.add(img.getRGB(x, y));
        return colours.size();
    }

    @Test
    void aShopWithManyCategoriesGetsItsFirstTwelveDrawnAndTheRestNamedAsLeftOut() {
        // Olist has 70 categories and no cost: 30 here, net revenue 3000, 2900, ... 100, no gross profit
        List<Object[]> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) rows.add(new Object[]{"cat" + i, 1L, 1L, n(String.valueOf(3000 - 100 * i)), null, null, null, n("0")});
        KpiTable t = KpiTable.of("category_margins",
                List.of("category", "orders", "units", "net_revenue", "cost", "gross_profit", "margin_pct", "cost_coverage_pct"), rows);
        var drawing = charts.render("categoryMargins", t, "Margins", LocalDate.of(2026, 6, 30));
        assertThat(drawing.altText()).contains("the first 12 of 30 categories");
        // two categories are drawn whole
        var few = charts.render("categoryMargins", TABLES.get("categoryMargins"), "Margins", LocalDate.of(2026, 6, 30));
        assertThat(few.altText()).doesNotContain("the first");
    }
}
