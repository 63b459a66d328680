package io.ecombi.chart;

import io.ecombi.Settings;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The one chart writer: the wide PNG and its phone layout beside it, each moved into place whole. */
class ChartWriterTest {
    @TempDir
    Path dir;
    final Charts charts = new Charts(Settings.load(Settings.DEFAULT_FILE, Map.of(), Map.of()));

    @Test
    void writesTheWidePngAndAPhonePngLaidOutAtAPhonesWidthDrawnLargerBesideIt() throws Exception {
        JFreeChart chart = charts.render("categoryMargins", ChartsTest.TABLES.get("categoryMargins"), "Profit margin by category", LocalDate.of(2026, 6, 30)).chart();
        int expectedPhoneHeight = ChartWriter.phoneHeight(chart, ChartStyle.HEIGHT);
        Path file = dir.resolve("category_margins.png");

        ChartWriter.write(chart, file);

        BufferedImage wide = ImageIO.read(file.toFile());
        assertThat(wide.getWidth()).isEqualTo(1200);
        assertThat(wide.getHeight()).isEqualTo(700);
        Path phone = dir.resolve("category_margins.phone.png");
        assertThat(phone).isEqualTo(ChartFile.phoneOf(file));
        BufferedImage small = ImageIO.read(phone.toFile());
        // laid out at 400 px, drawn 1.5x: a 600 px image
        assertThat(ChartWriter.PHONE_WIDTH).isEqualTo(400);
        assertThat(small.getWidth()).isEqualTo(600);
        assertThat(small.getHeight()).isEqualTo((int) Math.round(expectedPhoneHeight * ChartWriter.PHONE_SCALE));
        // titles wrap on the phone, so it is taller for its width than the wide image, but not a scroll of its own
        assertThat(expectedPhoneHeight).isBetween(300, 600);
        // nothing half-written is left behind: the temporary files were moved into place
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("category_margins.png", "category_margins.phone.png");
        }
    }

    @Test
    void aTallChartKeepsItsHeightWideAndItsPhoneLayoutScalesWithIt() throws Exception {
        JFreeChart chart = stackedPanels(new String[]{"Electronics", "Home & Garden", "Sports", "Apparel", "Books"}, new int[]{1, 1, 1, 1, 1});
        Path file = dir.resolve("forecast_weekly_units.png");

        ChartWriter.write(chart, file, 1310);   // ForecastCharts.weeklyUnitsHeight(5)

        assertThat(ImageIO.read(file.toFile()).getHeight()).isEqualTo(1310);
        BufferedImage phone = ImageIO.read(ChartFile.phoneOf(file).toFile());
        assertThat(phone.getWidth()).isEqualTo((int) Math.round(ChartWriter.PHONE_WIDTH * ChartWriter.PHONE_SCALE));
        // 3/4 of the wide plot's height (about 1.2k px) under the titles: five panels of about 170 layout px each, drawn 1.5x
        assertThat(phone.getHeight() / ChartWriter.PHONE_SCALE).isBetween(900.0, 1150.0);
    }

    /**
     * A decomposition's weight-1 panels drawn 3/4 as tall as at 1200 x 700 would be about 75 px, shorter
     * than "Weekly seasonality" written along their axis: the phone layout is made tall enough that every
     * panel is at least as tall as its axis label, so the labels of neighbouring panels do not meet.
     */
    @Test
    void everyPanelOfAStackOnThePhoneIsAsTallAsItsAxisLabel() {
        JFreeChart chart = stackedPanels(new String[]{"Observed", "Trend", "Weekly seasonality", "Remainder"}, new int[]{2, 1, 1, 1});
        int height = ChartWriter.phoneHeight(chart, ChartStyle.HEIGHT);
        ChartWriter.layOutForPhone(chart);
        ChartRenderingInfo info = new ChartRenderingInfo();
        chart.createBufferedImage(ChartWriter.PHONE_WIDTH, height, info);

        PlotRenderingInfo plots = info.getPlotInfo();
        assertThat(plots.getSubplotCount()).isEqualTo(4);
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        var metrics = scratch.createGraphics().getFontMetrics(PhoneFonts.phone(ChartStyle.font(java.awt.Font.PLAIN, 15)));
        int seasonality = metrics.stringWidth("Weekly seasonality");
        assertThat(seasonality).isGreaterThan(100);
        for (int i = 1; i < 4; i++) {
            assertThat(plots.getSubplotInfo(i).getDataArea().getHeight()).as("panel " + i).isGreaterThanOrEqualTo(seasonality);
        }
        assertThat(Legibility.problems(chart, ChartWriter.PHONE_WIDTH, height)).isEmpty();
    }

    /** Stacked line panels on one x axis, as the forecast's decomposition and weekly units draw them. */
    static JFreeChart stackedPanels(String[] labels, int[] weights) {
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(ChartStyle.axis("Day", ChartStyle.count()));
        plot.setGap(12);
        for (int k = 0; k < labels.length; k++) {
            XYSeries s = new XYSeries(labels[k]);
            for (int i = 0; i < 182; i++) s.add(i, 1000 * (k + 1) + 300 * Math.sin(i / 7.0 * 2 * Math.PI) + i);
            NumberAxis axis = ChartStyle.axis(labels[k], ChartStyle.compactMoney("$"));
            axis.setAutoRangeIncludesZero(false);
            plot.add(new XYPlot(new XYSeriesCollection(s), null, axis, new XYLineAndShapeRenderer(true, false)), weights[k]);
        }
        return ChartStyle.chart("Daily net revenue: trend, weekly season and remainder", plot,
                "Classical additive decomposition of the last 26 weeks: observed = trend + weekly seasonality + remainder");
    }
}
