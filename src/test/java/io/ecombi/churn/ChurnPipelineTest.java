package io.ecombi.churn;

import io.ecombi.EcombiRuntime;
import io.ecombi.db.ShopTableLoader;
import io.ecombi.demo.DemoDataGenerator;
import io.ecombi.kpi.KpiTable;
import io.ecombi.run.PipelineRun;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.apache.camel.Exchange;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The churn step inside a whole run on demo data: trained, saved, scored in PostgreSQL, put to work. */
class ChurnPipelineTest {
    @TempDir
    static Path work;
    static EcombiRuntime rt;
    static PipelineRun run;
    static ChurnModel model;

    @BeforeAll
    static void runOnDemoData() throws Exception {
        rt = TestRuntime.start(TestRuntime.overrides(TestDatabase.newDatabase(), work));
        Path csv = work.resolve("demo");
        new DemoDataGenerator(2500, 11, LocalDate.of(2026, 10, 31)).writeCsv(csv);
        new ShopTableLoader(rt.database().dataSource()).load(csv, true);
        Exchange result = rt.runOnce("test", null);
        assertThat(result.getException()).isNull();
        run = EcombiRuntime.runOf(result);
        model = (ChurnModel) run.get(ChurnModelStep.MODEL_KEY);
        assertThat(model).as("model trained (skipped: %s)", run.get(ChurnModelStep.SKIPPED_KEY)).isNotNull();
    }

    @AfterAll
    static void stop() {
        if (rt != null) rt.close();
    }

    @Test
    void scoresInTheDatabaseMatchWekasOwnPredictions() throws Exception {
        // the same features, read here as the churn step reads them
        List<Map<String, Object>> features = ChurnSqlTest.featureRows(rt, run.asOf(), run.asOf());
        Map<Long, Double> scores = new HashMap<>();
        for (Map<String, Object> r : Sql.rows(rt.database().dataSource(), "SELECT customer_id, churn_probability FROM bi.churn_scores WHERE run_id = ?", run.id())) {
            scores.put(((Number) r.get("customer_id")).longValue(), (Double) r.get("churn_probability"));
        }
        assertThat(scores).hasSize(features.size()).hasSizeGreaterThan(300);
        for (Map<String, Object> f : features) {
            double[] raw = new double[model.features().size()];
            for (int j = 0; j < raw.length; j++) {
                Object v = f.get(model.features().get(j));
                raw[j] = v == null ? Double.NaN : ((Number) v).doubleValue();
            }
            long id = ((Number) f.get("customer_id")).longValue();
            assertThat(scores.get(id)).as("customer %d", id).isCloseTo(model.probability(raw), within(1e-9));
        }
    }

    @Test
    void theModelIsSavedWithItsMetadataAndBeatsTheMajorityBaseline() throws Exception {
        assertThat(run.dir().resolve("model/churn_logistic.model")).isRegularFile();
        String json = Files.readString(run.dir().resolve("model/churn_model.json"));
        assertThat(json).contains("\"cutoff\" : \"" + run.asOf().minusDays(90) + "\"").contains("\"features\"").contains("\"hold_out\"");
        assertThat(Sql.one(rt.database().dataSource(), "SELECT train_rows FROM bi.churn_models WHERE run_id = ?", run.id()))
                .isEqualTo(model.trainRows());
        assertThat(model.metrics("logistic").rocAuc()).isGreaterThan(model.metrics("majority").rocAuc() + 0.1);
        assertThat(Sql.one(rt.database().dataSource(), "SELECT published FROM bi.churn_models WHERE run_id = ?", run.id())).isEqualTo(true);
        assertThat(run.get(ChurnModelStep.PUBLISHED_KEY)).isEqualTo(true);
        assertThat((String) run.get(ChurnModelStep.VERDICT_KEY)).startsWith("published: 10-fold CV AUC");
        assertThat(work.resolve("reports/default/model_results.txt")).content().contains("VERDICT: PUBLISHED")
                .contains(String.format(java.util.Locale.US, "HEADLINE: cross-validated ROC AUC %.3f +/- %.3f", model.cvAucMean(), model.cvAucStdDev()))
                .contains("recency only (days since last order), same folds").contains("random forest (100 trees, depth 6)")
                .contains("PUBLISHED BANDS AND LIST ON THE HOLD-OUT").contains("OUT-OF-TIME CHECK")
                .contains("Revenue at risk in the 90 days to " + run.asOf().plusDays(90)).contains("WHAT DRIVES CHURN").contains("INTERPRETATION")
                .doesNotContain("At the 0.5 cut-off");
        assertThat(work.resolve("reports/default/churn_feature_importance.png")).isRegularFile();
        assertThat(work.resolve("reports/default/churn_roc_curve.png")).isRegularFile();
    }

