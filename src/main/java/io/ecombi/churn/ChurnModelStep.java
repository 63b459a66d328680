package io.ecombi.churn;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ecombi.Settings;
import io.ecombi.run.PipelineRun;
import io.ecombi.run.Stage;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weka.core.SerializationHelper;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The churn-model step (route churn-model): the bean methods the route calls, in order. train
 * reads the training set as of the cutoff and fits and evaluates the model; decide runs the
 * out-of-time check, gives the verdict and saves the model with its metadata; score has today's
 * active customers scored inside PostgreSQL; report writes model_results.txt, the charts and the
 * dashboard section. What goes in and out of PostgreSQL is {@link ChurnStore}'s; the fitting is
 * {@link ChurnTrainer}'s, the checks {@link Evidence}'s.
 */
public final class ChurnModelStep {
    /** Exchange property: true when a model was trained and evaluated (it may still not be published). */
    public static final String READY_PROPERTY = "churnModelReady";
    /** Exchange property and run result: true when the model beat its baselines and is published (scores, bands, list, money). */
    public static final String PUBLISHED_KEY = "churnModelPublished";
    /** Run result: one line, "published: <checks>" or "no usable model: <why>". */
    public static final String VERDICT_KEY = "churnModelVerdict";
    /** Run result: the published model (absent when none was published). */
    static final String MODEL_KEY = "churnModel";
    /** Run result: why no model was published (too little data, or the failed checks). */
    static final String SKIPPED_KEY = "churnModelSkipped";
    /** Run result: the full training set's size and churned count (long[2]) when the model was fitted on a sample of it. */
    static final String SAMPLED_FROM_KEY = "churnTrainingSampledFrom";
    /** Run result: the features left out because they hold one value for every customer (List of "feature (value ...)"). */
    static final String DROPPED_KEY = "churnFeaturesDropped";
    /** Run result: why the out-of-time check could not run (too little history one window earlier). */
    static final String OUT_OF_TIME_SKIPPED_KEY = "churnOutOfTimeSkipped";
    /** Run result: the drift measured at scoring ({@link DriftCheck}). */
    static final String DRIFT_KEY = "churnDrift";
    private static final Logger LOG = LoggerFactory.getLogger(ChurnModelStep.class);
    private static final String TRAINING_PROPERTY = "ecombiChurnTraining";
    private static final String EVALUATED_PROPERTY = "ecombiChurnEvaluated";
    private static final String OUT_OF_TIME_PROPERTY = "ecombiChurnOutOfTime";
    private static final String VERDICT_PROPERTY = "ecombiChurnVerdict";
    private final ChurnStore store;
    private final int minTrainingRows;
    private final List<String> features;
    private final ChurnTrainer.Options options;
    private final Policy policy;
    private final String defaultCurrency;
    private final int driftBins;
    private final double psiModerate, psiMajor;

    public ChurnModelStep(DataSource ds, Settings s) {
        this.minTrainingRows = s.getInt("ecombi.churn.min-training-rows");
        this.features = List.of(s.get("ecombi.churn.features").split("\\s*,\\s*"));
        this.store = new ChurnStore(ds, s.path("ecombi.sql.dir"), features);
        this.options = new ChurnTrainer.Options(s.getDouble("ecombi.churn.ridge"),
                s.getInt("ecombi.churn.seed"), 0.2, s.getInt("ecombi.churn.forest-trees"),
                s.getInt("ecombi.churn.forest-max-depth"),
                s.getInt("ecombi.churn.forest-max-rows"), s.getInt("ecombi.churn.cv-folds"), s.getInt("ecombi.churn.cv-repeats"),
                s.getDouble("ecombi.churn.driver.max-vif"), s.getDouble("ecombi.churn.driver.min-same-sign"));
        this.policy = Policy.of(s);
        this.defaultCurrency = s.get("ecombi.report.currency");
        this.driftBins = s.getInt("ecombi.drift.bins");
        this.psiModerate = s.getDouble("ecombi.drift.psi-moderate");
        this.psiMajor = s.getDouble("ecombi.drift.psi-major");
    }

    LocalDate cutoff(PipelineRun run) {
        return policy.cutoff(run.asOf());
    }

