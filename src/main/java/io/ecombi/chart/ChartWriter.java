package io.ecombi.chart;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.axis.AxisLabelLocation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.CategoryItemLabelGenerator;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.data.category.CategoryDataset;
import org.jfree.chart.block.LengthConstraintType;
import org.jfree.chart.block.RectangleConstraint;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.CombinedRangeCategoryPlot;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.text.G2TextMeasurer;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.title.Title;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.Range;

import javax.imageio.ImageIO;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The one way a chart becomes files: the wide PNG ({@link ChartStyle#WIDTH} wide) and, beside it, the
 * phone layout {@link ChartFile#phoneOf x.phone.png}, which the page shows on screens up to 640 px. The
 * phone layout is laid out at about a phone's real width ({@link #PHONE_WIDTH}) with a step smaller
 * fonts ({@link PhoneFonts}, none below 11) and drawn {@link #PHONE_SCALE} times larger, so a 400 px
 * phone shows its text at nearly the size it was laid out at. Each file is written to a temporary file and moved into place, so a
 * reader never sees half a PNG.
 *
 * <p>A chart lays itself out for the narrow width mostly on its own (titles and legends wrap, axes pick
 * fewer ticks, the chart package's renderers place labels where they fit); {@link #layOutForPhone} adds
 * the few changes every chart needs on a phone.
 */
public final class ChartWriter {
    private ChartWriter() {}

    /**
     * The phone layout's width in layout pixels: about a phone's real width (a 400 px phone shows the
     * image at 354 CSS px), so the text keeps most of its size there instead of shrinking to 60 %.
     */
    public static final int PHONE_WIDTH = 400;
    /** The phone layout is drawn this much larger (a 600 px PNG for 400 layout px), sharp on a 1.5x screen. */
    public static final double PHONE_SCALE = 1.5;
    /** A part of a chart (e.g. an axis) that changes itself for the phone layout, called by {@link #layOutForPhone}. */
    interface PhoneLayout {
        void layOutForPhone();
    }

    /** The phone layout's plot is this share of the wide layout's plot height (never below {@link #PHONE_MIN_PLOT}). */
    static final double PHONE_PLOT_SHARE = 0.75;
    static final int PHONE_MIN_PLOT = 300;

    /** Writes the chart at {@link ChartStyle#WIDTH} x {@link ChartStyle#HEIGHT} and its phone layout. */
    public static void write(JFreeChart chart, Path file) throws IOException {
        write(chart, file, ChartStyle.HEIGHT);
    }

    /**
     * Writes the chart at {@link ChartStyle#WIDTH} x height (a chart of many stacked panels is taller)
     * to file, then its phone layout to {@link ChartFile#phoneOf}. The chart is changed for the phone
     * layout: this is its last use.
     */
    public static void write(JFreeChart chart, Path file, int height) throws IOException {
        writePng(draw(chart, ChartStyle.WIDTH, height), file);
        int phoneHeight = phoneHeight(chart, height);
        layOutForPhone(chart);
        writePng(draw(chart, PHONE_WIDTH, phoneHeight, PHONE_SCALE), ChartFile.phoneOf(file));
    }

    /**
     * The chart drawn on an opaque image: every chart has a white background, and a PNG without an
     * alpha channel is about an eighth smaller and quicker to encode (the encoding is most of the time).
     */
    static BufferedImage draw(JFreeChart chart, int width, int height) {
        return draw(chart, width, height, 1);
    }

    /** The chart laid out at width x height and drawn scale times larger (an image of width * scale x height * scale). */
    static BufferedImage draw(JFreeChart chart, int width, int height, double scale) {
        BufferedImage image = new BufferedImage((int) Math.round(width * scale), (int) Math.round(height * scale), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.scale(scale, scale);
            chart.draw(g, new Rectangle2D.Double(0, 0, width, height), null, null);
        } finally {
            g.dispose();
        }
        return image;
    }

    static void writePng(BufferedImage image, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling("." + file.getFileName() + ".part");
        try {
            if (!ImageIO.write(image, "png", tmp.toFile())) throw new IOException("no PNG writer in this Java runtime");
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The phone layout's height: its titles and legends wrapped at {@link #PHONE_WIDTH} (measured as
     * JFreeChart will lay them out), plus a plot {@link #PHONE_PLOT_SHARE} as tall as the wide one's,
     * or taller where stacked panels or a column of category labels need it.
     */
    static int phoneHeight(JFreeChart chart, int wideHeight) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            double widePlot = wideHeight - titlesHeight(chart, g, ChartStyle.WIDTH, wideHeight);
            // the phone's titles are measured as they will be laid out there (legend at the bottom, etc.)
            List<Runnable> undo = phoneTitles(chart);
            undo.addAll(PhoneFonts.apply(chart));
            undo.addAll(wholeWordsBesideBars(chart));
            try {
                double phoneTitles = titlesHeight(chart, g, PHONE_WIDTH, 10 * wideHeight);
                double plot = Math.max(Math.max(PHONE_MIN_PLOT, PHONE_PLOT_SHARE * widePlot),
                        Math.max(Math.max(panelsHeight(chart.getPlot(), g), categoriesHeight(chart.getPlot(), g)),
                                chart.getPlot() instanceof PanelGrid grid ? grid.neededHeight(g, PHONE_WIDTH - pad(chart)) : 0));
                return (int) Math.ceil(phoneTitles + plot);
            } finally {
                for (int i = undo.size() - 1; i >= 0; i--) undo.get(i).run();
            }
        } finally {
            g.dispose();
        }
    }

    /** Below the panels of a combined plot: the shared axis's tick labels and label. */
    private static final double SHARED_AXIS = 60;

    /**
     * The plot height at which every panel of a combined plot (stacked panels sharing a horizontal
     * axis) is as tall as its value axis's label, which JFreeChart writes on one line however short
     * the panel is: shorter, the labels of neighbouring panels run into each other. 0 for other plots.
     */
    static double panelsHeight(Plot plot, Graphics2D g) {
        List<?> subplots;
        double gap;
        if (plot instanceof CombinedDomainXYPlot c && c.getOrientation() == PlotOrientation.VERTICAL) { subplots = c.getSubplots(); gap = c.getGap(); }
        else if (plot instanceof CombinedDomainCategoryPlot c && c.getOrientation() == PlotOrientation.VERTICAL) { subplots = c.getSubplots(); gap = c.getGap(); }
        else return 0;
        double total = 0;
        for (Object p : subplots) total += weight(p);
        double needed = 0;
        for (Object p : subplots) {
            double label = 0;
            if (p instanceof XYPlot xp) for (int i = 0; i < xp.getRangeAxisCount(); i++) label = Math.max(label, labelLength(xp.getRangeAxis(i), g));
            if (p instanceof CategoryPlot cp) for (int i = 0; i < cp.getRangeAxisCount(); i++) label = Math.max(label, labelLength(cp.getRangeAxis(i), g));
            if (label > 0) needed = Math.max(needed, (label + 12) * total / weight(p));
        }
        return needed == 0 ? 0 : needed + SHARED_AXIS + gap * (subplots.size() - 1);
    }

    /**
     * The plot height at which the category labels of a horizontal bar plot, wrapped as JFreeChart
     * will wrap them at the phone's width, stand one under the other without touching. 0 for other plots.
     */
    static double categoriesHeight(Plot plot, Graphics2D g) {
        if (!(plot instanceof CategoryPlot cp) || cp.getOrientation() != PlotOrientation.HORIZONTAL || cp.getDataset() == null) return 0;
        CategoryAxis axis = cp.getDomainAxis();
        if (axis == null || !axis.isVisible() || !axis.isTickLabelsVisible()) return 0;
        double ratio = axis.getMaximumCategoryLabelWidthRatio() > 0 ? axis.getMaximumCategoryLabelWidthRatio() : 0.3;   // JFreeChart's default for labels at the left
        float wrap = (float) (ratio * (PHONE_WIDTH - 48));
        RectangleInsets insets = axis.getTickLabelInsets();
        double labels = 0;
        for (Object key : cp.getDataset().getColumnKeys()) {
            Font font = axis.getTickLabelFont((Comparable<?>) key);
            g.setFont(font);
            labels += TextUtils.createTextBlock(key.toString(), font, axis.getTickLabelPaint(), wrap, axis.getMaximumCategoryLabelLines(),
                    new G2TextMeasurer(g)).calculateDimensions(g).getHeight() + insets.getTop() + insets.getBottom() + 4;
        }
        return labels / (1 - axis.getLowerMargin() - axis.getUpperMargin()) + SHARED_AXIS;
    }

    private static double weight(Object subplot) {
        return subplot instanceof XYPlot xp ? xp.getWeight() : subplot instanceof CategoryPlot cp ? cp.getWeight() : 1;
    }

    private static double labelLength(Axis axis, Graphics2D g) {
        if (axis == null || !axis.isVisible() || axis.getLabel() == null || axis.getLabel().isEmpty()) return 0;
        return g.getFontMetrics(axis.getLabelFont()).stringWidth(axis.getLabel());
    }

    /** The height the chart's padding, title and top/bottom subtitles take at this width, as JFreeChart arranges them. */
    private static double titlesHeight(JFreeChart chart, Graphics2D g, int width, int height) {
        RectangleInsets pad = chart.getPadding();
        double w = width - pad.getLeft() - pad.getRight();
        double h = height - pad.getTop() - pad.getBottom();
        double used = pad.getTop() + pad.getBottom();
        List<Title> titles = new ArrayList<>();
        if (chart.getTitle() != null) titles.add(chart.getTitle());
        for (int i = 0; i < chart.getSubtitleCount(); i++) titles.add(chart.getSubtitle(i));
        for (Title t : titles) {
            if (!t.isVisible() || !(t.getPosition() == RectangleEdge.TOP || t.getPosition() == RectangleEdge.BOTTOM)) continue;
            double th = t.arrange(g, new RectangleConstraint(w, new Range(0, w), LengthConstraintType.RANGE,
                    h, new Range(0, h), LengthConstraintType.RANGE)).height;
            used += th;
            h = Math.max(0, h - th);
        }
        return used;
    }

    /** Legends and colour scales at a side move below the plot (a phone has no width to spare); returns how to undo it. */
    private static List<Runnable> phoneTitles(JFreeChart chart) {
        List<Runnable> undo = new ArrayList<>();
        for (int i = 0; i < chart.getSubtitleCount(); i++) {
            Title t = chart.getSubtitle(i);
            RectangleEdge was = t.getPosition();
            if ((t instanceof LegendTitle || t instanceof PaintScaleLegend) && RectangleEdge.isLeftOrRight(was)) {
                t.setPosition(RectangleEdge.BOTTOM);
                undo.add(() -> t.setPosition(was));
            }
        }
        return undo;
    }

    /**
     * What every chart needs at {@link #PHONE_WIDTH}: side legends and colour scales go below the plot;
     * category labels under vertical bars may take three lines (a word each, where they would
     * otherwise be shortened to "...") and the gap beside their category; a horizontal axis's label
     * wider than half the phone is aligned with the right end of its axis, so it runs left over the
     * free space under the category labels instead of out of the image; horizontal bars with
     * JFreeChart's fixed value labels get the margins those labels need ({@link #roomForBarLabels}).
     */
    static void layOutForPhone(JFreeChart chart) {
        phoneTitles(chart);
        PhoneFonts.apply(chart);
        wholeWordsBesideBars(chart);
        List<Plot> plots = new ArrayList<>();
        collect(chart.getPlot(), plots);
        for (Plot p : plots) {
            if (p instanceof CategoryPlot cp) {
                CategoryAxis domain = cp.getDomainAxis();
                if (domain != null && cp.getOrientation() == PlotOrientation.VERTICAL
                        && domain.getCategoryLabelPositions() == CategoryLabelPositions.STANDARD) {
                    domain.setMaximumCategoryLabelLines(Math.max(3, domain.getMaximumCategoryLabelLines()));
                    // a label may be as wide as its category and the gap to the next: a word such as
                    // "Champions" stays whole instead of breaking into "Champio" / "ns"
                    domain.setMaximumCategoryLabelWidthRatio(1.2f);
                    // labels whose words are wider than that (13 months' "Nov 25") are written upwards
                    if (widestWord(cp, domain) > 1.2 * categorySlot(cp, domain) - 4) domain.setCategoryLabelPositions(CategoryLabelPositions.UP_90);
                }
                if (cp.getRenderer() instanceof FittingBarRenderer fr && fr.phoneMargin() >= 0 && cp.getRangeAxis() instanceof NumberAxis values) {
                    values.setUpperMargin(fr.phoneMargin());
                    values.setLowerMargin(fr.phoneMargin());
                    if (fr.phoneWeight() > 0) cp.setWeight(fr.phoneWeight());
                    // bars as wide as an upright label is tall, so that a label fits inside the tallest one
                    fr.setMaximumBarWidth(Math.max(fr.getMaximumBarWidth(), 0.06));
                }
                for (int i = 0; i < cp.getRangeAxisCount(); i++) alignLongLabel(cp.getRangeAxis(i), cp.getOrientation() == PlotOrientation.HORIZONTAL);
                roomForBarLabels(cp);
                if (domain != null) alignLongLabel(domain, cp.getOrientation() == PlotOrientation.VERTICAL);
            } else if (p instanceof XYPlot xp) {
                for (int i = 0; i < xp.getRangeAxisCount(); i++) if (xp.getRangeAxis(i) instanceof PhoneLayout l) l.layOutForPhone();
                for (int i = 0; i < xp.getDomainAxisCount(); i++) if (xp.getDomainAxis(i) instanceof PhoneLayout l) l.layOutForPhone();
                for (int i = 0; i < xp.getRangeAxisCount(); i++) alignLongLabel(xp.getRangeAxis(i), xp.getOrientation() == PlotOrientation.HORIZONTAL);
                for (int i = 0; i < xp.getDomainAxisCount(); i++) alignLongLabel(xp.getDomainAxis(i), xp.getOrientation() == PlotOrientation.VERTICAL);
            }
        }
    }

    /**
     * A horizontal bar plot whose renderer writes its value labels at a fixed place beyond the bars'
     * ends (JFreeChart's BarRenderer; {@link FittingBarRenderer} places its own): the value axis's
     * margins grow until the widest label fits between a bar's end and the plot's edge at the phone's
     * width, as it did at the wide one's (the margins are shares of the axis, the labels are not).
     */
    private static void roomForBarLabels(CategoryPlot plot) {
        if (plot.getOrientation() != PlotOrientation.HORIZONTAL || !(plot.getRenderer() instanceof BarRenderer r)
                || r instanceof FittingBarRenderer || plot.getDataset() == null || !(plot.getRangeAxis() instanceof NumberAxis axis)) return;
        CategoryDataset data = plot.getDataset();
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            double label = 0, categories = 0;
            for (int row = 0; row < data.getRowCount(); row++) {
                for (int col = 0; col < data.getColumnCount(); col++) {
                    CategoryItemLabelGenerator gen = r.getItemLabelGenerator(row, col);
                    if (!r.isItemLabelVisible(row, col) || gen == null || data.getValue(row, col) == null) continue;
                    String text = gen.generateLabel(data, row, col);
                    if (text != null) label = Math.max(label, g.getFontMetrics(r.getItemLabelFont(row, col)).stringWidth(text));
                }
            }
            if (label == 0) return;
            CategoryAxis domain = plot.getDomainAxis();
            if (domain != null && domain.isVisible() && domain.isTickLabelsVisible()) {
                for (Object key : data.getColumnKeys()) categories = Math.max(categories, g.getFontMetrics(domain.getTickLabelFont()).stringWidth(key.toString()));
            }
            double content = PHONE_WIDTH - 32;   // the chart's padding and the plot's insets
            double ratio = domain != null && domain.getMaximumCategoryLabelWidthRatio() > 0 ? domain.getMaximumCategoryLabelWidthRatio() : 0.3;
            double dataWidth = content - Math.min(categories, ratio * content) - 12;
            double room = label + 12;            // the label and its offset from the bar
            if (dataWidth <= 2 * room) return;
            double margin = room / (dataWidth - 2 * room);
            if (margin > axis.getUpperMargin()) axis.setUpperMargin(margin);
            if (margin > axis.getLowerMargin()) axis.setLowerMargin(margin);
        } finally {
            g.dispose();
        }
    }

    /**
     * A horizontal axis's label wider than the phone's plot loses its parenthesis (the wide image and
     * the subtitle keep the detail), which JFreeChart would otherwise run out of the image; one still
     * wider than half the phone is aligned with the axis's right end.
     */
    private static void alignLongLabel(Axis axis, boolean horizontal) {
        if (axis == null || !horizontal || axis.getLabel() == null) return;
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        var metrics = g.getFontMetrics(axis.getLabelFont());
        g.dispose();
        String label = axis.getLabel();
        int paren = label.indexOf(" (");
        if (metrics.stringWidth(label) > PHONE_WIDTH - 80 && paren > 0) axis.setLabel(label = label.substring(0, paren));
        if (metrics.stringWidth(label) > PHONE_WIDTH / 2.0) axis.setLabelLocation(AxisLabelLocation.HIGH_END);
    }

    /** The chart's padding left and right. */
    private static double pad(JFreeChart chart) {
        return chart.getPadding().getLeft() + chart.getPadding().getRight();
    }

    /**
     * Category labels left of horizontal bars wrap at a share of the plot's width; on a phone a
     * word wider than that share ("computers_accessories", which has no space to wrap at) would be
     * broken inside or shortened to "...": the share grows to the widest word (at most half the
     * width). Returns how to undo it.
     */
    static List<Runnable> wholeWordsBesideBars(JFreeChart chart) {
        List<Runnable> undo = new ArrayList<>();
        List<Plot> plots = new ArrayList<>();
        collect(chart.getPlot(), plots);
        for (Plot p : plots) {
            if (!(p instanceof CategoryPlot cp) || cp.getOrientation() != PlotOrientation.HORIZONTAL) continue;
            CategoryAxis axis = cp.getDomainAxis();
            if (axis == null || !axis.isVisible() || !axis.isTickLabelsVisible()) continue;
            float was = axis.getMaximumCategoryLabelWidthRatio();
            double ratio = was > 0 ? was : 0.3;
            double needed = (widestWord(cp, axis) + 12) / (PHONE_WIDTH - 48);
            if (needed > ratio) {
                axis.setMaximumCategoryLabelWidthRatio((float) Math.min(0.5, needed));
                undo.add(() -> axis.setMaximumCategoryLabelWidthRatio(was));
            }
        }
        return undo;
    }

    /** The widest word (run of characters without a space) of the plot's category labels, in their tick font. */
    static double widestWord(CategoryPlot plot, CategoryAxis axis) {
        List<?> keys = plot.getCategories();
        if (keys == null) return 0;
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            double widest = 0;
            for (Object key : keys) {
                var metrics = g.getFontMetrics(axis.getTickLabelFont((Comparable<?>) key));
                for (String word : key.toString().split("\\s+")) widest = Math.max(widest, metrics.stringWidth(word));
            }
            return widest;
        } finally {
            g.dispose();
        }
    }

    /** About how wide a category of a vertical plot is at the phone's width (the value axis's ticks and the padding excluded). */
    private static double categorySlot(CategoryPlot plot, CategoryAxis axis) {
        List<?> keys = plot.getCategories();
        int n = keys == null ? 0 : keys.size();
        double share = 1 - axis.getLowerMargin() - axis.getUpperMargin() - (n > 1 ? axis.getCategoryMargin() : 0);
        return n == 0 ? Double.MAX_VALUE : (PHONE_WIDTH - 100.0) * share / n;
    }

    /** A plot and, for a combined plot, its subplots. */
    static void collect(Plot p, List<Plot> out) {
        if (p == null) return;
        out.add(p);
        if (p instanceof CombinedDomainCategoryPlot c) for (Object s : c.getSubplots()) collect((Plot) s, out);
        if (p instanceof CombinedRangeCategoryPlot c) for (Object s : c.getSubplots()) collect((Plot) s, out);
        if (p instanceof CombinedDomainXYPlot c) for (Object s : c.getSubplots()) collect((Plot) s, out);
        if (p instanceof CombinedRangeXYPlot c) for (Object s : c.getSubplots()) collect((Plot) s, out);
    }
}