    @Test
    void theSectionLeadsWithTheMoneyAtRiskAndWhomToContact() throws Exception {
        ModelSection s = (ModelSection) run.get(ModelReport.SECTION_KEY);
        assertThat(s.published()).isTrue();
        assertThat(run.resultNames()).doesNotContain("modelHtml");
        // the money and the bands recounted from this run's scores: the sum of the bands' rounded amounts, in dollars (the demo's currency)
        double atRisk = ((Number) Sql.one(rt.database().dataSource(), """
                SELECT SUM(r) FROM (SELECT ROUND(CAST(SUM(churn_probability * expected_window_revenue) AS numeric), 2) AS r
                                    FROM bi.churn_scores WHERE run_id = ? GROUP BY risk_band) b""", run.id())).doubleValue();
        long scored = ((Number) Sql.one(rt.database().dataSource(), "SELECT count(*) FROM bi.churn_scores WHERE run_id = ?", run.id())).longValue();
        long high = ((Number) Sql.one(rt.database().dataSource(), "SELECT count(*) FROM bi.churn_scores WHERE run_id = ? AND churn_probability >= 0.5",
                run.id())).longValue();
        assertThat(s.revenueAtRisk()).startsWith("Revenue at risk in the next 90 days, to " + run.asOf().plusDays(90) + ": "
                + io.ecombi.report.Formats.money("$", atRisk) + " of the ").contains(String.format(java.util.Locale.US, " the %,d scored customers", scored));
        assertThat(s.contact()).startsWith(String.format(java.util.Locale.US, "Whom to contact: %,d customers at high risk (churn probability 0.5 or more)", high))
                .contains("The retention list holds the " + String.format(java.util.Locale.US, "%,d",
                        run.kpi("retention_targets").rowCount()) + " customers ").contains("data/retention_targets.csv");
        assertThat(s.bands().rows()).extracting(r -> r.get(0)).containsExactly("high", "medium", "low");
        assertThat(s.contactFirst().rows()).hasSize(ModelSectionBuilder.CONTACT_FIRST);
        // each with the top three reasons for the score, in words (sql/churn/reasons.sql)
        assertThat(s.contactFirst().columns().get(6).key()).isEqualTo("reasons");
        // (and, when unstable terms push too, what they push together, not stated as a reason)
        assertThat(s.contactFirst().rows()).allSatisfy(r -> {
            List<String> parts = List.of(String.valueOf(r.get(6)).split("; "));
            assertThat(parts.subList(0, 3)).allSatisfy(reason -> assertThat(reason).containsPattern(": (raises|lowers) the risk$"));
            assertThat(parts.subList(3, parts.size())).allSatisfy(note -> assertThat(note).startsWith("not stated: "));
        });

        // the page: the answer first, the evaluation folded, the charts linked (the page stays light)
        Element model = Jsoup.parse(Files.readString(work.resolve("reports/default/index.html"))).getElementById("model");
        assertThat(model.html()).doesNotContain("data:image");
        Element answer = model.clone();
        answer.select("details").remove();
        assertThat(answer.selectFirst("h3").text()).isEqualTo("Churn model");
        assertThat(answer.text()).contains("The model is usable: cross-validated, it ranks churners with AUC")
                .contains(s.revenueAtRisk()).contains("Whom to contact: ");
        assertThat(answer.select("table caption")).extracting(Element::text).containsExactly("Risk bands: the next 90 days, to " + run.asOf().plusDays(90));
        // the top of the list one click away (a phone shows each row as a card); the first fold
        Element list = model.selectFirst("details");
        assertThat(list.selectFirst("summary").text()).isEqualTo("The first 10 customers to contact");
        assertThat(list.select("table caption").text()).isEqualTo("Contact first: the top of the retention list");
        assertThat(list.select("a[href=data/retention_targets.csv]")).isNotEmpty();
        assertThat(answer.select("a[href=data/revenue_at_risk.csv]")).isNotEmpty();
        assertThat(answer.select("img")).extracting(e -> e.attr("src")).containsExactly(ModelReport.IMPORTANCE_PNG);
        assertThat(answer.select("li").text()).contains("Churn goes up with");
        Element more = model.select("details").get(1);
        assertThat(more.selectFirst("summary").text()).startsWith("How the model was checked");
        assertThat(more.select("table caption").first().text()).startsWith("Models on the hold-out: ");
        assertThat(more.select("table caption")).extracting(Element::text).anyMatch(c -> c.startsWith("Published bands and list on the hold-out"));
        assertThat(more.select("img")).extracting(e -> e.attr("src")).containsExactly(ModelReport.ROC_PNG);
    }

