package io.ecombi.churn;

import io.ecombi.chart.ChartStyle;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The churn model's charts: what drives churn ({@link ModelReport#IMPORTANCE_PNG}) and the ROC curves on the hold-out ({@link ModelReport#ROC_PNG}). */
final class ModelCharts extends ModelView {
    private static final Color[] ROC_COLOURS = {ChartStyle.BLUE, ChartStyle.ORANGE, ChartStyle.GREY, ChartStyle.GREEN};

    ModelCharts(ModelReport report) {
        super(report);
    }

    /** The charts into dir: the ROC curves of a trained model, and what drives churn for a published one. */
    void write(Path dir) throws IOException {
        if (m == null) return;
        if (report.published() && !m.driversBySize().isEmpty()) write(importance(), dir.resolve(ModelReport.IMPORTANCE_PNG));
        write(roc(), dir.resolve(ModelReport.ROC_PNG));
    }

    private static void write(JFreeChart chart, Path file) throws IOException {
        io.ecombi.chart.ChartWriter.write(chart, file);
    }

    private JFreeChart importance() {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        // the stable coefficients only: an unstable one's size and sign are not its own
        List<ChurnModel.Term> terms = m.driversBySize();
        for (ChurnModel.Term t : terms) ds.addValue(t.coefficient(), "coefficient", t.feature());
        NumberAxis value = ChartStyle.axis("Change in churn log-odds per +1 SD (right: raises churn, left: lowers it)", new java.text.DecimalFormat("+0.00;-0.00"));
        CategoryPlot plot = new CategoryPlot(ds, new CategoryAxis(null), value, null);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        BarRenderer br = new BarRenderer() {
            @Override
            public java.awt.Paint getItemPaint(int row, int column) {
                return terms.get(column).coefficient() >= 0 ? ChartStyle.VERMILION : ChartStyle.GREEN;
            }
        };
        br.setDefaultItemLabelsVisible(true);
        br.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator() {
            @Override
            public String generateLabel(org.jfree.data.category.CategoryDataset d, int row, int column) {
                return String.format(Locale.US, "odds x%.2f", terms.get(column).oddsRatio());
            }
        });
        br.setDefaultItemLabelFont(ChartStyle.font(Font.PLAIN, 12));
        br.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
        br.setDefaultNegativeItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE9, TextAnchor.CENTER_RIGHT));
        plot.setRenderer(br);
        value.setUpperMargin(0.18);
        value.setLowerMargin(0.18);
        JFreeChart chart = new JFreeChart("What drives churn", ChartStyle.font(Font.BOLD, 26), plot, false);
        chart.addSubtitle(subtitle("Standardized logistic-regression coefficients, largest effect first; trained on " + String.format(Locale.US, "%,d", m.trainRows()) + " customers"));
        return ChartStyle.apply(chart);
    }

    private JFreeChart roc() {
        XYSeriesCollection ds = new XYSeriesCollection();
        for (Metrics x : m.holdOut()) {
            XYSeries s = new XYSeries(String.format(Locale.US, "%s (AUC %.3f)", x.model(), x.rocAuc()), false);
            s.add(0, 0);
            for (double[] p : x.roc()) s.add(p[0], p[1]);
            s.add(1, 1);
            ds.addSeries(s);
        }
        XYSeries chance = new XYSeries("chance (AUC 0.5)");
        chance.add(0, 0);
        chance.add(1, 1);
        ds.addSeries(chance);
        NumberAxis fpr = ChartStyle.axis("False positive rate (active customers flagged)", new java.text.DecimalFormat("0%"));
        NumberAxis tpr = ChartStyle.axis("True positive rate (churners found)", new java.text.DecimalFormat("0%"));
        fpr.setRange(0, 1);
        tpr.setRange(0, 1.02);
        XYPlot plot = new XYPlot(ds, fpr, tpr, null);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < m.holdOut().size(); i++) {
            r.setSeriesPaint(i, ROC_COLOURS[i % ROC_COLOURS.length]);
            r.setSeriesStroke(i, ChartStyle.LINE);
        }
        r.setSeriesPaint(m.holdOut().size(), ChartStyle.GREY);
        r.setSeriesStroke(m.holdOut().size(), ChartStyle.DASHED);
        plot.setRenderer(r);
        JFreeChart chart = new JFreeChart("Churn model ROC curve (hold-out set)", ChartStyle.font(Font.BOLD, 26), plot, true);
        chart.addSubtitle(subtitle(String.format(Locale.US, "%,d customers not used in training; base rate %.1f%%", m.testRows(), 100 * m.baseRate())));
        return ChartStyle.apply(chart);
    }

    private static TextTitle subtitle(String text) {
        TextTitle t = new TextTitle(text, ChartStyle.font(Font.PLAIN, 15));
        t.setPaint(ChartStyle.GREY.darker());
        return t;
    }
}
