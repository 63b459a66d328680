package io.ecombi.churn;

import io.ecombi.EcombiRuntime;
import io.ecombi.ingest.IngestStep;
import io.ecombi.run.PipelineRun;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.apache.camel.Exchange;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Superstore (the whole sample, src/test/resources/datasets/superstore.csv.gz): its customers'
 * churn is not predictable from their history (hold-out AUC below a half before this check), so a
 * run publishes no scores, bands, retention list or money figure, and says why.
 */
class NoUsableModelTest {
    @TempDir
    Path work;

    @Test
    void superstoreGetsNoUsableModelAndNoAdvice() throws Exception {
        try (EcombiRuntime rt = TestRuntime.start(TestRuntime.overrides(TestDatabase.newDatabase(), work))) {
            IngestStep.Result loaded = new IngestStep(rt.database().dataSource(), rt.settings())
                    .load(Path.of("src/test/resources/datasets/superstore.csv.gz"), work.resolve("issues/superstore.csv"));
            assertThat(loaded.loaded()).isEqualTo(9994);
            Exchange result = rt.runOnce("test", null);
            assertThat(result.getException()).isNull();
            PipelineRun run = EcombiRuntime.runOf(result);

            // enough customers to train and evaluate a model, which is then refused
            assertThat(run.get(ChurnModelStep.PUBLISHED_KEY)).isEqualTo(false);
            assertThat((String) run.get(ChurnModelStep.VERDICT_KEY)).startsWith("no usable model: ").contains("CV AUC");
            assertThat(run.get(ChurnModelStep.MODEL_KEY)).isNull();
            String report = Files.readString(run.dir().resolve("model_results.txt"));
            assertThat(report).contains("VERDICT: NO USABLE MODEL").contains("HEADLINE: cross-validated ROC AUC").contains("10-fold cross-validation on 5 different splits")
                    .contains("No scores, risk bands, retention list or revenue at risk are published")
                    .doesNotContain("WHAT DRIVES CHURN").doesNotContain("Revenue at risk in the");
            // nothing to act on: no scores, bands, list or money figure, in the files, the run or the database
            assertThat(run.dir().resolve("data/churn_scores.csv")).doesNotExist();
            assertThat(run.dir().resolve("data/retention_targets.csv")).doesNotExist();
            assertThat(run.dir().resolve("data/revenue_at_risk.csv")).doesNotExist();
            assertThat(run.dir().resolve(ModelReport.IMPORTANCE_PNG)).doesNotExist();
            assertThat(run.kpi("revenue_at_risk")).isNull();
            assertThat(run.kpi("retention_targets")).isNull();
            assertThat(((Number) Sql.one(rt.database().dataSource(), "SELECT count(*) FROM bi.churn_scores WHERE run_id = ?", run.id())).longValue()).isZero();
            assertThat(Sql.one(rt.database().dataSource(), "SELECT published FROM bi.churn_models WHERE run_id = ?", run.id())).isEqualTo(false);
            ModelSection s = (ModelSection) run.get(ModelReport.SECTION_KEY);
            assertThat(s.published()).isFalse();
            assertThat(s.verdict()).startsWith("No usable model: ")
                    .endsWith("No scores, risk bands, retention list or revenue at risk are published for this run. What was checked is below.");
            assertThat(s.revenueAtRisk()).isNull();
            assertThat(s.bands()).isNull();
            assertThat(s.contactFirst()).isNull();
            assertThat(s.drivers()).isNull();
            assertThat(s.interpretation()).isNull();
            assertThat(s.holdOutHits().title()).startsWith("Bands and list (not published)");
            // the page says so first; what was checked is folded under it, with no figure to act on
            Element model = Jsoup.parse(Files.readString(run.dir().resolve("index.html"))).getElementById("model");
            Element answer = model.clone();
            answer.select("details").remove();
            assertThat(answer.select("p.note").text()).isEqualTo(s.verdict());
            assertThat(answer.select("table, img")).isEmpty();
            assertThat(answer.text()).doesNotContain("Revenue at risk").doesNotContain("Whom to contact");
            assertThat(model.selectFirst("details summary").text()).startsWith("How the model was checked");
            assertThat(model.select("details img")).extracting(e -> e.attr("src")).containsExactly(ModelReport.ROC_PNG);
        }
    }
}
