package io.ecombi.churn;

import io.ecombi.chart.ChartStyle;
import io.ecombi.kpi.KpiTable;
import io.ecombi.report.Formats;
import io.ecombi.report.Html;
import io.ecombi.run.PipelineRun;
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

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/** The churn model explained: model_results.txt, the importance and ROC charts, the dashboard section. */
final class ModelReport {
    static final String IMPORTANCE_PNG = "churn_feature_importance.png";
    static final String ROC_PNG = "churn_roc_curve.png";
    private static final Color[] ROC_COLOURS = {ChartStyle.BLUE, ChartStyle.GREY, ChartStyle.GREEN};

    private final PipelineRun run;
    private final ChurnModel m;
    private final String skipped;
    private final LocalDate cutoff;
    private final int windowDays;
    private final int minOrders;
    private final double winBackRate;
    private final double contactCost;
    private final String currency;

    ModelReport(PipelineRun run, ChurnModel model, String skipped, LocalDate cutoff, int windowDays, int minOrders,
                double winBackRate, double contactCost, String currency) {
        this.run = run;
        this.m = model;
        this.skipped = skipped;
        this.cutoff = cutoff;
        this.windowDays = windowDays;
        this.minOrders = minOrders;
        this.winBackRate = winBackRate;
        this.contactCost = contactCost;
        this.currency = currency;
    }

    String labelDefinition() {
        return String.format(Locale.US, "churned = no completed order between %s (exclusive) and %s (inclusive), among customers who by %s had "
                + "%d+ completed orders and one in the %d days before. Features use only data up to %s.", cutoff, run.asOf(), cutoff,
                minOrders, windowDays, cutoff);
    }

    double revenueAtRisk() {
        KpiTable t = run.kpi("revenue_at_risk");
        double sum = 0;
        if (t != null) for (int r = 0; r < t.rows().size(); r++) sum += t.number(r, "revenue_at_risk");
        return sum;
    }

