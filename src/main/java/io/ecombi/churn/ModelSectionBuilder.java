package io.ecombi.churn;

import io.ecombi.chart.ChartFile;
import io.ecombi.kpi.KpiTable;
import io.ecombi.report.Formats;
import io.ecombi.result.Column;
import io.ecombi.result.Finding;
import io.ecombi.result.Kind;
import io.ecombi.result.Table;

import java.util.List;

/**
 * The churn model's section ({@link ModelSection}) for the page and the other readers: sentences
 * whose figures {@link Figures} writes in the run's currency, the result tables and the charts it
 * shows; no markup.
 */
final class ModelSectionBuilder extends ModelView {
    /** The rows of the retention list the section shows; the whole list is in data/retention_targets.csv. */
    static final int CONTACT_FIRST = 10;

    ModelSectionBuilder(ModelReport report) {
        super(report);
    }

    /**
     * The section as data: the answer first (is there a usable model; revenue at risk; whom to
     * contact), then what drives churn, then the evaluation. Every figure in a sentence is written by
     * Formats, in the run's currency.
     */
    ModelSection section() {
        String question = "Which active customers will make no purchase in the next " + figures.count(policy.windowDays()) + " days, " + run.asOf()
                + " (exclusive) to " + report.windowEnd() + "?";
        List<Finding> warnings = new java.util.ArrayList<>();
        String churnRate = churnRateSentence(warnings);
        if (run.get(ChurnModelStep.DRIFT_KEY) instanceof DriftCheck drift) warnings.addAll(drift.findings());
        String noAdvice = ". No scores, risk bands, retention list or revenue at risk are published for this run.";
        if (m == null) {
            return new ModelSection(question, false, "No usable model: " + outcome.skipped() + noAdvice, warnings, null, null, null, null, null, null, null,
                    report.labelDefinition(), churnRate, null, null, null, null, null, null, null);
        }
        String verdictLine = report.published() ? usable() : "No usable model: " + String.join("; ", reasons()) + noAdvice + " What was checked is below.";
        String revenue = null, basis = null, contact = null;
        Table bands = null, contactFirst = null;
        ChartFile drivers = null;
        String interpretation = null;
        if (report.published()) {
            KpiTable risk = run.kpi("revenue_at_risk");
            if (risk != null) {
                revenue = "Revenue at risk in the next " + figures.count(policy.windowDays()) + " days, to " + report.windowEnd() + ": " + figures.money(report.revenueAtRisk()) + " of the "
                        + figures.money(report.sum("expected_net_revenue")) + " net revenue the " + figures.count(Math.round(report.sum("customers")))
                        + " scored customers would bring at their past pace.";
                basis = "Per customer: churn probability × net revenue per day of the last 365 days (or of their history, if shorter) × "
                        + figures.count(policy.windowDays()) + ".";
                bands = bands(risk);
            }
            contact = contact(risk);
            contactFirst = contactFirst();
            List<ChurnModel.Term> top = m.driversBySize().stream().limit(3).toList();
            if (!top.isEmpty()) drivers = new ChartFile(run.dir().resolve(ModelReport.IMPORTANCE_PNG), "What drives churn", null, "Bar chart of standardized churn-model coefficients, "
                    + "largest first: " + String.join(", ", top.stream().map(t -> t.feature() + " " + figures.signed(t.coefficient())).toList()));
            interpretation = new Interpretation(report).page();
        }
        double[] repeats = m.cvRepeatMeans();
        String evaluation = "Cross-validated ROC AUC " + figures.num(m.cvAucMean()) + " ± " + figures.num(m.cvAucStdDev())
                + " (logistic regression, " + figures.count(m.features().size()) + " features; " + figures.count(m.cvFolds()) + "-fold cross-validation"
                + (m.cvRepeats() == 1 ? ", ± is the SD across folds)" : " on " + figures.count(m.cvRepeats()) + " different splits, ± is the SD across its "
                + figures.count(m.cvAuc().length) + " folds; each split's mean " + figures.num(java.util.Arrays.stream(repeats).min().orElse(Double.NaN)) + " to "
                + figures.num(java.util.Arrays.stream(repeats).max().orElse(Double.NaN)) + ")")
                + (report.dropped().isEmpty() ? "" : "; left out, no information: " + String.join(", ", report.dropped()))
                + (m.hasRecencyBaseline() ? "; recency only (days since the last order), same folds: " + figures.num(m.cvRecencyAucMean()) + " ± "
                + figures.num(m.cvRecencyAucStdDev()) : "") + "; majority class " + figures.num(0.5) + " (ranks nobody).";
        long[] sampledFrom = report.sampledFrom();
        String holdOutNote = "Base rate " + figures.pct(m.baseRate()) + " (the PR AUC of a random ranking); " + figures.count(m.trainRows()) + " training and "
                + figures.count(m.testRows()) + " hold-out customers" + (sampledFrom == null ? "" : ", a stratified sample of the " + figures.count(sampledFrom[0])
                + " customers (ecombi.churn.max-training-rows)") + ".";
        List<Column> metrics = List.of(Column.text("model"), Column.number("roc_auc"), Column.number("pr_auc"));
        List<List<Object>> rows = new java.util.ArrayList<>();
        for (Metrics x : m.holdOut()) rows.add(List.of(x.model(), x.rocAuc(), x.prAuc()));
        Table holdOut = Table.of("churn_model_hold_out", "Models on the hold-out: " + figures.count(m.testRows()) + " customers never seen in training",
                metrics, rows, "model/churn_model.json");
        Table holdOutHits = hits("churn_hold_out_hits", (report.published() ? "Published bands and list" : "Bands and list (not published)")
                + " on the hold-out: what they catch", report.holdOutHits());
        String outOfTime;
        Table outOfTimeHits = null;
        if (oot == null) {
            outOfTime = "Out-of-time check not possible: " + outcome.outOfTimeSkipped() + ".";
        } else {
            outOfTime = "Out of time: a model fitted as of " + oot.trainedOn() + " on " + figures.count(oot.trainRows()) + " customers scored the "
                    + figures.count(oot.scoredRows()) + " customers active on " + oot.scoredOn() + "; against what they did by " + oot.outcomeBy() + ", ROC AUC "
                    + figures.num(oot.auc()) + (Double.isNaN(oot.recencyAuc()) ? "" : " (recency only " + figures.num(oot.recencyAuc()) + ")") + ".";
            outOfTimeHits = hits("churn_out_of_time_hits", "Bands and list out of time: scored " + oot.scoredOn() + ", outcome by " + oot.outcomeBy(),
                    report.outOfTimeHits());
        }
        ChartFile roc = new ChartFile(run.dir().resolve(ModelReport.ROC_PNG), "Churn model ROC curve (hold-out set)", null, "ROC curves on the hold-out set: "
                + String.join(", ", m.holdOut().stream().map(x -> x.model() + " AUC " + figures.num(x.rocAuc())).toList()));
        return new ModelSection(question, report.published(), verdictLine, warnings, revenue, basis, bands, contact, contactFirst, drivers, interpretation,
                report.labelDefinition(), churnRate, evaluation, holdOut, holdOutNote, holdOutHits, outOfTime, outOfTimeHits, roc);
    }

