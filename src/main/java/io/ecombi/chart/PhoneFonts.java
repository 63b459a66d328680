package io.ecombi.chart;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Marker;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.AbstractRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.title.Title;
import org.jfree.chart.ui.Layer;

import java.awt.Font;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The phone layout's fonts: at {@link ChartWriter#PHONE_WIDTH} layout pixels the wide image's 26 px
 * title and 13-15 px labels take too much of the width, so every font of the chart steps down
 * ({@link #size}): the title to 19, axis labels, legends and subtitles to 13, tick and value labels
 * to 11 (never below 11; a font already that small stays). Each change can be undone, so the phone's
 * height can be measured with them before the wide image is drawn.
 */
final class PhoneFonts {
    private PhoneFonts() {}

    /** The phone's size for a font of this size on the wide image. */
    static int size(int wide) {
        if (wide >= 24) return 19;
        if (wide >= 15) return 13;
        if (wide >= 12) return 11;
        return wide;
    }

    static Font phone(Font f) {
        return f == null ? null : f.deriveFont((float) size(f.getSize()));
    }

    /** Sets the phone fonts on the chart (its titles, plots, renderers, markers, annotations); returns how to undo it. */
    static List<Runnable> apply(JFreeChart chart) {
        List<Runnable> undo = new ArrayList<>();
        if (chart.getTitle() != null) change(undo, chart.getTitle()::getFont, chart.getTitle()::setFont);
        for (int i = 0; i < chart.getSubtitleCount(); i++) title(chart.getSubtitle(i), undo);
        List<Plot> plots = new ArrayList<>();
        ChartWriter.collect(chart.getPlot(), plots);
        for (Plot p : plots) {
            if (p instanceof CategoryPlot cp) {
                axis(cp.getDomainAxis(), undo);
                for (int i = 0; i < cp.getRangeAxisCount(); i++) axis(cp.getRangeAxis(i), undo);
                for (int i = 0; i < cp.getRendererCount(); i++) if (cp.getRenderer(i) instanceof AbstractRenderer r) renderer(r, undo);
                markers(cp.getRangeMarkers(Layer.FOREGROUND), undo);
                markers(cp.getRangeMarkers(Layer.BACKGROUND), undo);
                markers(cp.getDomainMarkers(Layer.FOREGROUND), undo);
                markers(cp.getDomainMarkers(Layer.BACKGROUND), undo);
            } else if (p instanceof XYPlot xp) {
                for (int i = 0; i < xp.getDomainAxisCount(); i++) axis(xp.getDomainAxis(i), undo);
                for (int i = 0; i < xp.getRangeAxisCount(); i++) axis(xp.getRangeAxis(i), undo);
                for (int i = 0; i < xp.getRendererCount(); i++) if (xp.getRenderer(i) instanceof AbstractRenderer r) renderer(r, undo);
                markers(xp.getRangeMarkers(Layer.FOREGROUND), undo);
                markers(xp.getRangeMarkers(Layer.BACKGROUND), undo);
                markers(xp.getDomainMarkers(Layer.FOREGROUND), undo);
                markers(xp.getDomainMarkers(Layer.BACKGROUND), undo);
                for (Object a : xp.getAnnotations()) {
                    if (a instanceof XYTextAnnotation t) change(undo, t::getFont, t::setFont);
                }
            } else if (p instanceof PanelGrid g) {
                change(undo, g::titleFont, g::setTitleFont);
                change(undo, g::labelFont, g::setLabelFont);
                for (JFreeChart panel : g.panels()) undo.addAll(apply(panel));
            }
        }
        return undo;
    }

    private static void title(Title t, List<Runnable> undo) {
        if (t instanceof TextTitle tt) change(undo, tt::getFont, tt::setFont);
        else if (t instanceof LegendTitle lt) change(undo, lt::getItemFont, lt::setItemFont);
        else if (t instanceof PaintScaleLegend ps) axis(ps.getAxis(), undo);
    }

    private static void axis(Axis a, List<Runnable> undo) {
        if (a == null) return;
        change(undo, a::getLabelFont, a::setLabelFont);
        change(undo, a::getTickLabelFont, a::setTickLabelFont);
    }

    private static void renderer(AbstractRenderer r, List<Runnable> undo) {
        change(undo, r::getDefaultItemLabelFont, r::setDefaultItemLabelFont);
        for (int s = 0; s < 20; s++) {
            final int series = s;
            if (r.getSeriesItemLabelFont(s) != null) change(undo, () -> r.getSeriesItemLabelFont(series), f -> r.setSeriesItemLabelFont(series, f));
        }
    }

    private static void markers(Collection<?> markers, List<Runnable> undo) {
        if (markers == null) return;
        for (Object o : markers) if (o instanceof Marker m) change(undo, m::getLabelFont, m::setLabelFont);
    }

    private static void change(List<Runnable> undo, Supplier<Font> get, Consumer<Font> set) {
        Font was = get.get();
        if (was == null) return;
        Font now = phone(was);
        if (now.getSize() == was.getSize()) return;
        set.accept(now);
        undo.add(() -> set.accept(was));
    }
}