    @Test
    void theRetentionListIsRankedByExpectedValue() throws Exception {
        List<String> lines = Files.readAllLines(work.resolve("reports/default/data/retention_targets.csv"));
        assertThat(lines.get(0)).isEqualTo("customer_id,churn_probability,risk_band,expected_net_revenue,revenue_at_risk,expected_value,reasons");
        assertThat(lines).hasSizeGreaterThan(10);
        double previous = Double.MAX_VALUE;
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            double p = Double.parseDouble(c[1]), value = Double.parseDouble(c[3]), ev = Double.parseDouble(c[5]);
            // probability x expected net revenue in the window x win-back rate 0.2 - contact cost 5 (p is rounded to 4 places in the file)
            assertThat(ev).isCloseTo(p * value * 0.2 - 5, within(0.01 + value * 0.2 * 0.00005));
            assertThat(ev).isLessThanOrEqualTo(previous).isPositive();
            previous = ev;
        }
        assertThat(Files.readAllLines(work.resolve("reports/default/data/churn_scores.csv"))).hasSize(
                ((Number) Sql.one(rt.database().dataSource(), "SELECT count(*) FROM bi.churn_scores WHERE run_id = ?", run.id())).intValue() + 1);
    }

    @Test
    void driftIsMeasuredAtScoringAndTheModelHistoryKept() throws Exception {
        // one PSI per feature the model takes; the first scoring run has no earlier scores to compare with
        List<Map<String, Object>> drift = Sql.rows(rt.database().dataSource(),
                "SELECT measure, psi, level FROM bi.churn_drift WHERE run_id = ? ORDER BY measure", run.id());
        ChurnModel m = (ChurnModel) run.get(ChurnModelStep.MODEL_KEY);
        assertThat(drift).extracting(r -> r.get("measure")).containsExactlyInAnyOrderElementsOf(m.features());
        assertThat(drift).allSatisfy(r -> assertThat(((Number) r.get("psi")).doubleValue()).isNotNegative());
        String text = Files.readString(work.resolve("reports/default/model_results.txt"));
        assertThat(text).contains("DRIFT AT SCORING").contains("MODEL HISTORY");
        assertThat(Sql.one(rt.database().dataSource(), "SELECT count(*) FROM bi.churn_model_history WHERE run_id = ?", run.id())).isEqualTo(1L);
        // a warning on the page for each measure at or above the moderate threshold, none otherwise
        long shifted = drift.stream().filter(r -> !"stable".equals(r.get("level"))).count();
        ModelSection s = (ModelSection) run.get(ModelReport.SECTION_KEY);
        assertThat(s.warnings().stream().filter(f -> f.text().startsWith("Drift: ")).count()).isEqualTo(shifted);
    }

    @Test
    void theModelTrainsOnTheChurnRatePopulation() {
        KpiTable rate = run.kpi("churn_rate");
        assertThat((long) rate.number(0, "population")).isEqualTo(model.trainRows() + model.testRows());
        assertThat(rate.number(0, "churned") / rate.number(0, "population")).isCloseTo(model.baseRate(), within(1e-12));
    }

    @Test
    void revenueAtRiskCoversTheScoredNinetyDays() {
        // the window revenue recomputed here from the raw tables (the demo has no credit notes or line discounts):
        // net revenue of the 365 days to as-of / max(90, min(365, days since the first order + 1)) x 90
        List<Map<String, Object>> diff = Sql.rows(rt.database().dataSource(), """
                WITH o AS (SELECT o.customer_id, o.order_date, SUM(i.quantity * i.unit_price) - MIN(o.discount_amount) AS net
                           FROM orders o JOIN order_items i ON i.order_id = o.order_id
                           WHERE o.order_status = 'Completed' AND o.order_date <= ? GROUP BY o.order_id),
                     c AS (SELECT customer_id, SUM(net) FILTER (WHERE order_date > CAST(? AS date) - 365) AS year_net, MIN(order_date) AS first_order
                           FROM o GROUP BY customer_id)
                SELECT s.customer_id, s.expected_window_revenue AS got,
                       c.year_net / GREATEST(90, LEAST(365, CAST(? AS date) - c.first_order + 1)) * 90 AS expected
                FROM bi.churn_scores s JOIN c ON c.customer_id = s.customer_id
                WHERE s.run_id = ? AND abs(s.expected_window_revenue - c.year_net / GREATEST(90, LEAST(365, CAST(? AS date) - c.first_order + 1)) * 90) > 0.006
                """, run.asOf(), run.asOf(), run.asOf(), run.id(), run.asOf());
        assertThat(diff).isEmpty();
        double atRisk = ((Number) Sql.one(rt.database().dataSource(),
                "SELECT SUM(churn_probability * expected_window_revenue) FROM bi.churn_scores WHERE run_id = ?", run.id())).doubleValue();
        KpiTable bands = run.kpi("revenue_at_risk");
        double sum = 0;
        for (int r = 0; r < bands.rows().size(); r++) sum += bands.number(r, "revenue_at_risk");
        assertThat(sum).isCloseTo(atRisk, within(0.02));
        assertThat(bands.value(0, "window_end").toString()).isEqualTo(run.asOf().plusDays(90).toString());
    }

    @Test
    void theBandsPrecisionAndRecallAreThoseOfThePublishedProbabilities() throws Exception {
        // the hold-out customers scored again through Weka's own prediction (ChurnModel.probability, as the SQL score), cut at 0.5
        List<String> lines = Files.readAllLines(run.dir().resolve("data/churn_training_set.csv"));
        int flagged = 0, caught = 0, churners = 0;
        for (int row : model.holdOutRows()) {
            String[] c = lines.get(row + 1).split(",", -1);
            double[] raw = new double[model.features().size()];
            for (int j = 0; j < raw.length; j++) raw[j] = c[j + 1].isEmpty() ? Double.NaN : Double.parseDouble(c[j + 1]);
            boolean churned = Boolean.parseBoolean(c[c.length - 1]);
            boolean high = model.probability(raw) >= 0.5;
            if (churned) churners++;
            if (high) flagged++;
            if (high && churned) caught++;
        }
        String expected = String.format(java.util.Locale.US, "  %-34s %,9d %6.1f%% %,9d %9s %7s", "high (p >= 0.50)", flagged,
                100.0 * flagged / model.testRows(), caught, flagged == 0 ? "-" : String.format(java.util.Locale.US, "%.3f", (double) caught / flagged),
                String.format(java.util.Locale.US, "%.3f", (double) caught / churners));
        assertThat(Files.readString(run.dir().resolve("model_results.txt"))).contains(expected);
    }
}