    /** A published model in a sentence: how well it ranks, against chance and recency, and that it held on unseen customers. */
    private String usable() {
        StringBuilder s = new StringBuilder("The model is usable: cross-validated, it ranks churners with AUC ").append(figures.num(m.cvAucMean())).append(" ± ")
                .append(figures.num(m.cvAucStdDev())).append(" (").append(figures.num(0.5)).append(" is chance");
        if (m.hasRecencyBaseline()) s.append(", ").append(figures.signed(m.cvGainOverRecency())).append(" over days since the last order alone");
        s.append("); on customers it never saw, AUC ").append(figures.num(m.metrics("logistic").rocAuc()));
        if (oot != null) s.append("; fitted one window earlier, AUC ").append(figures.num(oot.auc())).append(" on what customers did next");
        return s.append('.').toString();
    }

    /** Why no model is published, a phrase per failed check, in words a marketer reads. */
    private List<String> reasons() {
        List<String> out = new java.util.ArrayList<>();
        for (Evidence.Check c : outcome.verdict().failed()) {
            out.add(switch (c.name()) {
                case "cross-validation" -> "cross-validated, it ranks churners with AUC " + figures.num(m.cvAucMean()) + " ± " + figures.num(m.cvAucStdDev())
                        + ", not clearly above " + figures.num(policy.rules().minCvLowerBound()) + (policy.rules().minCvLowerBound() == 0.5 ? " (chance)" : "");
                case "hold-out" -> "on " + figures.count(m.testRows()) + " customers it never saw, its AUC " + figures.num(m.metrics("logistic").rocAuc()) + " is below "
                        + figures.num(policy.rules().minHoldOutAuc());
                case "recency baseline" -> m.cvGainOverRecency() < 0
                        ? "it ranks churners worse than days since the last order alone (AUC " + figures.num(m.cvAucMean()) + " against "
                        + figures.num(m.cvRecencyAucMean()) + ")"
                        : "it ranks churners only " + figures.signed(m.cvGainOverRecency()) + " AUC better than days since the last order alone ("
                        + figures.signed(policy.rules().minGainOverRecency()) + " needed)";
                case "out of time" -> "fitted one window earlier, its AUC on what customers did next is " + figures.num(oot.auc()) + ", below "
                        + figures.num(policy.rules().minHoldOutAuc());
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
        if (rate.value(0, "churn_rate_pct") == null) return "Churn rate " + rate.value(0, "withheld") + ".";
        long[] trained = report.trainingSet(population, churned);
        long size = trained[0], positives = trained[1];
        if (population != size || churned != positives) {
            warnings.add(new Finding("warn", "The training set (" + figures.count(size) + " customers, " + figures.count(positives) + " churned) is not the churn rate's population ("
                    + figures.count(population) + ", " + figures.count(churned) + " churned): sql/churn/features_as_of.sql and sql/kpi/churn_rate.sql no longer agree.",
                    "data/churn_rate.csv"));
        }
        return "Churn rate: " + Formats.value(Kind.PERCENT, rate.value(0, "churn_rate_pct"), figures.currency(), false) + " = " + figures.count(churned) + " of the "
                + figures.count(population) + " customers active on " + rate.value(0, "window_start") + " did not buy by " + rate.value(0, "window_end")
                + ": the customers the model learns from (data/churn_rate.csv).";
    }

    /** Whom to contact: the customers per band, and the retention list's rule and file. */
    private String contact(KpiTable risk) {
        StringBuilder s = new StringBuilder("Whom to contact: ");
        List<String> parts = new java.util.ArrayList<>();
        if (risk != null) {
            for (String[] band : new String[][]{{"high", figures.num(policy.bandHigh())}, {"medium", figures.num(policy.bandMedium())}}) {
                long n = 0;
                for (int r = 0; r < risk.rows().size(); r++) if (band[0].equals(String.valueOf(risk.value(r, "risk_band")))) n += (long) risk.number(r, "customers");
                parts.add(figures.count(n) + " customers at " + band[0] + " risk (churn probability " + band[1] + " or more)");
            }
        }
        s.append(parts.isEmpty() ? "the scored customers" : String.join(" and ", parts)).append('.');
        KpiTable targets = run.kpi("retention_targets");
        if (targets != null) {
            // the list is cut at topN; shorter, it holds every customer whose contact is worth more than it costs
            s.append(" The retention list holds the ").append(figures.count(targets.rowCount())).append(" customers ")
                    .append(targets.rowCount() >= policy.topN() ? "with the highest expected value of a contact (at most " + figures.count(policy.topN()) + ", ecombi.churn.retention-top-n)"
                            : "whose contact is worth more than it costs")
                    .append(": churn probability × expected net revenue × win-back rate ").append(figures.pct(policy.winBackRate())).append(" − contact cost ")
                    .append(figures.money(policy.contactCost())).append(". It favours valuable customers, so some are in a lower band. All of them: data/retention_targets.csv.");
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
        return new Table("revenue_at_risk", "Risk bands: the next " + figures.count(policy.windowDays()) + " days, to " + report.windowEnd(), cols, rows, risk.rowCount(),
                csv(risk));
    }

    /** The top of the retention list, the customers worth a contact first. */
    private Table contactFirst() {
        KpiTable t = run.kpi("retention_targets");
        if (t == null || t.rowCount() == 0) return null;
        List<Column> cols = new java.util.ArrayList<>(List.of(Column.text("customer_id"), Column.text("risk_band"), Column.number("churn_probability"),
                Column.money("expected_net_revenue"), Column.money("revenue_at_risk"), Column.money("expected_value")));
        if (t.columns().contains("reasons")) cols.add(Column.text("reasons"));   // why each score: sql/churn/reasons.sql
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
}
