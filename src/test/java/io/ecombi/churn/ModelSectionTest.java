package io.ecombi.churn;

import io.ecombi.kpi.KpiTable;
import io.ecombi.report.Labels;
import io.ecombi.report.TableView;
import io.ecombi.result.Table;
import io.ecombi.run.PipelineRun;
import io.ecombi.run.Runs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The churn model's section as data (ModelSection), as the page's tables write it, on a hand-made model
 * whose figures are worked out below: as of 2026-07-31, a 90-day window (to 2026-10-29), bands at
 * 0.5 and 0.25, win-back rate 20 %, contact cost 5, money in pounds.
 */
class ModelSectionTest {
    /** This test's own fixtures (the settings' values live in config/application.properties). */
    static final Evidence.Rules RULES = new Evidence.Rules(0.5, 0.55, 0.01);

    static final LocalDate AS_OF = LocalDate.of(2026, 7, 31);
    static final List<String> FEATURES = List.of("days_since_last_order", "total_orders");
    @TempDir
    Path dir;

    /**
     * Eight hold-out customers, p = 0.9 0.6 0.4 0.3 0.2 0.1 0.05 0.7, churned = 1st, 3rd and 8th (3 of 8).
     * high (p >= 0.5): the 1st, 2nd and 8th, 2 of them churned: share 3/8 = 37.5 %, precision 2/3 = 66.7 %,
     *   recall 2/3 = 66.7 %, lift (2/3) / (3/8) = 1.778.
     * high or medium (p >= 0.25): 1st, 2nd, 3rd, 4th, 8th, 3 churned: 62.5 %, 60.0 %, 100.0 %, lift 0.6 / 0.375 = 1.6.
     * The list holds 4 of the 10 scored customers (40 %): on the hold-out the top round(0.4 x 8) = 3 by
     * p x 100 x 0.2 - 5 (all revenue 100): 0.9, 0.7, 0.6, the same three as "high".
     */
    static ChurnModel model(double[] cvAuc, double[] cvRecency, double holdOutAuc) {
        List<Metrics> holdOut = List.of(metrics("logistic", holdOutAuc, 0.5), metrics("random forest (100 trees, depth 6)", 0.745, 0.48),
                metrics("majority class", 0.5, 0.25));
        return new ChurnModel(FEATURES, new double[]{30, 4}, new double[]{20, 2}, new double[]{0.8, -0.3}, -1, 0.1, 0.25,
                1200, 8, 300, 1200, 100, 0.5, holdOut, cvAuc, cvRecency, 1, new double[]{1.2, 1.2}, new double[]{1, 1}, new double[]{0.3, -0.2}, 5, 0.9, 0.1,
                new int[]{0, 1, 2, 3, 4, 5, 6, 7}, new double[]{0.9, 0.6, 0.4, 0.3, 0.2, 0.1, 0.05, 0.7},
                new boolean[]{true, false, true, false, false, false, false, true}, null, null);
    }

    static Metrics metrics(String name, double roc, double pr) {
        return new Metrics(name, 0.7, roc, pr, 0.5, 0.5, 0.5, 0.8, 0.8, 0.8, 1, 1, 1, 5, new double[0][]);
    }

    static TrainingData data() {
        double[][] x = new double[8][];
        for (int i = 0; i < 8; i++) x[i] = new double[]{30, 4};
        return new TrainingData(FEATURES, new long[]{1, 2, 3, 4, 5, 6, 7, 8}, x,
                new boolean[]{true, false, true, false, false, false, false, true}, new double[]{100, 100, 100, 100, 100, 100, 100, 100});
    }

    /** A model fitted on 1,500 customers one window earlier scored four: p 0.8 0.3 0.1 0.6, the first two churned. */
    static Evidence.OutOfTime outOfTime() {
        return new Evidence.OutOfTime(LocalDate.of(2026, 2, 1), LocalDate.of(2026, 5, 2), AS_OF, 1500, 0.74, 0.7,
                new double[]{0.8, 0.3, 0.1, 0.6}, new boolean[]{true, true, false, false}, new double[]{100, 100, 100, 100});
    }