    String text() {
        StringBuilder s = new StringBuilder();
        s.append("CHURN MODEL  run ").append(run.id()).append("  as of ").append(run.asOf()).append("\n\n");
        s.append("Question: which active customers will stop buying in the next ").append(windowDays).append(" days?\n");
        s.append("Label:    ").append(labelDefinition()).append("\n\n");
        if (m == null) {
            s.append("MODEL SKIPPED: ").append(skipped).append("\nThe KPI reports are complete; the churn model needs more history.\n");
            return s.toString();
        }
        Metrics lr = m.metrics("logistic"), rf = m.metrics("random forest"), zr = m.metrics("majority");
        s.append(String.format(Locale.US, "Training set: %,d customers active at the cutoff, %,d churned (base rate %.1f%%).%n",
                m.trainRows() + m.testRows(), Math.round(m.baseRate() * (m.trainRows() + m.testRows())), 100 * m.baseRate()));
        s.append(String.format(Locale.US, "Split:        stratified hold-out, %,d to train (%,d churned) and %,d to test (20%%).%n",
                m.trainRows(), m.trainPositives(), m.testRows()));
        s.append("Model:        Weka Logistic (ridge ").append(m.logistic().getRidge()).append(") on features standardized with the training part's mean and SD;\n")
                .append("              classes balanced by instance weights; fixed seed. Scores are corrected back to the base rate.\n");
        s.append(String.format(Locale.US, "Fit time:     %.2f s%n%n", m.trainSeconds()));

        s.append("HOLD-OUT RESULTS (").append(m.testRows()).append(" customers never seen in training)\n");
        s.append(String.format(Locale.US, "%-28s %8s %8s %8s %10s %8s %8s %10s %8s %8s%n", "model", "accuracy", "ROC AUC", "PR AUC",
                "prec churn", "rec churn", "F1 churn", "prec activ", "rec activ", "F1 activ"));
        for (Metrics x : m.holdOut()) {
            s.append(String.format(Locale.US, "%-28s %8.3f %8.3f %8.3f %10.3f %8.3f %8.3f %10.3f %8.3f %8.3f%n", x.model(), x.accuracy(), x.rocAuc(), x.prAuc(),
                    x.precisionChurned(), x.recallChurned(), x.f1Churned(), x.precisionActive(), x.recallActive(), x.f1Active()));
        }
        s.append(String.format(Locale.US, "Base rate (PR AUC of a random ranking): %.3f%n", m.baseRate()));
        s.append(String.format(Locale.US, "10-fold cross-validation on the training part (logistic): ROC AUC %.3f +/- %.3f%n",
                m.cvAucMean(), m.cvAucStdDev()));
        if (m.forestRows() < m.trainRows()) s.append(String.format(Locale.US, "(the forest was trained on a stratified sample of %,d rows)%n", m.forestRows()));
        s.append("\nConfusion matrix (logistic, probability >= 0.5 on the balanced model):\n");
        s.append(String.format(Locale.US, "%-16s %18s %18s%n", "", "predicted churned", "predicted active"));
        s.append(String.format(Locale.US, "%-16s %18d %18d%n", "actual churned", lr.truePositives(), lr.falseNegatives()));
        s.append(String.format(Locale.US, "%-16s %18d %18d%n%n", "actual active", lr.falsePositives(), lr.trueNegatives()));

        s.append("WHAT DRIVES CHURN (coefficient = change in churn log-odds per +1 standard deviation)\n");
        s.append(String.format(Locale.US, "%-26s %12s %12s %14s  %s%n", "feature", "coefficient", "odds ratio", "1 SD is", "effect"));
        for (ChurnModel.Term t : m.termsBySize()) {
            int j = m.features().indexOf(t.feature());
            s.append(String.format(Locale.US, "%-26s %+12.3f %12.3f %14.2f  %s%n", t.feature(), t.coefficient(), t.oddsRatio(), m.sd()[j],
                    Math.abs(t.coefficient()) < 0.05 ? "negligible" : t.coefficient() > 0 ? "raises churn" : "lowers churn"));
        }
        s.append("\nSCORES AS OF ").append(run.asOf()).append('\n');
        KpiTable bands = run.kpi("revenue_at_risk");
        if (bands != null) {
            for (int r = 0; r < bands.rows().size(); r++) {
                s.append(String.format(Locale.US, "  %-7s %,9d customers  average probability %.3f  revenue at risk %s%n", bands.value(r, "risk_band"),
                        (long) bands.number(r, "customers"), bands.number(r, "avg_probability"), Formats.money(currency, bands.number(r, "revenue_at_risk"))));
            }
        }
        s.append(String.format(Locale.US, "Total revenue at risk (probability x last-year net revenue): %s%n", Formats.money(currency, revenueAtRisk())));
        KpiTable targets = run.kpi("retention_targets");
        if (targets != null) {
            s.append(String.format(Locale.US, "Retention list: %,d customers in data/retention_targets.csv, ranked by expected value = probability x "
                    + "customer value x win-back rate (%.0f%%) - contact cost (%s).%n", targets.rowCount(), 100 * winBackRate, Formats.money(currency, contactCost)));
        }
        s.append("\nINTERPRETATION\n").append(interpretation(lr, rf, zr)).append('\n');
        return s.toString();
    }

    private String interpretation(Metrics lr, Metrics rf, Metrics zr) {
        List<ChurnModel.Term> terms = m.termsBySize();
        StringBuilder s = new StringBuilder();
        List<String> up = terms.stream().filter(t -> t.coefficient() >= 0.05).limit(3)
                .map(t -> String.format(Locale.US, "%s (odds x%.2f per SD)", t.feature(), t.oddsRatio())).toList();
        List<String> down = terms.stream().filter(t -> t.coefficient() <= -0.05).limit(3)
                .map(t -> String.format(Locale.US, "%s (odds x%.2f per SD)", t.feature(), t.oddsRatio())).toList();
        s.append("- Churn goes up with ").append(up.isEmpty() ? "no feature clearly" : String.join(", ", up)).append(".\n");
        s.append("- Churn goes down with ").append(down.isEmpty() ? "no feature clearly" : String.join(", ", down)).append(".\n");
        s.append(String.format(Locale.US, "- The logistic model ranks customers with ROC AUC %.3f against %.3f for the majority-class baseline "
                + "and %.3f for the random forest: %s%n", lr.rocAuc(), zr.rocAuc(), rf.rocAuc(),
                rf.rocAuc() - lr.rocAuc() > 0.02 ? "the forest finds structure the linear model misses; consider it, at the cost of explainability."
                        : lr.rocAuc() - zr.rocAuc() < 0.05 ? "little better than guessing: do not act on these scores."
                        : "it earns its place: as good as the forest and explainable."));
        s.append(String.format(Locale.US, "- At the 0.5 cut-off it finds %.0f%% of the customers who churn (recall) and %.0f%% of those it flags "
                + "do churn (precision), against a base rate of %.0f%%. A small retention budget should contact the top of the ranked list "
                + "(higher precision, lower recall); a larger one can go further down it (more churners reached, more contacts wasted). "
                + "The retention list already orders customers by expected value, so cut it where the budget ends.%n",
                100 * lr.recallChurned(), 100 * lr.precisionChurned(), 100 * m.baseRate()));
        return s.toString();
    }

