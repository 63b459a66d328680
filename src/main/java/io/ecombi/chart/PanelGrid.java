package io.ecombi.chart;

import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisSpace;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.PlotState;
import org.jfree.chart.text.G2TextMeasurer;
import org.jfree.chart.text.TextBlock;
import org.jfree.chart.text.TextBlockAnchor;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;

/**
 * Small multiples of horizontal bar charts that share their categories: as many panels a row as
 * leave each at least {@code minPanelWidth} wide (all four in a row on the wide image, two on a
 * phone). The category labels are written once a row, left of its first panel, level with that
 * row's bars, so they are never rotated, cut or repeated.
 */
final class PanelGrid extends Plot {
    private static final double LABEL_GAP = 8;
    private static final double TITLE_GAP = 6;
    private final List<String> titles;
    private final List<JFreeChart> panels;
    private final double minPanelWidth;
    private Font titleFont;
    private Font labelFont;

    /**
     * The panels: charts of a horizontal CategoryPlot each, with the same categories in the same order,
     * and their titles, which the grid writes itself so that a row's titles take the same height and
     * its bars stay level with the labels even where one title wraps and another does not.
     */
    PanelGrid(List<String> titles, List<JFreeChart> panels, double minPanelWidth, Font titleFont, Font labelFont) {
        if (titles.size() != panels.size()) throw new IllegalArgumentException(titles.size() + " titles for " + panels.size() + " panels");
        this.titles = List.copyOf(titles);
        this.panels = List.copyOf(panels);
        this.minPanelWidth = minPanelWidth;
        this.titleFont = titleFont;
        this.labelFont = labelFont;
        setOutlineVisible(false);
        setInsets(RectangleInsets.ZERO_INSETS);
        for (JFreeChart p : this.panels) ((CategoryPlot) p.getPlot()).getDomainAxis().setVisible(false);
    }

    List<String> titles() { return titles; }

    Font titleFont() { return titleFont; }
    void setTitleFont(Font f) { titleFont = f; }
    Font labelFont() { return labelFont; }
    void setLabelFont(Font f) { labelFont = f; }

    @Override
    public String getPlotType() {
        return "Panel grid";
    }

    List<JFreeChart> panels() { return panels; }

    /** Panels a row for this width (the labels' excluded): the most that leave each its minimum width, in rows of equal length. */
    int columns(double width) {
        int n = panels.size();
        int cols = (int) Math.max(1, Math.min(n, Math.floor(width / minPanelWidth)));
        while (cols > 1 && n % cols != 0) cols--;   // 4 panels: 4 or 2 a row, not 3 and 1
        return cols;
    }

    private static float wrap(double width) {
        return (float) Math.max(80, width / 3);
    }

    /**
     * The height at which every panel, drawn width wide, has its title above it and rows as tall as
     * its category labels wrapped (JFreeChart's category margins between them), so that neighbouring
     * labels do not meet.
     */
    double neededHeight(Graphics2D g2, double width) {
        if (panels.isEmpty()) return 0;
        CategoryPlot first = (CategoryPlot) panels.get(0).getPlot();
        CategoryAxis axis = first.getDomainAxis();
        g2.setFont(labelFont);
        double labelW = 0, labelsH = 0;
        for (Object key : first.getCategories()) {
            TextBlock b = TextUtils.createTextBlock(key.toString(), labelFont, ChartStyle.TEXT, wrap(width), 3, new G2TextMeasurer(g2));
            labelW = Math.max(labelW, b.calculateDimensions(g2).getWidth());
            labelsH += b.calculateDimensions(g2).getHeight() + 4;
        }
        labelW += LABEL_GAP;
        int cols = columns(width - labelW);
        int rows = (panels.size() + cols - 1) / cols;
        double panelW = (width - labelW) / cols;
        g2.setFont(titleFont);
        double head = 0;
        for (String t : titles) {
            head = Math.max(head, TextUtils.createTextBlock(t, titleFont, ChartStyle.TEXT, (float) (panelW - 8), new G2TextMeasurer(g2)).calculateDimensions(g2).getHeight());
        }
        double share = 1 - axis.getLowerMargin() - axis.getUpperMargin() - axis.getCategoryMargin();
        RectangleInsets pad = panels.get(0).getPadding(), insets = first.getInsets();
        double row = 2 * TITLE_GAP + head + labelsH / share + pad.getTop() + pad.getBottom() + insets.getTop() + insets.getBottom();
        return rows * row;
    }

    @Override
    public void draw(Graphics2D g2, Rectangle2D area, Point2D anchor, PlotState parentState, PlotRenderingInfo info) {
        if (info != null) info.setPlotArea(area);
        if (panels.isEmpty()) return;
        CategoryPlot first = (CategoryPlot) panels.get(0).getPlot();
        List<?> categories = first.getCategories();
        // the labels wrap at a third of the width, at most three lines
        float wrap = wrap(area.getWidth());
        g2.setFont(labelFont);
        List<TextBlock> labels = new ArrayList<>();
        double labelW = 0;
        for (Object key : categories) {
            TextBlock b = TextUtils.createTextBlock(key.toString(), labelFont, ChartStyle.TEXT, wrap, 3, new G2TextMeasurer(g2));
            b.setLineAlignment(HorizontalAlignment.RIGHT);
            labels.add(b);
            labelW = Math.max(labelW, b.calculateDimensions(g2).getWidth());
        }
        labelW += LABEL_GAP;
        int cols = columns(area.getWidth() - labelW);
        int rows = (panels.size() + cols - 1) / cols;
        double panelW = (area.getWidth() - labelW) / cols, panelH = area.getHeight() / rows;
        // the titles, wrapped at the panel's width; a row's panels start below its tallest title
        g2.setFont(titleFont);
        List<TextBlock> heads = new ArrayList<>();
        double[] headH = new double[rows];
        for (int i = 0; i < panels.size(); i++) {
            TextBlock b = TextUtils.createTextBlock(titles.get(i), titleFont, ChartStyle.TEXT, (float) (panelW - 8), new G2TextMeasurer(g2));
            heads.add(b);
            headH[i / cols] = Math.max(headH[i / cols], b.calculateDimensions(g2).getHeight());
        }
        for (int i = 0; i < panels.size(); i++) {
            int r = i / cols, c = i % cols;
            double x = area.getX() + labelW + c * panelW, y = area.getY() + r * panelH;
            g2.setFont(titleFont);
            heads.get(i).draw(g2, (float) (x + panelW / 2), (float) (y + TITLE_GAP), TextBlockAnchor.TOP_CENTER);
            double top = TITLE_GAP + headH[r] + TITLE_GAP;
            JFreeChart panel = panels.get(i);
            CategoryPlot plot = (CategoryPlot) panel.getPlot();
            AxisSpace none = new AxisSpace();
            none.setLeft(0);
            plot.setFixedDomainAxisSpace(none);
            ChartRenderingInfo drawn = new ChartRenderingInfo();
            panel.draw(g2, new Rectangle2D.Double(x, y + top, panelW, panelH - top), null, drawn);
            if (c > 0) continue;
            // the row's labels, level with its first panel's bars
            Rectangle2D data = drawn.getPlotInfo().getDataArea();
            CategoryAxis axis = plot.getDomainAxis();
            g2.setFont(labelFont);
            for (int k = 0; k < labels.size(); k++) {
                double mid = axis.getCategoryMiddle(k, categories.size(), data, RectangleEdge.LEFT);
                labels.get(k).draw(g2, (float) (data.getMinX() - LABEL_GAP), (float) mid, TextBlockAnchor.CENTER_RIGHT);
            }
        }
    }
}
