package io.ecombi.churn;

import io.ecombi.chart.ChartStyle;
import io.ecombi.kpi.KpiTable;
import io.ecombi.chart.ChartFile;
import io.ecombi.report.Formats;
import io.ecombi.result.Column;
import io.ecombi.result.Finding;
import io.ecombi.result.Kind;
import io.ecombi.result.Table;
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

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * The churn model explained: model_results.txt, the importance and ROC charts, and the section's
 * result for the page and the other readers ({@link ModelSection}, no markup). It leads with the verdict and the cross-validated evidence; scores, bands, the list and
 * the money figure appear only for a published model, each with the period it covers.
 */
final class ModelReport {
    static final String IMPORTANCE_PNG = "churn_feature_importance.png";
    static final String ROC_PNG = "churn_roc_curve.png";
    /** The run result the page, the summary and later the e-mail and the API read this section from. */
    static final String SECTION_KEY = "model";
    /** The rows of the retention list the section shows; the whole list is in data/retention_targets.csv. */
    static final int CONTACT_FIRST = 10;
    private static final Color[] ROC_COLOURS = {ChartStyle.BLUE, ChartStyle.ORANGE, ChartStyle.GREY, ChartStyle.GREEN};

    private final PipelineRun run;
    private final ChurnModel m;
    private final TrainingData data;
    private final Evidence.Verdict verdict;
    private final Evidence.OutOfTime oot;
    private final String skipped;
    private final String ootSkipped;
    private final Evidence.Rules rules;
    private final LocalDate cutoff;
    private final int windowDays;
    private final int minOrders;
    private final double bandHigh;
    private final double bandMedium;
    private final double winBackRate;
    private final double contactCost;
    private final int topN;
    private final String currency;

    /** The report of a run's churn model; currency is the symbol money is shown with. */
    ModelReport(PipelineRun run, Outcome outcome, Policy policy, String currency) {
        this.run = run;
        this.m = outcome.model();
        this.data = outcome.data();
        this.verdict = outcome.verdict();
        this.oot = outcome.outOfTime();
        this.skipped = outcome.skipped();
        this.ootSkipped = outcome.outOfTimeSkipped();
        this.rules = policy.rules();
        this.cutoff = policy.cutoff(run.asOf());
        this.windowDays = policy.windowDays();
        this.minOrders = policy.minOrders();
        this.bandHigh = policy.bandHigh();
        this.bandMedium = policy.bandMedium();
        this.winBackRate = policy.winBackRate();
        this.contactCost = policy.contactCost();
        this.topN = policy.topN();
        this.currency = currency;
    }

    boolean published() {
        return m != null && verdict != null && verdict.published();
    }

    String labelDefinition() {
        return String.format(Locale.US, "churned = no completed purchase between %s (exclusive) and %s (inclusive), among customers who by %s had "
                + "%d+ completed orders and one in the %d days before. Features use only what was known on %s.", cutoff, run.asOf(), cutoff,
                minOrders, windowDays, cutoff);
    }

    LocalDate windowEnd() {
        return run.asOf().plusDays(windowDays);
    }

    double revenueAtRisk() {
        return sum("revenue_at_risk");
    }

    private double sum(String column) {
        KpiTable t = run.kpi("revenue_at_risk");
        double sum = 0;
        if (t != null) for (int r = 0; r < t.rows().size(); r++) sum += t.number(r, column);
        return sum;
    }

    /** The share of today's scored customers the published list holds: the list's rule applied to the hold-out uses the same share. */
    double listShare() {
        KpiTable targets = run.kpi("retention_targets");
        double scored = sum("customers");
        return targets == null || scored == 0 ? 0 : targets.rowCount() / scored;
    }

    /** The published bands and the list's rule on the hold-out customers. */
    List<Evidence.Hit> holdOutHits() {
        List<Evidence.Hit> hits = new java.util.ArrayList<>(Evidence.bands(m.holdOutProbability(), m.holdOutChurned(), bandHigh, bandMedium));
        if (run.kpi("retention_targets") != null) {
            double[] revenue = new double[m.holdOutRows().length];
            for (int t = 0; t < revenue.length; t++) revenue[t] = data.windowRevenue()[m.holdOutRows()[t]];
            hits.add(Evidence.list(m.holdOutProbability(), revenue, m.holdOutChurned(), winBackRate, contactCost, listShare()));
        }
        return hits;
    }