    /**
     * Reads the training set (features as of the cutoff, label from the window after it), trains and
     * evaluates the model against its baselines (nothing is published yet).
     */
    public void train(Exchange exchange) throws Exception {
        PipelineRun run = run(exchange);
        Stage stage = run.beginStage("churn model: train");
        ChurnStore.MarkedSet set = store.markedSet(cutoff(run), run.asOf(), run.dir().resolve("data/churn_training_set.csv"));
        TrainingData data = set.sample();
        if (data.size() < set.size()) {
            run.put(SAMPLED_FROM_KEY, new long[]{set.size(), set.churned()});
            LOG.info("run {} | churn model: fitted on a stratified sample of {} of {} customers (ecombi.churn.max-training-rows)",
                    run.id(), data.size(), set.size());
        }
        run.put(PUBLISHED_KEY, false);
        String skip = tooLittle(data, "at the cutoff " + cutoff(run));
        if (skip != null) {
            run.put(SKIPPED_KEY, skip);
            run.put(VERDICT_KEY, "no usable model: " + skip);
            exchange.setProperty(READY_PROPERTY, false);
            exchange.setProperty(PUBLISHED_KEY, false);
            run.endStage(stage, set.size(), "no usable model: " + skip);
            LOG.warn("run {} | churn model: no usable model: {}", run.id(), skip);
            return;
        }
        ChurnTrainer.Informative informative = ChurnTrainer.withoutConstantFeatures(data);
        data = informative.data();
        run.put(DROPPED_KEY, informative.dropped());
        if (!informative.dropped().isEmpty()) {
            LOG.info("run {} | churn model: left out, no information: {}", run.id(), String.join(", ", informative.dropped()));
        }
        ChurnModel model = new ChurnTrainer(options).train(data);
        exchange.setProperty(TRAINING_PROPERTY, data);
        exchange.setProperty(EVALUATED_PROPERTY, model);
        exchange.setProperty(READY_PROPERTY, true);
        run.endStage(stage, set.size(), String.format(Locale.US, "repeated CV AUC %.3f +/- %.3f (recency only %s, forest %.3f on the hold-out)",
                model.cvAucMean(), model.cvAucStdDev(), model.hasRecencyBaseline() ? String.format(Locale.US, "%.3f", model.cvRecencyAucMean()) : "n/a",
                model.metrics("random forest").rocAuc()));
    }

    private String tooLittle(TrainingData data, String when) {
        if (data.size() < minTrainingRows) {
            return data.size() + " customers were active " + when + " (" + minTrainingRows + " needed: ecombi.churn.min-training-rows)";
        }
        if (data.positives() < 10 || data.size() - data.positives() < 10) {
            return "one class is nearly empty " + when + " (" + data.positives() + " of " + data.size() + " churned)";
        }
        return null;
    }

    /**
     * The out-of-time check and the verdict: a model fitted on the window before the cutoff (all its
     * data known by the cutoff) scores the customers active at the cutoff, and is compared with what
     * they did by the as-of date. Then the model is published only if every check passes; it is saved
     * either way with its verdict.
     */
    public void decide(Exchange exchange) throws Exception {
        PipelineRun run = run(exchange);
        Stage stage = run.beginStage("churn model: out-of-time check");
        LocalDate earlierDate = cutoff(run).minusDays(policy.windowDays());
        TrainingData earlier = store.markedSet(earlierDate, cutoff(run), null).sample();
        TrainingData now = exchange.getProperty(TRAINING_PROPERTY, TrainingData.class);
        ChurnModel model = exchange.getProperty(EVALUATED_PROPERTY, ChurnModel.class);
        String ootSkip = tooLittle(earlier, "on " + earlierDate);
        Evidence.OutOfTime oot = null;
        if (ootSkip == null) {
            oot = new ChurnTrainer(options).outOfTime(earlier, now, model.features(), earlierDate, cutoff(run), run.asOf());
        } else {
            run.put(OUT_OF_TIME_SKIPPED_KEY, ootSkip);
        }
        Evidence.Verdict verdict = Evidence.verdict(model, oot, policy.rules());
        exchange.setProperty(OUT_OF_TIME_PROPERTY, oot);
        exchange.setProperty(VERDICT_PROPERTY, verdict);
        run.put(PUBLISHED_KEY, verdict.published());
        run.put(VERDICT_KEY, verdict.summary());
        exchange.setProperty(PUBLISHED_KEY, verdict.published());
        if (verdict.published()) {
            run.put(MODEL_KEY, model);
        } else {
            run.put(SKIPPED_KEY, verdict.summary().substring("no usable model: ".length()));
            LOG.warn("run {} | churn model: {}", run.id(), verdict.summary());
        }
        save(run, model, verdict, oot);
        run.endStage(stage, earlier.size(), (oot == null ? "out of time: " + ootSkip : String.format(Locale.US, "out-of-time AUC %.3f", oot.auc()))
                + (verdict.published() ? "; published" : "; no usable model"));
    }

