package io.ecombi.churn;

import io.ecombi.EcombiRuntime;
import io.ecombi.db.ShopTableLoader;
import io.ecombi.demo.DemoDataGenerator;
import io.ecombi.kpi.KpiTable;
import io.ecombi.run.PipelineRun;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A training set above ecombi.churn.max-training-rows is fitted on a stratified sample, and the report says so. */
class ChurnSampleTest {
    @TempDir
    Path work;

    @Test
    void aLargeTrainingSetIsFittedOnACappedSampleThatTheReportStates() throws Exception {
        Map<String, String> o = TestRuntime.overrides(TestDatabase.newDatabase(), work);
        o.put("ecombi.churn.max-training-rows", "300");
        try (EcombiRuntime rt = TestRuntime.start(o)) {
            Path csv = work.resolve("demo");
            new DemoDataGenerator(1200, 5, LocalDate.of(2026, 10, 31)).writeCsv(csv);
            new ShopTableLoader(rt.database().dataSource()).load(csv, true);
            Exchange result = rt.runOnce("test", null);
            assertThat(result.getException()).isNull();
            PipelineRun run = EcombiRuntime.runOf(result);
            KpiTable rate = run.kpi("churn_rate");
            long population = (long) rate.number(0, "population");
            assertThat(population).as("the cap must bite for this test").isGreaterThan(300);
            long[] sampledFrom = (long[]) run.get(ChurnModelStep.SAMPLED_FROM_KEY);
            assertThat(sampledFrom[0]).isEqualTo(population);
            assertThat(sampledFrom[1]).isEqualTo((long) rate.number(0, "churned"));
            String report = Files.readString(work.resolve("reports/default/latest/model_results.txt"));
            assertThat(report).contains(String.format(java.util.Locale.US, "stratified random sample of 300 of the %,d customers", population))
                    .doesNotContain("WARNING: the training set");
            // the whole training set is still written out, every customer of the population
            assertThat(Files.readAllLines(work.resolve("reports/default/latest/data/churn_training_set.csv"))).hasSize((int) population + 1);
        }
    }
}