    List<Evidence.Hit> outOfTimeHits() {
        List<Evidence.Hit> hits = new java.util.ArrayList<>(Evidence.bands(oot.probability(), oot.churned(), bandHigh, bandMedium));
        if (run.kpi("retention_targets") != null) {
            hits.add(Evidence.list(oot.probability(), oot.windowRevenue(), oot.churned(), winBackRate, contactCost, listShare()));
        }
        return hits;
    }

    /** The churn rate of data/churn_rate.csv, when that KPI ran: the model's base rate must be it. */
    String churnRateLine() {
        KpiTable rate = run.kpi("churn_rate");
        if (rate == null || rate.rows().isEmpty()) return null;
        long population = (long) rate.number(0, "population"), churned = (long) rate.number(0, "churned");
        String line = String.format(Locale.US, "Churn rate: %s%% = %,d of the %,d customers active on %s did not buy by %s (data/churn_rate.csv: %s).",
                rate.value(0, "churn_rate_pct"), churned, population, rate.value(0, "window_start"),
                rate.value(0, "window_end"), rate.value(0, "definition"));
        long[] sampledFrom = (long[]) run.get(ChurnModelStep.SAMPLED_FROM_KEY);
        long size = sampledFrom != null ? sampledFrom[0] : data == null ? population : data.size();
        long positives = sampledFrom != null ? sampledFrom[1] : data == null ? churned : data.positives();
        if (population != size || churned != positives) {
            line += String.format(Locale.US, "%nWARNING: the training set (%,d customers, %,d churned) is not that population: "
                    + "sql/churn/features_as_of.sql and sql/kpi/churn_rate.sql no longer agree.", size, positives);
        }
        return line;
    }