    /**
     * Scores today's active customers in PostgreSQL: the features as of the as-of date, then
     * sql/churn/score.sql, which reads them and the published model's terms in bi.churn_model_terms.
     */
    public void score(Exchange exchange) throws IOException, SQLException {
        PipelineRun run = run(exchange);
        Stage stage = run.beginStage("churn model: score");
        TrainingData training = exchange.getProperty(TRAINING_PROPERTY, TrainingData.class);
        List<String> modelFeatures = training.features();
        // drift: each feature of the customers scored, binned at the training population's quantiles
        double[][] edges = new double[modelFeatures.size()][];
        Drift.Counter[] scored = new Drift.Counter[modelFeatures.size()];
        for (int j = 0; j < edges.length; j++) {
            edges[j] = Drift.edges(column(training, j), driftBins);
            scored[j] = new Drift.Counter(edges[j]);
        }
        long n = store.score(run.id(), run.asOf(), rs -> {
            for (int j = 0; j < scored.length; j++) {
                Object v = rs.getObject(modelFeatures.get(j));
                scored[j].add(v == null ? Double.NaN : ((Number) v).doubleValue());
            }
        });
        List<ChurnStore.DriftRow> rows = new java.util.ArrayList<>();
        String trainedOn = "training population as of " + cutoff(run);
        for (int j = 0; j < edges.length; j++) {
            double psi = Drift.psi(Drift.counts(column(training, j), edges[j]), scored[j].counts());
            rows.add(new ChurnStore.DriftRow(modelFeatures.get(j), trainedOn, edges[j].length + 1, psi, Drift.level(psi, psiModerate, psiMajor)));
        }
        ChurnStore.ScoreSets scores = store.scoreSets();
        if (scores.previous().length > 0) {
            double[] e = Drift.edges(scores.previous(), driftBins);
            double psi = Drift.psi(Drift.counts(scores.previous(), e), Drift.counts(scores.current(), e));
            rows.add(new ChurnStore.DriftRow("(score)", "scores of run " + scores.previousRun(), e.length + 1, psi, Drift.level(psi, psiModerate, psiMajor)));
        }
        store.saveDrift(run.id(), rows);
        DriftCheck drift = new DriftCheck(rows, psiModerate, psiMajor);
        run.put(DRIFT_KEY, drift);
        for (var f : drift.findings()) LOG.warn("run {} | churn model: {}", run.id(), f.text());
        ChurnStore.DriftRow top = rows.stream().filter(r -> !r.measure().equals("(score)")).max(java.util.Comparator.comparingDouble(ChurnStore.DriftRow::psi)).orElse(null);
        run.endStage(stage, n, "bi.churn_scores" + (top == null ? "" : String.format(Locale.US, "; largest feature drift PSI %.3f (%s)", top.psi(), top.measure())));
    }

    private static io.ecombi.result.Table historyTable(List<Map<String, Object>> history) {
        List<List<Object>> rows = new java.util.ArrayList<>();
        for (Map<String, Object> h : history) {
            rows.add(java.util.Arrays.asList(String.valueOf(h.get("run_id")), h.get("as_of"), Boolean.TRUE.equals(h.get("published")) ? "yes" : "no",
                    h.get("cv_auc_mean"), h.get("base_rate") == null ? null : 100 * ((Number) h.get("base_rate")).doubleValue(),
                    h.get("max_feature_psi"), h.get("most_drifted_feature"), h.get("score_psi")));
        }
        return io.ecombi.result.Table.of("churn_model_history", "The models so far, newest first",
                List.of(io.ecombi.result.Column.text("run_id"), io.ecombi.result.Column.date("as_of"), io.ecombi.result.Column.text("published"),
                        io.ecombi.result.Column.number("cv_auc_mean"), io.ecombi.result.Column.percent("base_rate_pct"),
                        io.ecombi.result.Column.number("max_feature_psi"), io.ecombi.result.Column.text("most_drifted_feature"),
                        io.ecombi.result.Column.number("score_psi")), rows, "model_results.txt");
    }

    /** A feature's values in the training set. */
    private static double[] column(TrainingData data, int j) {
        double[] c = new double[data.size()];
        for (int i = 0; i < c.length; i++) c[i] = data.x()[i][j];
        return c;
    }

