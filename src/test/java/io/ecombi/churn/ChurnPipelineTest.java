package io.ecombi.churn;

import io.ecombi.EcombiRuntime;
import io.ecombi.db.ShopTableLoader;
import io.ecombi.demo.DemoDataGenerator;
import io.ecombi.run.PipelineRun;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.apache.camel.Exchange;
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
        Map<String, Object> headers = new HashMap<>();
        headers.put("CamelSqlQuery", Files.readString(Path.of("sql/churn/features_as_of.sql")));
        headers.put("featureDate", run.asOf());
        headers.put("labelEnd", run.asOf());
        headers.put("churnDays", 90);
        headers.put("minOrders", 2);
        // the same features query, run here through camel-sql as a plain select
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> features = rt.camelContext().createProducerTemplate()
                .requestBodyAndHeaders("sql:SELECT 1?dataSource=#dataSource", null, headers, List.class);
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
        assertThat(work.resolve("reports/model_results.txt")).content().contains("HOLD-OUT RESULTS").contains("random forest")
                .contains("WHAT DRIVES CHURN").contains("Total revenue at risk").contains("INTERPRETATION");
        assertThat(work.resolve("reports/churn_feature_importance.png")).isRegularFile();
        assertThat(work.resolve("reports/churn_roc_curve.png")).isRegularFile();
        assertThat(Files.readString(work.resolve("reports/index.html"))).contains("<h2>Churn model</h2>");
    }

    @Test
    void theRetentionListIsRankedByExpectedValue() throws Exception {
        List<String> lines = Files.readAllLines(work.resolve("reports/data/retention_targets.csv"));
        assertThat(lines.get(0)).isEqualTo("customer_id,churn_probability,risk_band,customer_value,revenue_at_risk,expected_value");
        assertThat(lines).hasSizeGreaterThan(10);
        double previous = Double.MAX_VALUE;
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            double p = Double.parseDouble(c[1]), value = Double.parseDouble(c[3]), ev = Double.parseDouble(c[5]);
            // probability x value x win-back rate 0.2 - contact cost 5 (p is rounded to 4 places in the file)
            assertThat(ev).isCloseTo(p * value * 0.2 - 5, within(0.01 + value * 0.2 * 0.00005));
            assertThat(ev).isLessThanOrEqualTo(previous).isPositive();
            previous = ev;
        }
        assertThat(Files.readAllLines(work.resolve("reports/data/churn_scores.csv"))).hasSize(
                ((Number) Sql.one(rt.database().dataSource(), "SELECT count(*) FROM bi.churn_scores WHERE run_id = ?", run.id())).intValue() + 1);
    }
}