    String text() {
        StringBuilder s = new StringBuilder();
        s.append("CHURN MODEL  run ").append(run.id()).append("  as of ").append(run.asOf()).append("\n\n");
        s.append("Question: which active customers will make no purchase in the next ").append(windowDays).append(" days, ")
                .append(run.asOf()).append(" (exclusive) to ").append(windowEnd()).append("?\n");
        s.append("Label:    ").append(labelDefinition()).append("\n");
        String rate = churnRateLine();
        if (rate != null) s.append(rate).append('\n');
        s.append('\n');
        if (m == null) {
            s.append("NO USABLE MODEL: ").append(skipped).append("\nNo scores, risk bands, retention list or revenue at risk are published for this run; "
                    + "the KPI reports are complete.\n");
            return s.toString();
        }
        if (published()) {
            s.append("VERDICT: PUBLISHED. The model beats its simple baselines: ").append(verdict.summary().substring("published: ".length())).append(".\n");
        } else {
            s.append("VERDICT: NO USABLE MODEL: ").append(skipped).append(".\nNo scores, risk bands, retention list or revenue at risk are published for this run; "
                    + "the evidence is below. Rules: CV AUC minus one fold SD above ").append(String.format(Locale.US, "%.2f", rules.minCvLowerBound()))
                    .append(", hold-out and out-of-time AUC at least ").append(String.format(Locale.US, "%.2f", rules.minHoldOutAuc()))
                    .append(", CV AUC at least ").append(String.format(Locale.US, "%.2f", rules.minGainOverRecency())).append(" above recency only (ecombi.churn.publish.*).\n");
        }
        s.append('\n');
        s.append(String.format(Locale.US, "HEADLINE: %d-fold cross-validated ROC AUC %.3f +/- %.3f (logistic regression, %d features; +/- = SD across folds)%n",
                m.cvAuc().length, m.cvAucMean(), m.cvAucStdDev(), m.features().size()));
        if (m.hasRecencyBaseline()) {
            s.append(String.format(Locale.US, "  recency only (days since last order), same folds: %.3f +/- %.3f; the model adds %+.3f%n",
                    m.cvRecencyAucMean(), m.cvRecencyAucStdDev(), m.cvGainOverRecency()));
        }
        s.append("  majority class: 0.500 (ranks nobody)\n\n");
        s.append(String.format(Locale.US, "Training set: %,d customers active at the cutoff, %,d churned (base rate %.1f%%).%n",
                m.trainRows() + m.testRows(), Math.round(m.baseRate() * (m.trainRows() + m.testRows())), 100 * m.baseRate()));
        long[] sampledFrom = (long[]) run.get(ChurnModelStep.SAMPLED_FROM_KEY);
        if (sampledFrom != null) {
            s.append(String.format(Locale.US, "Sample:       fitted and evaluated on a stratified random sample of %,d of the %,d customers (same churn share; "
                    + "ecombi.churn.max-training-rows); the churn rate above and the scores cover every customer.%n", m.trainRows() + m.testRows(), sampledFrom[0]));
        }
        s.append(String.format(Locale.US, "Split:        stratified hold-out, %,d to train (%,d churned) and %,d to test (20%%); cross-validation on the training part.%n",
                m.trainRows(), m.trainPositives(), m.testRows()));
        s.append("Model:        Weka Logistic (ridge ").append(m.logistic().getRidge()).append(") on features standardized with the training part's mean and SD;\n")
                .append("              classes balanced by instance weights; fixed seed. Scores are corrected back to the base rate.\n")
                .append("Features:     ").append(String.join(", ", m.features())).append(".\n")
                .append("              Left out: order status (Returned) and ticket resolution, current values with no date: as of the cutoff they\n")
                .append("              would tell the model what happened after it.\n");
        s.append(String.format(Locale.US, "Fit time:     logistic %.2f s; %s on %,d rows %.2f s%n%n", m.trainSeconds(), m.metrics("random forest").model(),
                m.forestRows(), m.forestSeconds()));

        s.append("HOLD-OUT RESULTS (one split: ").append(m.testRows()).append(" customers never seen in training)\n");
        s.append(String.format(Locale.US, "%-38s %8s %8s%n", "model", "ROC AUC", "PR AUC"));
        for (Metrics x : m.holdOut()) s.append(String.format(Locale.US, "%-38s %8.3f %8.3f%n", x.model(), x.rocAuc(), x.prAuc()));
        s.append(String.format(Locale.US, "Base rate (PR AUC of a random ranking): %.3f%n%n", m.baseRate()));

        s.append(published() ? "PUBLISHED BANDS AND LIST ON THE HOLD-OUT" : "BANDS AND LIST ON THE HOLD-OUT (not published: no usable model)")
                .append(" (the base-rate probability the bands are cut from; lift 1 = random)\n");
        hits(s, holdOutHits());
        s.append('\n');
        s.append("OUT-OF-TIME CHECK\n");
        if (oot == null) {
            s.append("  not possible: ").append(ootSkipped).append('\n');
        } else {
            s.append(String.format(Locale.US, "  A model fitted as of %s on %,d customers (labels to %s, all known by %s) scored the %,d customers active on %s;%n"
                            + "  compared with what they did by %s: ROC AUC %.3f%s.%n", oot.trainedOn(), oot.trainRows(), oot.scoredOn(), oot.scoredOn(),
                    oot.scoredRows(), oot.scoredOn(), oot.outcomeBy(), oot.auc(),
                    Double.isNaN(oot.recencyAuc()) ? "" : String.format(Locale.US, " (recency only %.3f)", oot.recencyAuc())));
            hits(s, outOfTimeHits());
        }
        s.append('\n');
        if (!published()) return s.toString();

        s.append("WHAT DRIVES CHURN (coefficient = change in churn log-odds per +1 standard deviation)\n");
        s.append(String.format(Locale.US, "%-26s %12s %12s %14s  %s%n", "feature", "coefficient", "odds ratio", "1 SD is", "effect"));
        for (ChurnModel.Term t : m.termsBySize()) {
            int j = m.features().indexOf(t.feature());
            s.append(String.format(Locale.US, "%-26s %+12.3f %12.3f %14.2f  %s%n", t.feature(), t.coefficient(), t.oddsRatio(), m.sd()[j],
                    Math.abs(t.coefficient()) < 0.05 ? "negligible" : t.coefficient() > 0 ? "raises churn" : "lowers churn"));
        }
        s.append("\nSCORES AS OF ").append(run.asOf()).append(": churn probability over ").append(run.asOf()).append(" to ").append(windowEnd())
                .append(String.format(Locale.US, "; bands high >= %.2f, medium >= %.2f%n", bandHigh, bandMedium));
        KpiTable bands = run.kpi("revenue_at_risk");
        if (bands != null) {
            for (int r = 0; r < bands.rows().size(); r++) {
                s.append(String.format(Locale.US, "  %-7s %,9d customers  average probability %.3f  expected net revenue %s  at risk %s%n", bands.value(r, "risk_band"),
                        (long) bands.number(r, "customers"), bands.number(r, "avg_probability"), Formats.money(currency, bands.number(r, "expected_net_revenue")),
                        Formats.money(currency, bands.number(r, "revenue_at_risk"))));
            }
        }
        s.append(String.format(Locale.US, "Revenue at risk in the %d days to %s: %s of the %s net revenue the scored customers would bring at their past pace%n"
                        + "(per customer: churn probability x net revenue of the last 365 days, or of their history if shorter, per day x %d).%n",
                windowDays, windowEnd(), Formats.money(currency, revenueAtRisk()), Formats.money(currency, sum("expected_net_revenue")), windowDays));
        KpiTable targets = run.kpi("retention_targets");
        if (targets != null) {
            s.append(String.format(Locale.US, "Retention list: %,d customers (at most %,d) in data/retention_targets.csv, ranked by expected value = probability x "
                    + "expected net revenue in the window x win-back rate (%.0f%%) - contact cost (%s).%n", targets.rowCount(), topN, 100 * winBackRate,
                    Formats.money(currency, contactCost)));
        }
        s.append("\nINTERPRETATION\n").append(interpretation()).append('\n');
        return s.toString();
    }