    void charts(Path dir) throws IOException {
        if (m == null) return;
        write(importance(), dir.resolve(IMPORTANCE_PNG));
        write(roc(), dir.resolve(ROC_PNG));
    }

    private static void write(JFreeChart chart, Path file) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".part");
        ImageIO.write(chart.createBufferedImage(ChartStyle.WIDTH, ChartStyle.HEIGHT), "png", tmp.toFile());
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private JFreeChart importance() {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        List<ChurnModel.Term> terms = m.termsBySize();
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

    String html() throws IOException {
        StringBuilder h = new StringBuilder();
        h.append("<p>").append(Html.esc(labelDefinition())).append("</p>\n");
        if (m == null) {
            h.append("<p class=\"note\">Model skipped: ").append(Html.esc(skipped)).append("</p>\n");
            return h.toString();
        }
        h.append(String.format(Locale.US, "<p>Revenue at risk (probability × last-year net revenue): <b>%s</b>. Retention list: data/retention_targets.csv.</p>%n",
                Html.esc(Formats.money(currency, revenueAtRisk()))));
        h.append("<table><thead><tr><th>model (hold-out)</th><th>ROC AUC</th><th>PR AUC</th><th>accuracy</th><th>precision churned</th><th>recall churned</th><th>F1 churned</th></tr></thead><tbody>\n");
        for (Metrics x : m.holdOut()) {
            h.append(String.format(Locale.US, "<tr><td>%s</td><td class=\"num\">%.3f</td><td class=\"num\">%.3f</td><td class=\"num\">%.3f</td><td class=\"num\">%.3f</td><td class=\"num\">%.3f</td><td class=\"num\">%.3f</td></tr>%n",
                    Html.esc(x.model()), x.rocAuc(), x.prAuc(), x.accuracy(), x.precisionChurned(), x.recallChurned(), x.f1Churned()));
        }
        h.append(String.format(Locale.US, "</tbody></table><p class=\"muted\">Base rate %.1f%%; 10-fold CV AUC %.3f ± %.3f; %,d training and %,d hold-out customers.</p>%n",
                100 * m.baseRate(), m.cvAucMean(), m.cvAucStdDev(), m.trainRows(), m.testRows()));
        KpiTable bands = run.kpi("revenue_at_risk");
        if (bands != null) {
            h.append("<table><thead><tr><th>risk band</th><th>customers</th><th>avg probability</th><th>revenue at risk</th></tr></thead><tbody>\n");
            for (int r = 0; r < bands.rows().size(); r++) {
                h.append("<tr><td>").append(Html.esc(bands.value(r, "risk_band"))).append("</td><td class=\"num\">")
                        .append(Html.esc(Formats.cell("customers", bands.value(r, "customers"), currency))).append("</td><td class=\"num\">")
                        .append(String.format(Locale.US, "%.3f", bands.number(r, "avg_probability"))).append("</td><td class=\"num\">")
                        .append(Html.esc(Formats.money(currency, bands.number(r, "revenue_at_risk")))).append("</td></tr>\n");
            }
            h.append("</tbody></table>\n");
        }
        for (String png : List.of(IMPORTANCE_PNG, ROC_PNG)) {
            String alt = png.equals(IMPORTANCE_PNG) ? "Bar chart of standardized churn-model coefficients: " + m.termsBySize().stream().limit(3)
                    .map(t -> String.format(Locale.US, "%s %+.2f", t.feature(), t.coefficient())).toList()
                    : String.format(Locale.US, "ROC curves on the hold-out set: logistic AUC %.3f, random forest %.3f, majority %.3f",
                    m.metrics("logistic").rocAuc(), m.metrics("random forest").rocAuc(), m.metrics("majority").rocAuc());
            h.append("<figure><img src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(Files.readAllBytes(run.dir().resolve(png))))
                    .append("\" alt=\"").append(Html.esc(alt)).append("\" width=\"1200\" height=\"700\"></figure>\n");
        }
        h.append("<pre>").append(Html.esc(interpretation(m.metrics("logistic"), m.metrics("random forest"), m.metrics("majority")))).append("</pre>\n");
        return h.toString();
    }
}
