package io.ecombi.chart;

import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.labels.CategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.CategoryItemRendererState;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.CategoryDataset;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.geom.Rectangle2D;

/**
 * Bars whose value labels are drawn only where they can be read, at whatever size the chart is drawn:
 * <ul>
 * <li>horizontal bars: the label after the bar's end when it fits before the plot's edge, else inside
 * the bar's end (white on a dark bar), else (a short negative bar) right of the zero line;</li>
 * <li>vertical bars: the label above the bar (below a negative one) when it is no wider than the
 * bar's share of the plot width, so it cannot reach a neighbour's label or bar; else inside the bar's
 * end; else the {@link #setCompactLabels compact label} the same way; where even the shortest label
 * is wider than a bar's slot (13 months or 11 bands on a phone), every label is written upright,
 * beyond the bar's end or inside it; else none (the chart's table has every figure).</li>
 * </ul>
 * A label never lies across another bar and is never cut at the plot's edge, which is what
 * JFreeChart's fixed label positions do when bars are narrow or a label is long.
 */
public class FittingBarRenderer extends BarRenderer {
    private static final double GAP = 4;
    private CategoryItemLabelGenerator compact;
    private transient Rectangle2D dataArea;
    private transient int bars;
    private transient Rectangle2D decidedFor;   // the drawing for which allCompact was decided
    private transient boolean allCompact;
    private transient boolean allUpright;
    private double phoneMargin = -1;
    private int phoneWeight;

    public FittingBarRenderer() {
        setDefaultItemLabelsVisible(true);
        setDefaultItemLabelFont(ChartStyle.font(Font.BOLD, 13));
        setDefaultItemLabelPaint(ChartStyle.TEXT);
        setShadowVisible(false);
    }

    /**
     * On the phone layout ({@link ChartWriter#layOutForPhone}) the value axis gets this margin above and
     * below and the plot, a panel of a combined plot, this weight: room for upright labels beyond the
     * tallest rise and the deepest fall, so that both keep their labels.
     */
    public void setPhoneLayout(double valueMargin, int weight) {
        this.phoneMargin = valueMargin;
        this.phoneWeight = weight;
    }

    double phoneMargin() { return phoneMargin; }

    int phoneWeight() { return phoneWeight; }

    /** A shorter label (e.g. "+12%" for "+12.3%") used where the full one does not fit. */
    public void setCompactLabels(CategoryItemLabelGenerator compact) {
        this.compact = compact;
    }

    @Override
    public void drawItem(Graphics2D g2, CategoryItemRendererState state, Rectangle2D dataArea, CategoryPlot plot, CategoryAxis domainAxis,
                         ValueAxis rangeAxis, CategoryDataset dataset, int row, int column, int pass) {
        this.dataArea = dataArea;
        this.bars = Math.max(1, dataset.getColumnCount() * Math.max(1, state.getVisibleSeriesCount()));
        super.drawItem(g2, state, dataArea, plot, domainAxis, rangeAxis, dataset, row, column, pass);
    }