    private static void hits(StringBuilder s, List<Evidence.Hit> hits) {
        s.append(String.format(Locale.US, "  %-34s %9s %7s %9s %9s %7s %6s%n", "selection", "customers", "share", "churners", "precision", "recall", "lift"));
        for (Evidence.Hit h : hits) {
            s.append(String.format(Locale.US, "  %-34s %,9d %6.1f%% %,9d %9s %7s %6s%n", h.selection(), h.customers(), 100 * h.share(), h.churners(),
                    ratio(h.precision()), ratio(h.recall()), Double.isNaN(h.lift()) ? "-" : String.format(Locale.US, "%.2f", h.lift())));
        }
    }

    private static String ratio(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.US, "%.3f", v);
    }

    /** The interpretation as model_results.txt writes it. */
    private String interpretation() {
        return interpretation(false);
    }

    /**
     * What the model says, a Markdown list: the drivers, the evaluation in a sentence, what the
     * bands and the list catch on the hold-out. For the page (page = true) every figure is written
     * by Formats, as in the section's other sentences; model_results.txt keeps its own layout.
     */
    private String interpretation(boolean page) {
        List<ChurnModel.Term> terms = m.termsBySize();
        StringBuilder s = new StringBuilder();
        java.util.function.Function<ChurnModel.Term, String> odds = t -> page ? t.feature() + " (odds ×" + num(t.oddsRatio()) + " per SD)"
                : String.format(Locale.US, "%s (odds x%.2f per SD)", t.feature(), t.oddsRatio());
        List<String> up = terms.stream().filter(t -> t.coefficient() >= 0.05).limit(3).map(odds).toList();
        List<String> down = terms.stream().filter(t -> t.coefficient() <= -0.05).limit(3).map(odds).toList();
        s.append("- Churn goes up with ").append(up.isEmpty() ? "no feature clearly" : String.join(", ", up)).append(".\n");
        s.append("- Churn goes down with ").append(down.isEmpty() ? "no feature clearly" : String.join(", ", down)).append(".\n");
        Metrics lr = m.metrics("logistic"), rf = m.metrics("random forest");
        String verdict = rf.rocAuc() - lr.rocAuc() > 0.02 ? "the forest finds structure the linear model misses; consider it, at the cost of explainability."
                : lr.rocAuc() - rf.rocAuc() > 0.02 ? "the forest does worse; the linear model is kept, and it is explainable."
                : "the forest does no better (within 0.02); the linear model is kept, and it is explainable.";
        if (page) {
            s.append("- Cross-validated, the model ranks churners with AUC ").append(num(m.cvAucMean())).append(" ± ").append(num(m.cvAucStdDev()))
                    .append(m.hasRecencyBaseline() ? ", " + signed(m.cvGainOverRecency()) + " over ranking by days since the last order alone" : "")
                    .append(". On the one hold-out split it scores ").append(num(lr.rocAuc())).append(" against ").append(num(rf.rocAuc()))
                    .append(" for a random forest of ").append(count(m.forestTrees())).append(" trees: ").append(verdict).append('\n');
        } else {
            s.append(String.format(Locale.US, "- Cross-validated, the model ranks churners with AUC %.3f +/- %.3f%s. On the one hold-out split it scores %.3f "
                            + "against %.3f for a random forest of %d trees: %s%n", m.cvAucMean(), m.cvAucStdDev(),
                    m.hasRecencyBaseline() ? String.format(Locale.US, ", %+.3f over ranking by days since the last order alone", m.cvGainOverRecency()) : "",
                    lr.rocAuc(), rf.rocAuc(), m.forestTrees(), verdict));
        }
        List<Evidence.Hit> h = holdOutHits();
        Evidence.Hit high = h.get(0), both = h.get(1);
        if (page) {
            s.append("- On the hold-out the published \"high\" band flags ").append(pct(high.share())).append(" of customers and catches ")
                    .append(pct(nz(high.recall()))).append(" of the churners at ").append(pct(nz(high.precision()))).append(" precision; high and medium together catch ")
                    .append(pct(nz(both.recall()))).append(" at ").append(pct(nz(both.precision()))).append(" precision, against a base rate of ")
                    .append(pct(m.baseRate())).append('.');
        } else {
            s.append(String.format(Locale.US, "- On the hold-out the published \"high\" band flags %.1f%% of customers and catches %.0f%% of the churners at %.0f%% "
                            + "precision; high and medium together catch %.0f%% at %.0f%% precision, against a base rate of %.0f%%.",
                    100 * high.share(), 100 * nz(high.recall()), 100 * nz(high.precision()), 100 * nz(both.recall()), 100 * nz(both.precision()), 100 * m.baseRate()));
        }
        if (h.size() > 2) {
            Evidence.Hit list = h.get(2);
            String rule = " precision: it is ranked by expected value, not by probability alone, so it favours valuable customers over likely churners; "
                    + "cut it where the budget ends.";
            s.append(page ? " The retention list's rule reaches " + pct(nz(list.recall())) + " of the churners at " + pct(nz(list.precision())) + rule
                    : String.format(Locale.US, " The retention list's rule reaches %.0f%% of the churners at %.0f%%", 100 * nz(list.recall()),
                    100 * nz(list.precision())) + rule);
        }
        s.append('\n');
        return s.toString();
    }

    private static double nz(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    void charts(Path dir) throws IOException {
        if (m == null) return;
        if (published()) write(importance(), dir.resolve(IMPORTANCE_PNG));
        write(roc(), dir.resolve(ROC_PNG));
    }

    private static void write(JFreeChart chart, Path file) throws IOException {
        io.ecombi.chart.ChartWriter.write(chart, file);
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

    /**
     * The section as data: the answer first (is there a usable model; revenue at risk; whom to
     * contact), then what drives churn, then the evaluation. Every figure in a sentence is written by
     * Formats, in the run's currency.
     */
    ModelSection section() {
        String question = "Which active customers will make no purchase in the next " + count(windowDays) + " days, " + run.asOf()
                + " (exclusive) to " + windowEnd() + "?";
        List<Finding> warnings = new java.util.ArrayList<>();
        String churnRate = churnRateSentence(warnings);
        String noAdvice = ". No scores, risk bands, retention list or revenue at risk are published for this run.";
        if (m == null) {
            return new ModelSection(question, false, "No usable model: " + skipped + noAdvice, warnings, null, null, null, null, null, null, null,
                    labelDefinition(), churnRate, null, null, null, null, null, null, null);
        }
        String verdictLine = published() ? usable() : "No usable model: " + String.join("; ", reasons()) + noAdvice + " What was checked is below.";
        String revenue = null, basis = null, contact = null;
        Table bands = null, contactFirst = null;
        ChartFile drivers = null;
        String interpretation = null;
        if (published()) {
            KpiTable risk = run.kpi("revenue_at_risk");
            if (risk != null) {
                revenue = "Revenue at risk in the next " + count(windowDays) + " days, to " + windowEnd() + ": " + money(revenueAtRisk()) + " of the "
                        + money(sum("expected_net_revenue")) + " net revenue the " + count(Math.round(sum("customers")))
                        + " scored customers would bring at their past pace.";
                basis = "Per customer: churn probability × net revenue per day of the last 365 days (or of their history, if shorter) × "
                        + count(windowDays) + ".";
                bands = bands(risk);
            }
            contact = contact(risk);
            contactFirst = contactFirst();
            List<ChurnModel.Term> top = m.termsBySize().stream().limit(3).toList();
            drivers = new ChartFile(run.dir().resolve(IMPORTANCE_PNG), "What drives churn", null, "Bar chart of standardized churn-model coefficients, "
                    + "largest first: " + String.join(", ", top.stream().map(t -> t.feature() + " " + signed(t.coefficient())).toList()));
            interpretation = interpretation(true);
        }
        String evaluation = count(m.cvAuc().length) + "-fold cross-validated ROC AUC " + num(m.cvAucMean()) + " ± " + num(m.cvAucStdDev())
                + " (logistic regression, " + count(m.features().size()) + " features; ± is the SD across folds)"
                + (m.hasRecencyBaseline() ? "; recency only (days since the last order), same folds: " + num(m.cvRecencyAucMean()) + " ± "
                + num(m.cvRecencyAucStdDev()) : "") + "; majority class " + num(0.5) + " (ranks nobody).";
        long[] sampledFrom = (long[]) run.get(ChurnModelStep.SAMPLED_FROM_KEY);
        String holdOutNote = "Base rate " + pct(m.baseRate()) + " (the PR AUC of a random ranking); " + count(m.trainRows()) + " training and "
                + count(m.testRows()) + " hold-out customers" + (sampledFrom == null ? "" : ", a stratified sample of the " + count(sampledFrom[0])
                + " customers (ecombi.churn.max-training-rows)") + ".";
        List<Column> metrics = List.of(Column.text("model"), Column.number("roc_auc"), Column.number("pr_auc"));
        List<List<Object>> rows = new java.util.ArrayList<>();
        for (Metrics x : m.holdOut()) rows.add(List.of(x.model(), x.rocAuc(), x.prAuc()));
        Table holdOut = Table.of("churn_model_hold_out", "Models on the hold-out: " + count(m.testRows()) + " customers never seen in training",
                metrics, rows, "model/churn_model.json");
        Table holdOutHits = hits("churn_hold_out_hits", (published() ? "Published bands and list" : "Bands and list (not published)")
                + " on the hold-out: what they catch", holdOutHits());
        String outOfTime;
        Table outOfTimeHits = null;
        if (oot == null) {
            outOfTime = "Out-of-time check not possible: " + ootSkipped + ".";
        } else {
            outOfTime = "Out of time: a model fitted as of " + oot.trainedOn() + " on " + count(oot.trainRows()) + " customers scored the "
                    + count(oot.scoredRows()) + " customers active on " + oot.scoredOn() + "; against what they did by " + oot.outcomeBy() + ", ROC AUC "
                    + num(oot.auc()) + (Double.isNaN(oot.recencyAuc()) ? "" : " (recency only " + num(oot.recencyAuc()) + ")") + ".";
            outOfTimeHits = hits("churn_out_of_time_hits", "Bands and list out of time: scored " + oot.scoredOn() + ", outcome by " + oot.outcomeBy(),
                    outOfTimeHits());
        }
        ChartFile roc = new ChartFile(run.dir().resolve(ROC_PNG), "Churn model ROC curve (hold-out set)", null, "ROC curves on the hold-out set: "
                + String.join(", ", m.holdOut().stream().map(x -> x.model() + " AUC " + num(x.rocAuc())).toList()));
        return new ModelSection(question, published(), verdictLine, warnings, revenue, basis, bands, contact, contactFirst, drivers, interpretation,
                labelDefinition(), churnRate, evaluation, holdOut, holdOutNote, holdOutHits, outOfTime, outOfTimeHits, roc);
    }

    /** A published model in a sentence: how well it ranks, against chance and recency, and that it held on unseen customers. */
    private String usable() {
        StringBuilder s = new StringBuilder("The model is usable: cross-validated, it ranks churners with AUC ").append(num(m.cvAucMean())).append(" ± ")
                .append(num(m.cvAucStdDev())).append(" (").append(num(0.5)).append(" is chance");
        if (m.hasRecencyBaseline()) s.append(", ").append(signed(m.cvGainOverRecency())).append(" over days since the last order alone");
        s.append("); on customers it never saw, AUC ").append(num(m.metrics("logistic").rocAuc()));
        if (oot != null) s.append("; fitted one window earlier, AUC ").append(num(oot.auc())).append(" on what customers did next");
        return s.append('.').toString();
    }

    /** Why no model is published, a phrase per failed check, in words a marketer reads. */
    private List<String> reasons() {
        List<String> out = new java.util.ArrayList<>();
        for (Evidence.Check c : verdict.failed()) {
            out.add(switch (c.name()) {
                case "cross-validation" -> "cross-validated, it ranks churners with AUC " + num(m.cvAucMean()) + " ± " + num(m.cvAucStdDev())
                        + ", not clearly above " + num(rules.minCvLowerBound()) + (rules.minCvLowerBound() == 0.5 ? " (chance)" : "");
                case "hold-out" -> "on " + count(m.testRows()) + " customers it never saw, its AUC " + num(m.metrics("logistic").rocAuc()) + " is below "
                        + num(rules.minHoldOutAuc());
                case "recency baseline" -> m.cvGainOverRecency() < 0
                        ? "it ranks churners worse than days since the last order alone (AUC " + num(m.cvAucMean()) + " against "
                        + num(m.cvRecencyAucMean()) + ")"
                        : "it ranks churners only " + signed(m.cvGainOverRecency()) + " AUC better than days since the last order alone ("
                        + signed(rules.minGainOverRecency()) + " needed)";
                case "out of time" -> "fitted one window earlier, its AUC on what customers did next is " + num(oot.auc()) + ", below "
                        + num(rules.minHoldOutAuc());
                default -> c.figures();
            });
        }
        return out;
    }

    /** The churn rate of data/churn_rate.csv in a sentence; a training set that is not that population adds a warning. */
    private String churnRateSentence(List<Finding> warnings) {
        KpiTable rate = run.kpi("churn_rate");
        if (rate == null || rate.rows().isEmpty()) return null;
        long population = (long) rate.number(0, "population"), churned = (long) rate.number(0, "churned");
        long[] sampledFrom = (long[]) run.get(ChurnModelStep.SAMPLED_FROM_KEY);
        long size = sampledFrom != null ? sampledFrom[0] : data == null ? population : data.size();
        long positives = sampledFrom != null ? sampledFrom[1] : data == null ? churned : data.positives();
        if (population != size || churned != positives) {
            warnings.add(new Finding("warn", "The training set (" + count(size) + " customers, " + count(positives) + " churned) is not the churn rate's population ("
                    + count(population) + ", " + count(churned) + " churned): sql/churn/features_as_of.sql and sql/kpi/churn_rate.sql no longer agree.",
                    "data/churn_rate.csv"));
        }
        return "Churn rate: " + Formats.value(Kind.PERCENT, rate.value(0, "churn_rate_pct"), currency, false) + " = " + count(churned) + " of the "
                + count(population) + " customers active on " + rate.value(0, "window_start") + " did not buy by " + rate.value(0, "window_end")
                + ": the customers the model learns from (data/churn_rate.csv).";
    }

    /** Whom to contact: the customers per band, and the retention list's rule and file. */
    private String contact(KpiTable risk) {
        StringBuilder s = new StringBuilder("Whom to contact: ");
        List<String> parts = new java.util.ArrayList<>();
        if (risk != null) {
            for (String[] band : new String[][]{{"high", num(bandHigh)}, {"medium", num(bandMedium)}}) {
                long n = 0;
                for (int r = 0; r < risk.rows().size(); r++) if (band[0].equals(String.valueOf(risk.value(r, "risk_band")))) n += (long) risk.number(r, "customers");
                parts.add(count(n) + " customers at " + band[0] + " risk (churn probability " + band[1] + " or more)");
            }
        }
        s.append(parts.isEmpty() ? "the scored customers" : String.join(" and ", parts)).append('.');
        KpiTable targets = run.kpi("retention_targets");
        if (targets != null) {
            // the list is cut at topN; shorter, it holds every customer whose contact is worth more than it costs
            s.append(" The retention list holds the ").append(count(targets.rowCount())).append(" customers ")
                    .append(targets.rowCount() >= topN ? "with the highest expected value of a contact (at most " + count(topN) + ", ecombi.churn.retention-top-n)"
                            : "whose contact is worth more than it costs")
                    .append(": churn probability × expected net revenue × win-back rate ").append(pct(winBackRate)).append(" − contact cost ")
                    .append(money(contactCost)).append(". It favours valuable customers, so some are in a lower band. All of them: data/retention_targets.csv.");
        }
        return s.toString();
    }

    /** The risk bands of data/revenue_at_risk.csv, high first. */
    private Table bands(KpiTable risk) {
        List<Column> cols = List.of(Column.text("risk_band"), Column.count("customers"), Column.number("avg_probability"),
                Column.money("expected_net_revenue"), Column.money("revenue_at_risk"));
        List<List<Object>> rows = new java.util.ArrayList<>();
        for (int r = 0; r < risk.rows().size(); r++) {
            List<Object> row = new java.util.ArrayList<>();
            for (Column c : cols) row.add(risk.value(r, c.key()));
            rows.add(row);
        }
        return new Table("revenue_at_risk", "Risk bands: the next " + count(windowDays) + " days, to " + windowEnd(), cols, rows, risk.rowCount(),
                csv(risk));
    }

    /** The top of the retention list, the customers worth a contact first. */
    private Table contactFirst() {
        KpiTable t = run.kpi("retention_targets");
        if (t == null || t.rowCount() == 0) return null;
        List<Column> cols = List.of(Column.text("customer_id"), Column.text("risk_band"), Column.number("churn_probability"),
                Column.money("expected_net_revenue"), Column.money("revenue_at_risk"), Column.money("expected_value"));
        List<List<Object>> rows = new java.util.ArrayList<>();
        for (int r = 0; r < Math.min(CONTACT_FIRST, t.rows().size()); r++) {
            List<Object> row = new java.util.ArrayList<>();
            for (Column c : cols) row.add(t.value(r, c.key()));
            rows.add(row);
        }
        return new Table("retention_targets", "Contact first: the top of the retention list", cols, rows, t.rowCount(), csv(t));
    }

    private static String csv(KpiTable t) {
        return t.csv() == null ? null : "data/" + t.csv().getFileName();
    }

    /** What the bands and the list catch among customers whose outcome is known. */
    private static Table hits(String name, String title, List<Evidence.Hit> hits) {
        List<Column> cols = List.of(Column.text("selection"), Column.count("customers"), Column.percent("share_pct"), Column.count("churners"),
                Column.percent("precision_pct"), Column.percent("recall_pct"), Column.number("lift"));
        List<List<Object>> rows = new java.util.ArrayList<>();
        for (Evidence.Hit h : hits) {
            rows.add(java.util.Arrays.asList(h.selection(), h.customers(), percent(h.share()), h.churners(), percent(h.precision()),
                    percent(h.recall()), Double.isNaN(h.lift()) ? null : h.lift()));
        }
        return Table.of(name, title, cols, rows, "model_results.txt");   // the text report has the same tables
    }

    /** A share as a percent column holds it (0.25 -> 25.0); none when it is not defined. */
    private static Double percent(double share) {
        return Double.isNaN(share) ? null : 100 * share;
    }

    private String count(long n) {
        return Formats.value(Kind.COUNT, n, currency, true);
    }

    private String num(double v) {
        return Formats.value(Kind.NUMBER, v, currency, false);
    }

    /** A change, with its sign: +0.05, -0.012. */
    private String signed(double v) {
        return (v >= 0 ? "+" : "") + num(v);
    }

    private String pct(double share) {
        return Formats.value(Kind.PERCENT, 100 * share, currency, false);
    }

    private String money(double v) {
        return Formats.money(currency, v);
    }
}