    /** model_results.txt, the charts and the dashboard section: the evidence, and what was published or why not. */
    public void report(Exchange exchange) throws IOException {
        PipelineRun run = run(exchange);
        Stage stage = run.beginStage("churn model: report");
        Outcome outcome = new Outcome(exchange.getProperty(EVALUATED_PROPERTY, ChurnModel.class),
                exchange.getProperty(TRAINING_PROPERTY, TrainingData.class), exchange.getProperty(VERDICT_PROPERTY, Evidence.Verdict.class),
                exchange.getProperty(OUT_OF_TIME_PROPERTY, Evidence.OutOfTime.class), (String) run.get(SKIPPED_KEY),
                (String) run.get(OUT_OF_TIME_SKIPPED_KEY));
        ModelReport report = new ModelReport(run, outcome, policy,
                io.ecombi.report.Formats.symbol(io.ecombi.report.Formats.currencyCode(run, defaultCurrency)));
        String text = report.text();
        if (run.get(DRIFT_KEY) instanceof DriftCheck drift) {
            List<Map<String, Object>> history;
            try {
                history = store.history();
            } catch (SQLException e) {
                throw new IOException("the churn model history (sql/churn/model_history.sql): " + e.getMessage(), e);
            }
            text += drift.text(history);
            run.put(DriftSection.KEY, new DriftSection(drift.table(), historyTable(history)));
        }
        Files.writeString(run.dir().resolve("model_results.txt"), text, StandardCharsets.UTF_8);
        report.charts(run.dir());
        run.put(ModelReport.SECTION_KEY, report.section());
        run.endStage(stage, -1, "model_results.txt");
    }

    /** The model saved, published or not: model/churn_logistic.model, model/churn_model.json, and bi.churn_models with its terms. */
    private void save(PipelineRun run, ChurnModel m, Evidence.Verdict verdict, Evidence.OutOfTime oot) throws Exception {
        Path dir = run.dir().resolve("model");
        Files.createDirectories(dir);
        SerializationHelper.write(dir.resolve("churn_logistic.model").toString(), m.logistic());
        Map<String, Object> meta = metadata(run, m, verdict, oot);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        String metaJson = json.writeValueAsString(meta);
        Files.writeString(dir.resolve("churn_model.json"), metaJson, StandardCharsets.UTF_8);
        store.saveModel(run.id(), cutoff(run), run.asOf(), m, verdict, metaJson);
    }

    private Map<String, Object> metadata(PipelineRun run, ChurnModel m, Evidence.Verdict verdict, Evidence.OutOfTime oot) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("run_id", run.id());
        meta.put("as_of", run.asOf().toString());
        meta.put("cutoff", cutoff(run).toString());
        meta.put("label", "no completed order in (" + cutoff(run) + ", " + run.asOf() + "] among customers with " + policy.minOrders()
                + "+ completed orders by the cutoff and one in the " + policy.windowDays() + " days before it");
        meta.put("features", m.features());
        meta.put("features_left_out", run.get(DROPPED_KEY));
        meta.put("means", m.mean());
        meta.put("std_devs", m.sd());
        meta.put("coefficients_per_std_dev", m.coefficients());
        meta.put("intercept_balanced", m.balancedIntercept());
        meta.put("intercept", m.intercept());
        meta.put("base_rate", m.baseRate());
        meta.put("train_rows", m.trainRows());
        meta.put("test_rows", m.testRows());
        meta.put("ridge", options.ridge());
        meta.put("seed", options.seed());
        Map<String, Object> metrics = new LinkedHashMap<>();
        for (Metrics x : m.holdOut()) {
            metrics.put(x.model(), ordered("accuracy", x.accuracy(), "roc_auc", x.rocAuc(), "pr_auc", x.prAuc(),
                    "precision_churned", x.precisionChurned(), "recall_churned", x.recallChurned(), "f1_churned", x.f1Churned()));
        }
        meta.put("hold_out", metrics);
        meta.put("cv_folds", m.cvFolds());
        meta.put("cv_repeats", m.cvRepeats());
        meta.put("cv_repeat_means", m.cvRepeatMeans());
        meta.put("cv_auc_mean", m.cvAucMean());
        meta.put("cv_auc_sd", m.cvAucStdDev());
        if (m.hasRecencyBaseline()) {
            meta.put("cv_recency_auc_mean", m.cvRecencyAucMean());
            meta.put("cv_recency_auc_sd", m.cvRecencyAucStdDev());
        }
        meta.put("forest_trees", m.forestTrees());
        meta.put("forest_seconds", m.forestSeconds());
        if (oot != null) {
            meta.put("out_of_time", ordered("trained_on", oot.trainedOn().toString(), "scored_on", oot.scoredOn().toString(),
                    "outcome_by", oot.outcomeBy().toString(), "auc", oot.auc(), "recency_auc", oot.recencyAuc()));
        }
        meta.put("published", verdict.published());
        meta.put("verdict", verdict.summary());
        return meta;
    }

    /** Keys and values in the order given: the file reads the same for the same run (Map.of's order changes from one JVM to the next). */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }

    private static PipelineRun run(Exchange exchange) {
        return exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
    }
}