    PipelineRun run(boolean scored) throws Exception {
        PipelineRun run = Runs.of(AS_OF, dir);
        // 8 customers active on 2026-05-02, 3 churned: 37.5 %
        run.addKpi(kpi("churn_rate", List.of("window_start", "window_end", "population", "churned", "retained", "churn_rate_pct", "definition"),
                List.<Object[]>of(new Object[]{LocalDate.of(2026, 5, 2), AS_OF, 8L, 3L, 5L, new BigDecimal("37.50"), "share of the customers active on 2026-05-02 ..."})));
        if (scored) {
            // 10 scored customers: at risk 1,050 + 270 + 200 = 1,520 of 1,500 + 900 + 2,000 = 4,400
            List<String> cols = List.of("risk_band", "customers", "avg_probability", "expected_net_revenue", "revenue_at_risk", "window_start", "window_end");
            run.addKpi(kpi("revenue_at_risk", cols, List.of(
                    new Object[]{"high", 2L, new BigDecimal("0.7000"), new BigDecimal("1500.00"), new BigDecimal("1050.00"), AS_OF, AS_OF.plusDays(90)},
                    new Object[]{"medium", 3L, new BigDecimal("0.3000"), new BigDecimal("900.00"), new BigDecimal("270.00"), AS_OF, AS_OF.plusDays(90)},
                    new Object[]{"low", 5L, new BigDecimal("0.1000"), new BigDecimal("2000.00"), new BigDecimal("200.00"), AS_OF, AS_OF.plusDays(90)})));
            List<String> list = List.of("customer_id", "churn_probability", "risk_band", "expected_net_revenue", "revenue_at_risk", "expected_value");
            run.addKpi(kpi("retention_targets", list, List.of(
                    // 0.8 x 300 = 240 at risk; x 0.2 - 5 = 43
                    new Object[]{11L, new BigDecimal("0.8000"), "high", new BigDecimal("300.00"), new BigDecimal("240.00"), new BigDecimal("43.00")},
                    new Object[]{12L, new BigDecimal("0.6000"), "high", new BigDecimal("200.00"), new BigDecimal("120.00"), new BigDecimal("19.00")},
                    new Object[]{13L, new BigDecimal("0.3000"), "medium", new BigDecimal("300.00"), new BigDecimal("90.00"), new BigDecimal("13.00")},
                    new Object[]{14L, new BigDecimal("0.3000"), "medium", new BigDecimal("100.00"), new BigDecimal("30.00"), new BigDecimal("1.00")})));
        }
        return run;
    }

