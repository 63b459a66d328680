package io.ecombi.chart;

import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.text.TextUtils;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;

/**
 * The value written on a heatmap cell (one unit wide and high, centred on x, y), in the longest form
 * that fits every cell of its {@link Group} as drawn ("47%", else "47"), so that on a narrow image the
 * labels neither run into each other nor mix forms; a label that fits in no form is left out (the
 * colour still tells the value).
 */
final class CellLabel extends XYTextAnnotation {
    private static final double PAD = 2;
    private final List<String> texts;
    private final String fallback;
    private final Group group;

    /** The labels of one heatmap: they choose their form together. */
    static final class Group {
        private final List<CellLabel> labels = new ArrayList<>();
        private Rectangle2D decidedFor;
        private int form;

        /** The first form every label fits in, else the last. */
        private int form(Graphics2D g2, double cellW, double cellH, Rectangle2D dataArea) {
            if (dataArea.equals(decidedFor)) return form;
            int forms = labels.stream().mapToInt(l -> l.texts.size()).max().orElse(1);
            form = forms - 1;
            for (int f = 0; f < forms; f++) {
                final int k = f;
                if (labels.stream().allMatch(l -> fits(g2, l, l.texts.get(Math.min(k, l.texts.size() - 1)), cellW, cellH))) {
                    form = f;
                    break;
                }
            }
            decidedFor = (Rectangle2D) dataArea.clone();
            return form;
        }
    }

    CellLabel(Group group, List<String> texts, double x, double y) {
        this(group, texts, null, x, y);
    }

    /**
     * A label with a fallback of its own (e.g. "*" for a period still in progress), written where none
     * of its forms fits the cell, so that what the value's colour cannot tell is not lost on a narrow image.
     */
    CellLabel(Group group, List<String> texts, String fallback, double x, double y) {
        super(texts.get(0), x, y);
        this.texts = List.copyOf(texts);
        this.fallback = fallback;
        this.group = group;
        group.labels.add(this);
    }

    private static boolean fits(Graphics2D g2, CellLabel l, String text, double cellW, double cellH) {
        g2.setFont(l.getFont());
        Rectangle2D b = TextUtils.getTextBounds(text, g2, g2.getFontMetrics());
        return b.getWidth() + 2 * PAD <= cellW && b.getHeight() <= cellH;
    }

    @Override
    public void draw(Graphics2D g2, XYPlot plot, Rectangle2D dataArea, ValueAxis domainAxis, ValueAxis rangeAxis,
                     int rendererIndex, PlotRenderingInfo info) {
        double cellW = Math.abs(domainAxis.valueToJava2D(getX() + 0.5, dataArea, plot.getDomainAxisEdge())
                - domainAxis.valueToJava2D(getX() - 0.5, dataArea, plot.getDomainAxisEdge()));
        double cellH = Math.abs(rangeAxis.valueToJava2D(getY() + 0.5, dataArea, plot.getRangeAxisEdge())
                - rangeAxis.valueToJava2D(getY() - 0.5, dataArea, plot.getRangeAxisEdge()));
        String text = texts.get(Math.min(group.form(g2, cellW, cellH, dataArea), texts.size() - 1));
        if (!fits(g2, this, text, cellW, cellH)) {
            if (fallback == null || !fits(g2, this, fallback, cellW, cellH)) return;
            text = fallback;
        }
        setText(text);
        super.draw(g2, plot, dataArea, domainAxis, rangeAxis, rendererIndex, info);
    }
}