    @Override
    protected void drawItemLabel(Graphics2D g2, CategoryDataset data, int row, int column, CategoryPlot plot,
                                 CategoryItemLabelGenerator generator, Rectangle2D bar, boolean negative) {
        if (dataArea == null) return;
        g2.setFont(getItemLabelFont(row, column));
        FontMetrics fm = g2.getFontMetrics();
        boolean horizontal = plot.getOrientation() == PlotOrientation.HORIZONTAL;
        if (!horizontal && !dataArea.equals(decidedFor)) {
            allCompact = compact != null && anyTooWide(data, generator, fm);
            // where even the shortest label is wider than a bar's slot, all are written upright (one style of figure a chart)
            allUpright = anyTooWide(data, compact != null ? compact : generator, fm) && fm.getHeight() <= dataArea.getWidth() / bars - 2;
            decidedFor = (Rectangle2D) dataArea.clone();
        }
        if (!horizontal && allUpright) {
            upright(g2, (compact != null ? compact : generator).generateLabel(data, row, column), fm, bar, negative, row, column);
            return;
        }
        CategoryItemLabelGenerator[] labels = compact == null ? new CategoryItemLabelGenerator[]{generator}
                : !horizontal && allCompact ? new CategoryItemLabelGenerator[]{compact} : new CategoryItemLabelGenerator[]{generator, compact};
        for (CategoryItemLabelGenerator gen : labels) {
            String label = gen.generateLabel(data, row, column);
            if (label == null || label.isEmpty()) return;
            Rectangle2D tb = TextUtils.getTextBounds(label, g2, fm);
            double w = tb.getWidth(), h = tb.getHeight();
            if (horizontal) {
                if (h > dataArea.getHeight() / bars + 2) continue;   // taller than a bar's row: it would touch the next label
                double y = bar.getCenterY();
                if (!negative && bar.getMaxX() + GAP + w <= dataArea.getMaxX()) {
                    draw(g2, label, bar.getMaxX() + GAP, y, TextAnchor.CENTER_LEFT, getItemLabelPaint(row, column));
                    return;
                }
                if (negative && bar.getMinX() - GAP - w >= dataArea.getMinX()) {
                    draw(g2, label, bar.getMinX() - GAP, y, TextAnchor.CENTER_RIGHT, getItemLabelPaint(row, column));
                    return;
                }
                if (w + 2 * GAP <= bar.getWidth() && h <= bar.getHeight() + 2) {
                    draw(g2, label, negative ? bar.getMinX() + GAP : bar.getMaxX() - GAP, y,
                            negative ? TextAnchor.CENTER_LEFT : TextAnchor.CENTER_RIGHT, inside(getItemPaint(row, column)));
                    return;
                }
                // a short negative bar: its label on the other side of the zero line, where its row is empty
                if (negative && bar.getMaxX() + GAP + w <= dataArea.getMaxX()) {
                    draw(g2, label, bar.getMaxX() + GAP, y, TextAnchor.CENTER_LEFT, getItemLabelPaint(row, column));
                    return;
                }
            } else {
                if (w > dataArea.getWidth() / bars - 2) continue;   // wider than a bar's slot: it would reach the next one
                double x = bar.getCenterX();
                if (!negative && bar.getMinY() - GAP - h >= dataArea.getMinY()) {
                    draw(g2, label, x, bar.getMinY() - GAP, TextAnchor.BOTTOM_CENTER, getItemLabelPaint(row, column));
                    return;
                }
                if (negative && bar.getMaxY() + GAP + h <= dataArea.getMaxY()) {
                    draw(g2, label, x, bar.getMaxY() + GAP, TextAnchor.TOP_CENTER, getItemLabelPaint(row, column));
                    return;
                }
                if (h + 2 * GAP <= bar.getHeight() && w + 2 <= bar.getWidth()) {
                    draw(g2, label, x, negative ? bar.getMaxY() - GAP : bar.getMinY() + GAP,
                            negative ? TextAnchor.BOTTOM_CENTER : TextAnchor.TOP_CENTER, inside(getItemPaint(row, column)));
                    return;
                }
            }
        }
    }

    /**
     * Narrow vertical bars (13 months on a phone): the compact label written upwards, beyond the bar's
     * end where it fits in the plot, else inside the bar, else left out; rises and falls alike.
     */
    private void upright(Graphics2D g2, String label, FontMetrics fm, Rectangle2D bar, boolean negative, int row, int column) {
        if (label == null || label.isEmpty()) return;
        double len = fm.stringWidth(label);
        float x = (float) bar.getCenterX();
        if (!negative && bar.getMinY() - GAP - len >= dataArea.getMinY()) {
            drawUp(g2, label, x, bar.getMinY() - GAP, TextAnchor.CENTER_LEFT, getItemLabelPaint(row, column));
        } else if (negative && bar.getMaxY() + GAP + len <= dataArea.getMaxY()) {
            drawUp(g2, label, x, bar.getMaxY() + GAP, TextAnchor.CENTER_RIGHT, getItemLabelPaint(row, column));
        } else if (len + 2 * GAP <= bar.getHeight() && fm.getHeight() <= bar.getWidth() + 2) {
            drawUp(g2, label, x, negative ? bar.getMaxY() - GAP : bar.getMinY() + GAP,
                    negative ? TextAnchor.CENTER_LEFT : TextAnchor.CENTER_RIGHT, inside(getItemPaint(row, column)));
        }
    }

    /** The label read upwards, its start (CENTER_LEFT) or end (CENTER_RIGHT) at x, y. */
    private static void drawUp(Graphics2D g2, String label, float x, double y, TextAnchor anchor, Paint paint) {
        g2.setPaint(paint);
        TextUtils.drawRotatedString(label, g2, x, (float) y, anchor, -Math.PI / 2, anchor);
    }

    /** Vertical bars all use the compact labels when one full label is wider than its slot: one style of figure a chart. */
    private boolean anyTooWide(CategoryDataset data, CategoryItemLabelGenerator generator, FontMetrics fm) {
        for (int r = 0; r < data.getRowCount(); r++) {
            for (int c = 0; c < data.getColumnCount(); c++) {
                if (data.getValue(r, c) == null) continue;
                String label = generator.generateLabel(data, r, c);
                if (label != null && fm.stringWidth(label) > dataArea.getWidth() / bars - 2) return true;
            }
        }
        return false;
    }

    private static void draw(Graphics2D g2, String label, double x, double y, TextAnchor anchor, Paint paint) {
        g2.setPaint(paint);
        TextUtils.drawAlignedString(label, g2, (float) x, (float) y, anchor);
    }

    /** Text inside a bar: white on a dark bar, dark on a light one. */
    static Paint inside(Paint bar) {
        if (!(bar instanceof Color c)) return Color.WHITE;
        double luminance = (0.2126 * c.getRed() + 0.7152 * c.getGreen() + 0.0722 * c.getBlue()) / 255;
        return luminance > 0.5 ? ChartStyle.TEXT : Color.WHITE;
    }
}