    KpiTable kpi(String name, List<String> columns, List<Object[]> rows) throws Exception {
        List<Map<String, Object>> maps = new ArrayList<>();
        for (Object[] r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int c = 0; c < columns.size(); c++) m.put(columns.get(c), r[c]);
            maps.add(m);
        }
        return KpiTable.write(name, maps.iterator(), dir.resolve("data").resolve(name + ".csv"), 1000);
    }

    static ModelReport report(PipelineRun run, ChurnModel m, Evidence.OutOfTime oot, String skipped) {
        Evidence.Verdict verdict = m == null ? null : Evidence.verdict(m, oot, RULES);
        return new ModelReport(run, new Outcome(m, m == null ? null : data(), verdict, oot, skipped,
                oot == null ? "4 customers were active on 2026-02-01" : null), new Policy(RULES, 90, 2, 0.5, 0.25, 0.2, 5, 500), "£");
    }

    static List<List<String>> cells(Table t) {
        TableView v = TableView.of(t, Labels.load(Path.of("config/labels.properties")), "£", 10);
        return v.rows().stream().map(r -> r.stream().map(TableView.Cell::text).toList()).toList();
    }

    /** CV AUC 0.70 and 0.80: mean 0.75, SD sqrt(2 x 0.05^2 / 1) = 0.0707; recency 0.66 and 0.74: 0.70 +/- 0.0566, gain +0.05. */
    static ChurnModel goodModel() {
        return model(new double[]{0.70, 0.80}, new double[]{0.66, 0.74}, 0.76);
    }

    @Test
    void aPublishedModelLeadsWithTheMoneyAndWhomToContact() throws Exception {
        ModelSection s = report(run(true), goodModel(), outOfTime(), null).section();

        assertThat(s.published()).isTrue();
        assertThat(s.question()).isEqualTo("Which active customers will make no purchase in the next 90 days, 2026-07-31 (exclusive) to 2026-10-29?");
        assertThat(s.verdict()).isEqualTo("The model is usable: cross-validated, it ranks churners with AUC 0.75 ± 0.071 (0.5 is chance, "
                + "+0.05 over days since the last order alone); on customers it never saw, AUC 0.76; fitted one window earlier, AUC 0.74 on what customers did next.");
        assertThat(s.warnings()).isEmpty();
        assertThat(s.revenueAtRisk()).startsWith("Revenue at risk in the next 90 days, to 2026-10-29: £1,520 of the £4,400 net revenue the 10 scored customers"
                + " would bring at their past pace.");
        assertThat(s.revenueAtRiskBasis()).endsWith("× 90.");
        // 4 customers, fewer than the 500 the list may hold: every customer whose contact is worth its cost
        assertThat(s.contact()).isEqualTo("Whom to contact: 2 customers at high risk (churn probability 0.5 or more) and 3 customers at medium risk "
                + "(churn probability 0.25 or more). The retention list holds the 4 customers whose contact is worth more than it costs: churn probability "
                + "× expected net revenue × win-back rate 20.0% − contact cost £5.00. It favours valuable customers, so some are in a lower band. "
                + "All of them: data/retention_targets.csv.");
        // the bands: one money precision for the table (whole pounds: 1,500 reaches 1,000), their CSV linked
        assertThat(s.bands().csv()).isEqualTo("data/revenue_at_risk.csv");
        assertThat(cells(s.bands())).containsExactly(List.of("high", "2", "0.7", "£1,500", "£1,050"), List.of("medium", "3", "0.3", "£900", "£270"),
                List.of("low", "5", "0.1", "£2,000", "£200"));
        // the top of the list: all four (fewer than ten), in pence since no amount reaches 1,000
        assertThat(s.contactFirst().totalRows()).isEqualTo(4);
        assertThat(s.contactFirst().csv()).isEqualTo("data/retention_targets.csv");
        assertThat(cells(s.contactFirst()).get(0)).containsExactly("11", "high", "0.8", "£300.00", "£240.00", "£43.00");
        assertThat(s.drivers().file()).isEqualTo(dir.resolve(ModelReport.IMPORTANCE_PNG));
        // odds ratios exp(0.8) = 2.2255, exp(-0.3) = 0.7408
        assertThat(s.interpretation()).contains("- Churn goes up with days_since_last_order (odds ×2.226 per SD).\n")
                .contains("- Churn goes down with total_orders (odds ×0.741 per SD).\n")
                .contains("AUC 0.75 ± 0.071, +0.05 over ranking by days since the last order alone. On the one hold-out split it scores 0.76 against 0.745 "
                        + "for a random forest of 100 trees: the forest does no better (within 0.02)")
                .contains("the published \"high\" band flags 37.5% of customers and catches 66.7% of the churners at 66.7% precision; high and medium "
                        + "together catch 100.0% at 60.0% precision, against a base rate of 25.0%.")
                .contains("The retention list's rule reaches 66.7% of the churners at 66.7% precision");
    }

    @Test
    void theEvaluationIsThereForWhoeverChecksIt() throws Exception {
        ModelSection s = report(run(true), goodModel(), outOfTime(), null).section();

        assertThat(s.label()).startsWith("churned = no completed purchase between 2026-05-02 (exclusive) and 2026-07-31 (inclusive)");
        assertThat(s.churnRate()).isEqualTo("Churn rate: 37.5% = 3 of the 8 customers active on 2026-05-02 did not buy by 2026-07-31: "
                + "the customers the model learns from (data/churn_rate.csv).");
        assertThat(s.evaluation()).isEqualTo("Cross-validated ROC AUC 0.75 ± 0.071 (logistic regression, 2 features; 2-fold cross-validation, ± is the SD across folds); "
                + "recency only (days since the last order), same folds: 0.7 ± 0.057; majority class 0.5 (ranks nobody).");
        // a decimal column has one precision, the most its values need: 0.745 gives the AUCs 3 places, 0.48 the PR AUCs 2
        assertThat(cells(s.holdOut())).containsExactly(List.of("logistic", "0.760", "0.50"), List.of("random forest (100 trees, depth 6)", "0.745", "0.48"),
                List.of("majority class", "0.500", "0.25"));
        assertThat(s.holdOutNote()).isEqualTo("Base rate 25.0% (the PR AUC of a random ranking); 1,200 training and 8 hold-out customers.");
        assertThat(s.holdOutHits().title()).startsWith("Published bands and list on the hold-out");
        // lift 1.778 gives its column 3 places
        assertThat(cells(s.holdOutHits())).containsExactly(
                List.of("high (p >= 0.50)", "3", "37.5%", "2", "66.7%", "66.7%", "1.778"),
                List.of("high or medium (p >= 0.25)", "5", "62.5%", "3", "60.0%", "100.0%", "1.600"),
                List.of("retention list rule (top 40.0%)", "3", "37.5%", "2", "66.7%", "66.7%", "1.778"));
        assertThat(s.outOfTime()).isEqualTo("Out of time: a model fitted as of 2026-02-01 on 1,500 customers scored the 4 customers active on 2026-05-02; "
                + "against what they did by 2026-07-31, ROC AUC 0.74 (recency only 0.7).");
        // out of time, p 0.8 0.3 0.1 0.6 with the first two churned: high = 1st and 4th (1 churner of 2), high or medium adds the 2nd
        assertThat(cells(s.outOfTimeHits()).subList(0, 2)).containsExactly(
                List.of("high (p >= 0.50)", "2", "50.0%", "1", "50.0%", "50.0%", "1.000"),
                List.of("high or medium (p >= 0.25)", "3", "75.0%", "2", "66.7%", "100.0%", "1.333"));
        assertThat(s.roc().file()).isEqualTo(dir.resolve(ModelReport.ROC_PNG));
    }

    @Test
    void aRefusedModelSaysWhyInWordsAndPublishesNothingToActOn() throws Exception {
        // CV 0.60 and 0.62: 0.61 +/- 0.014 (lower bound 0.596 passes); recency 0.595 and 0.615: gain +0.005 < 0.01 fails;
        // hold-out 0.52 < 0.55 fails
        ChurnModel weak = model(new double[]{0.60, 0.62}, new double[]{0.595, 0.615}, 0.52);
        ModelSection s = report(run(false), weak, null, null).section();

        assertThat(s.published()).isFalse();
        assertThat(s.verdict()).isEqualTo("No usable model: on 8 customers it never saw, its AUC 0.52 is below 0.55; it ranks churners only +0.005 AUC "
                + "better than days since the last order alone (+0.01 needed). No scores, risk bands, retention list or revenue at risk are published "
                + "for this run. What was checked is below.");
        assertThat(s.revenueAtRisk()).isNull();
        assertThat(s.bands()).isNull();
        assertThat(s.contact()).isNull();
        assertThat(s.contactFirst()).isNull();
        assertThat(s.drivers()).isNull();
        assertThat(s.interpretation()).isNull();
        assertThat(s.evaluation()).startsWith("Cross-validated ROC AUC 0.61 ± 0.014");
        assertThat(s.holdOutHits().title()).startsWith("Bands and list (not published) on the hold-out");
        assertThat(cells(s.holdOutHits())).hasSize(2);   // no list without one
        assertThat(s.outOfTime()).isEqualTo("Out-of-time check not possible: 4 customers were active on 2026-02-01.");
        assertThat(s.outOfTimeHits()).isNull();
        assertThat(s.roc()).isNotNull();
    }

    @Test
    void aModelNoBetterThanChanceOrRecencySaysSo() throws Exception {
        // CV 0.45 and 0.51: 0.48 +/- 0.042, lower bound 0.438 not above 0.5; recency 0.55 and 0.57: recency mean 0.56, gain (-0.10 - 0.06) / 2 = -0.08; hold-out 0.40
        ChurnModel noise = model(new double[]{0.45, 0.51}, new double[]{0.55, 0.57}, 0.40);
        ModelSection s = report(run(false), noise, null, null).section();

        assertThat(s.verdict()).startsWith("No usable model: cross-validated, it ranks churners with AUC 0.48 ± 0.042, not clearly above 0.5 (chance); "
                + "on 8 customers it never saw, its AUC 0.4 is below 0.55; it ranks churners worse than days since the last order alone (AUC 0.48 against 0.56). "
                + "No scores, risk bands");
    }

    @Test
    void withTooLittleDataThereIsNoModelAndATrainingSetThatIsNotTheChurnRatesPopulationIsAWarning() throws Exception {
        PipelineRun run = run(false);
        run.put(ChurnModelStep.SAMPLED_FROM_KEY, new long[]{9, 4});   // 9 customers, 4 churned: not the 8 and 3 of churn_rate
        ModelSection s = report(run, null, null, "5 customers were active at the cutoff 2026-05-02 (200 needed: ecombi.churn.min-training-rows)").section();

        assertThat(s.verdict()).isEqualTo("No usable model: 5 customers were active at the cutoff 2026-05-02 (200 needed: ecombi.churn.min-training-rows)."
                + " No scores, risk bands, retention list or revenue at risk are published for this run.");
        assertThat(s.trained()).isFalse();
        assertThat(s.evaluation()).isNull();
        assertThat(s.roc()).isNull();
        assertThat(s.churnRate()).startsWith("Churn rate: 37.5% = 3 of the 8 customers");
        assertThat(s.warnings()).singleElement().satisfies(w -> {
            assertThat(w.severity()).isEqualTo("warn");
            assertThat(w.text()).isEqualTo("The training set (9 customers, 4 churned) is not the churn rate's population (8, 3 churned): "
                    + "sql/churn/features_as_of.sql and sql/kpi/churn_rate.sql no longer agree.");
        });
    }
}
