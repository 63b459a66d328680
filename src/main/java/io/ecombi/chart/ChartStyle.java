package io.ecombi.chart;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.text.TextBlock;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One look for every chart: palette, fonts, number formats. */
public final class ChartStyle {
    private ChartStyle() {}

    static {
        // flat bars, no gradients or shadows, everywhere
        org.jfree.chart.renderer.category.BarRenderer.setDefaultBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
        org.jfree.chart.renderer.category.BarRenderer.setDefaultShadowsVisible(false);
        org.jfree.chart.renderer.xy.XYBarRenderer.setDefaultBarPainter(new org.jfree.chart.renderer.xy.StandardXYBarPainter());
        org.jfree.chart.renderer.xy.XYBarRenderer.setDefaultShadowsVisible(false);
    }

    /** Colour-blind-safe palette (Okabe-Ito), used in the same order in every chart. */
    public static final Color BLUE = new Color(0x00, 0x72, 0xB2);
    public static final Color ORANGE = new Color(0xE6, 0x9F, 0x00);
    public static final Color GREEN = new Color(0x00, 0x9E, 0x73);
    public static final Color VERMILION = new Color(0xD5, 0x5E, 0x00);
    public static final Color SKY = new Color(0x56, 0xB4, 0xE9);
    public static final Color PURPLE = new Color(0xCC, 0x79, 0xA7);
    public static final Color GREY = new Color(0x88, 0x88, 0x88);
    public static final Color GRID = new Color(0xDD, 0xDD, 0xDD);
    public static final Color TEXT = new Color(0x22, 0x22, 0x22);

    public static final int WIDTH = 1200;
    public static final int HEIGHT = 700;
    static final String FONT = "SansSerif";   // DejaVu Sans on Debian

    public static final BasicStroke LINE = new BasicStroke(3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    public static final BasicStroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{8f, 6f}, 0f);

    /**
     * Fonts, backgrounds, grid lines and axes for a chart. It leaves renderers alone (a JFreeChart
     * theme would reset the series colours and label fonts each chart sets for itself).
     */
    public static JFreeChart apply(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(12, 12, 12, 20));
        chart.setTextAntiAlias(true);
        chart.setAntiAlias(true);
        if (chart.getTitle() != null) {
            chart.getTitle().setPaint(TEXT);
        }
        if (chart.getLegend() != null) {
            chart.getLegend().setItemFont(font(Font.PLAIN, 15));
            chart.getLegend().setItemPaint(TEXT);
            chart.getLegend().setFrame(org.jfree.chart.block.BlockBorder.NONE);
        }
        List<Plot> plots = new ArrayList<>();
        ChartWriter.collect(chart.getPlot(), plots);   // a combined plot's panels look the same as a single plot
        for (Plot plot : plots) {
            plot.setBackgroundPaint(Color.WHITE);
            plot.setOutlineVisible(false);
            if (plot instanceof CategoryPlot cp) {
                cp.setRangeGridlinePaint(GRID);
                cp.setDomainGridlinesVisible(false);
                for (int i = 0; i < cp.getRangeAxisCount(); i++) axisFonts(cp.getRangeAxis(i));
                axisFonts(cp.getDomainAxis());
            } else if (plot instanceof XYPlot xp) {
                xp.setRangeGridlinePaint(GRID);
                xp.setDomainGridlinePaint(GRID);
                for (int i = 0; i < xp.getRangeAxisCount(); i++) axisFonts(xp.getRangeAxis(i));
                axisFonts(xp.getDomainAxis());
            }
        }
        return chart;
    }

    /** A chart of the plot in this style: its title, a legend, and the subtitle in grey under the title. */
    public static JFreeChart chart(String title, Plot plot, String subtitle) {
        JFreeChart chart = new JFreeChart(title, font(Font.BOLD, 26), plot, true);
        apply(chart);
        TextTitle sub = new TextTitle(subtitle, font(Font.PLAIN, 15));
        sub.setPaint(GREY.darker());
        chart.addSubtitle(0, sub);
        return chart;
    }

    private static void axisFonts(Axis a) {
        if (a == null) return;
        a.setLabelFont(font(Font.PLAIN, 15));
        a.setLabelPaint(TEXT);
        a.setTickLabelFont(font(Font.PLAIN, 13));
        a.setTickLabelPaint(TEXT);
        a.setAxisLinePaint(GREY);
    }

    public static Font font(int style, int size) {
        return new Font(FONT, style, size);
    }

    /** $1,234,567 */
    public static NumberFormat money(String symbol) {
        DecimalFormat f = new DecimalFormat(symbol + "#,##0", DecimalFormatSymbols.getInstance(Locale.US));
        f.setNegativePrefix("-" + symbol);
        return f;
    }

    /** $1.2M / $350K / $900, for axes and labels where space is short. */
    public static NumberFormat compactMoney(String symbol) {
        return new NumberFormat() {
            @Override
            public StringBuffer format(double v, StringBuffer sb, FieldPosition pos) {
                return sb.append(compact(symbol, v));
            }

            @Override
            public StringBuffer format(long v, StringBuffer sb, FieldPosition pos) {
                return format((double) v, sb, pos);
            }

            @Override
            public Number parse(String source, ParsePosition pos) {
                return null;
            }
        };
    }

    public static String compact(String symbol, double v) {
        double a = Math.abs(v);
        String sign = v < 0 ? "-" : "";
        if (a >= 1e9) return sign + symbol + trim(a / 1e9) + "B";
        if (a >= 1e6) return sign + symbol + trim(a / 1e6) + "M";
        if (a >= 1e3) return sign + symbol + trim(a / 1e3) + "K";
        return sign + symbol + String.format(Locale.US, "%.0f", a);
    }

    private static String trim(double v) {
        String s = String.format(Locale.US, v >= 100 ? "%.0f" : "%.1f", v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    /** 12.3% */
    public static NumberFormat percent() {
        DecimalFormat f = new DecimalFormat("#,##0.#'%'", DecimalFormatSymbols.getInstance(Locale.US));
        return f;
    }

    public static NumberFormat count() {
        return new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.US));
    }

    /** An axis of counts (customers, products): whole-number ticks only, so a small count is not labelled 0, 0, 1, 1. */
    public static NumberAxis countAxis(String label) {
        NumberAxis a = axis(label, count());
        a.setStandardTickUnits(NumberAxis.createIntegerTickUnits(Locale.US));
        a.setNumberFormatOverride(count());
        return a;
    }

    /**
     * A category axis for horizontal bars: a name of two or three lines (e.g. "Apparel" over "56.3%
     * margin") is right-aligned against the bars instead of centred.
     */
    public static CategoryAxis barLabels() {
        CategoryAxis a = new CategoryAxis(null) {
            @Override
            protected TextBlock createLabel(Comparable category, float width, RectangleEdge edge, Graphics2D g2) {
                TextBlock block = super.createLabel(category, width, edge, g2);
                if (edge == RectangleEdge.LEFT) block.setLineAlignment(HorizontalAlignment.RIGHT);
                return block;
            }
        };
        a.setMaximumCategoryLabelLines(3);
        return a;
    }

    public static NumberAxis axis(String label, NumberFormat format) {
        NumberAxis a = new NumberAxis(label);
        a.setNumberFormatOverride(format);
        a.setLabelFont(font(Font.PLAIN, 15));
        a.setTickLabelFont(font(Font.PLAIN, 13));
        return a;
    }
}
