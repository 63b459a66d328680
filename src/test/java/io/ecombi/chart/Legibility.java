package io.ecombi.chart;

import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.entity.CategoryItemEntity;
import org.jfree.chart.entity.ChartEntity;
import org.jfree.chart.entity.XYItemEntity;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.CombinedRangeCategoryPlot;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.xy.XYBarRenderer;

import java.awt.Graphics2D;
import java.awt.geom.Area;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a reader could not read in a drawn chart, found from the text JFreeChart draws (not from pixels):
 * a label that leaves the image or is cut by a clip (a plot's data area, a panel), a label JFreeChart
 * shortened with "...", two labels on top of each other, and a label lying across a bar that is not its own.
 */
final class Legibility {
    private Legibility() {}

    /** Draws the chart at width x height and lists its problems (empty when every label can be read). */
    static List<String> problems(JFreeChart chart, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        TextRecorder recorder = new TextRecorder(g);
        ChartRenderingInfo info = new ChartRenderingInfo();
        chart.draw(recorder, new Rectangle2D.Double(0, 0, width, height), null, info);
        g.dispose();
        List<String> out = problems(recorder.texts(), bars(chart, info), width, height);
        List<TextRecorder.Text> notSeries = recorder.texts().stream().filter(t -> !series(chart).contains(t.text())).toList();
        out.addAll(brokenWords(notSeries, categories(chart)));
        return out;
    }

    /**
     * Category labels JFreeChart wrapped inside a word ("Champio" / "ns"): a drawn text that is part
     * of a category's name but does not start and end at a word boundary of it.
     */
    static List<String> brokenWords(List<TextRecorder.Text> texts, List<String> categories) {
        List<String> out = new ArrayList<>();
        for (TextRecorder.Text t : texts) {
            String s = t.text().strip();
            if (s.chars().noneMatch(Character::isLetter)) continue;   // a number: a tick or a value, not a piece of a name
            for (String k : categories) {
                if (k.equals(s)) break;
                int at = k.indexOf(s);
                if (at < 0 || s.isEmpty()) continue;
                int end = at + s.length();
                boolean cutBefore = at > 0 && Character.isLetterOrDigit(k.charAt(at - 1)) && Character.isLetterOrDigit(s.charAt(0));
                boolean cutAfter = end < k.length() && Character.isLetterOrDigit(k.charAt(end)) && Character.isLetterOrDigit(s.charAt(s.length() - 1));
                if (cutBefore || cutAfter) {
                    out.add("'" + s + "' is a piece of the word in category '" + k.replace("\n", " / ") + "'");
                    break;
                }
            }
        }
        return out;
    }

    /** The category names of every category plot of the chart (a combined plot's panels, a panel grid's panels). */
    static List<String> categories(JFreeChart chart) {
        List<String> out = new ArrayList<>();
        for (Plot p : plots(chart)) {
            if (p instanceof CategoryPlot cp && cp.getCategories() != null) {
                for (Object k : cp.getCategories()) out.add(k.toString());
            }
        }
        return out;
    }

    /** The series names of every category plot: legend items, whole words of their own. */
    static List<String> series(JFreeChart chart) {
        List<String> out = new ArrayList<>();
        for (Plot p : plots(chart)) {
            if (p instanceof CategoryPlot cp) {
                for (int i = 0; i < cp.getDatasetCount(); i++) {
                    if (cp.getDataset(i) != null) for (Object k : cp.getDataset(i).getRowKeys()) out.add(k.toString());
                }
            }
        }
        return out;
    }

    private static List<Plot> plots(JFreeChart chart) {
        List<Plot> plots = new ArrayList<>();
        collect(chart.getPlot(), plots);
        return plots;
    }

    static List<String> problems(List<TextRecorder.Text> texts, List<Rectangle2D> bars, int width, int height) {
        List<String> out = new ArrayList<>();
        Rectangle2D image = new Rectangle2D.Double(-0.5, -0.5, width + 1, height + 1);
        for (TextRecorder.Text t : texts) {
            Rectangle2D b = t.bounds();
            if (!image.contains(b)) out.add(String.format(Locale.US, "'%s' leaves the image (%s)", t.text(), box(b)));
            else if (t.clip() != null && !t.clip().contains(shrink(b, 0.5))) {
                out.add(String.format(Locale.US, "'%s' is cut by its clip (%s, clip %s)", t.text(), box(b), box(t.clip().getBounds2D())));
            }
            if (t.text().endsWith("...")) out.add("'" + t.text() + "' was shortened to fit");
        }
        for (int i = 0; i < texts.size(); i++) {
            for (int j = i + 1; j < texts.size(); j++) {
                TextRecorder.Text a = texts.get(i), c = texts.get(j);
                if (overlap(a.shape(), c.shape())) out.add("'" + a.text() + "' and '" + c.text() + "' overlap");
            }
            for (Rectangle2D bar : bars) {
                Rectangle2D b = texts.get(i).bounds();
                // a label inside its bar is fine; one partly over a bar is not
                if (overlap(texts.get(i).shape(), bar) && !bar.contains(shrink(b, 0.5))) {
                    out.add("'" + texts.get(i).text() + "' lies across a bar (" + box(bar) + ")");
                }
            }
        }
        return out;
    }

    private static boolean overlap(java.awt.Shape a, java.awt.Shape b) {
        Rectangle2D i = a.getBounds2D().createIntersection(b.getBounds2D());
        if (i.getWidth() <= 1 || i.getHeight() <= 1) return false;
        Area area = new Area(a);
        area.intersect(new Area(b));
        Rectangle2D ib = area.getBounds2D();
        return !area.isEmpty() && ib.getWidth() > 1 && ib.getHeight() > 1;
    }

    private static Rectangle2D shrink(Rectangle2D r, double by) {
        return new Rectangle2D.Double(r.getX() + by, r.getY() + by, Math.max(0, r.getWidth() - 2 * by), Math.max(0, r.getHeight() - 2 * by));
    }

    private static String box(Rectangle2D r) {
        return String.format(Locale.US, "x %.0f..%.0f, y %.0f..%.0f", r.getMinX(), r.getMaxX(), r.getMinY(), r.getMaxY());
    }

    /** The bars a chart drew (bar renderers' items), from its entities. */
    static List<Rectangle2D> bars(JFreeChart chart, ChartRenderingInfo info) {
        List<Plot> plots = new ArrayList<>();
        collect(chart.getPlot(), plots);
        List<Rectangle2D> out = new ArrayList<>();
        for (Object o : info.getEntityCollection().getEntities()) {
            ChartEntity e = (ChartEntity) o;
            boolean bar = false;
            for (Plot p : plots) {
                if (e instanceof CategoryItemEntity ce && p instanceof CategoryPlot cp) {
                    bar |= cp.indexOf(ce.getDataset()) >= 0 && cp.getRendererForDataset(ce.getDataset()) instanceof BarRenderer;
                } else if (e instanceof XYItemEntity xe && p instanceof XYPlot xp) {
                    bar |= xp.indexOf(xe.getDataset()) >= 0 && xp.getRendererForDataset(xe.getDataset()) instanceof XYBarRenderer;
                }
            }
            if (bar) out.add(e.getArea().getBounds2D());
        }
        return out;
    }

    private static void collect(Plot p, List<Plot> out) {
        out.add(p);
        if (p instanceof CombinedDomainCategoryPlot c) c.getSubplots().forEach(s -> collect((Plot) s, out));
        if (p instanceof CombinedRangeCategoryPlot c) c.getSubplots().forEach(s -> collect((Plot) s, out));
        if (p instanceof CombinedDomainXYPlot c) c.getSubplots().forEach(s -> collect((Plot) s, out));
        if (p instanceof CombinedRangeXYPlot c) c.getSubplots().forEach(s -> collect((Plot) s, out));
        if (p instanceof PanelGrid g) g.panels().forEach(c -> collect(c.getPlot(), out));
    }
}
