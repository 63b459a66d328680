package io.ecombi.churn;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ecombi.Settings;
import io.ecombi.db.SqlFile;
import io.ecombi.run.PipelineRun;
import io.ecombi.run.Stage;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weka.core.SerializationHelper;

import javax.sql.DataSource;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The churn-model step (route churn-model): training set from sql/churn/features_as_of.sql as of
 * the cutoff (sampled by sql/churn/training_sample.sql), Weka training and evaluation, the model
 * saved with its metadata and its terms in bi.churn_model_terms, then scoring of today's active
 * customers inside PostgreSQL by sql/churn/score.sql. Each file is run by {@link SqlFile}; the only
 * values bound here are the feature date and label end, which differ between the three feature sets
 * of a run (training, out of time, scoring); everything else the files read from fact.params.
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
    /** Run result: why the out-of-time check could not run (too little history one window earlier). */
    static final String OUT_OF_TIME_SKIPPED_KEY = "churnOutOfTimeSkipped";
    private static final Logger LOG = LoggerFactory.getLogger(ChurnModelStep.class);
    private static final String TRAINING_PROPERTY = "ecombiChurnTraining";
    private static final String EVALUATED_PROPERTY = "ecombiChurnEvaluated";
    private static final String OUT_OF_TIME_PROPERTY = "ecombiChurnOutOfTime";
    private static final String VERDICT_PROPERTY = "ecombiChurnVerdict";
    private final DataSource ds;
    private final Path sqlDir;
    private final int minTrainingRows;
    private final List<String> features;
    private final ChurnTrainer.Options options;
    private final ModelReport.Policy policy;
    private final String defaultCurrency;

    public ChurnModelStep(DataSource ds, Settings s) {
        this.ds = ds;
        this.sqlDir = s.path("ecombi.sql.dir");
        this.minTrainingRows = s.getInt("ecombi.churn.min-training-rows");
        this.features = List.of(s.get("ecombi.churn.features").split("\\s*,\\s*"));
        this.options = new ChurnTrainer.Options(s.getDouble("ecombi.churn.ridge"),
                s.getInt("ecombi.churn.seed"), 0.2, s.getInt("ecombi.churn.forest-trees"),
                s.getInt("ecombi.churn.forest-max-depth"),
                s.getInt("ecombi.churn.forest-max-rows"), s.getInt("ecombi.churn.cv-folds"));
        this.policy = ModelReport.Policy.of(s);
        this.defaultCurrency = s.get("ecombi.report.currency");
    }

    LocalDate cutoff(PipelineRun run) {
        return policy.cutoff(run.asOf());
    }

    /**
     * Runs work in one transaction after sql/churn/features_as_of.sql has written the features of
     * the customers active on featureDate (labelled by labelEnd) to the temp table churn_features,
     * which the transaction's end drops. The files that read the features (the training sample,
     * the scoring) run in work, on the same connection.
     */
    static void withFeatures(DataSource ds, Path sqlDir, LocalDate featureDate, LocalDate labelEnd, Work work)
            throws IOException, SQLException {
        SqlFile features = SqlFile.read(sqlDir.resolve("churn/features_as_of.sql"));
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                features.execute(c, Map.of("featureDate", featureDate, "labelEnd", labelEnd));
                work.run(c);
                c.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** What runs on the connection that holds churn_features. */
    interface Work { void run(Connection c) throws IOException, SQLException; }

    /**
     * A feature set with the sample the model is fitted on marked (sql/churn/training_sample.sql):
     * a large shop's model is fitted on a stratified sample, so the fit's cost and memory stop growing
     * with the customer count, while the AUC of 20,000 customers is already known to about +/- 0.005.
     * Every row streams through (5,000 at a time) and is counted and, when csv is given, written to it.
     */
    private MarkedSet markedSet(LocalDate featureDate, LocalDate labelEnd, Path csv) throws IOException, SQLException {
        SqlFile sample = SqlFile.read(sqlDir.resolve("churn/training_sample.sql"));
        if (csv != null) Files.createDirectories(csv.getParent());
        try (SetReader reader = new SetReader(csv)) {
            withFeatures(ds, sqlDir, featureDate, labelEnd, c -> sample.query(c, Map.of(), reader));
            return reader.set();
        }
    }

    /**
     * Reads the training set (features as of the cutoff, label from the window after it), trains and
     * evaluates the model against its baselines (nothing is published yet).
     */
    public void train(Exchange exchange) throws Exception {
        PipelineRun run = run(exchange);
        Stage stage = run.beginStage("churn model: train");
        MarkedSet set = markedSet(cutoff(run), run.asOf(), run.dir().resolve("data/churn_training_set.csv"));
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
        ChurnModel model = new ChurnTrainer(options).train(data);
        exchange.setProperty(TRAINING_PROPERTY, data);
        exchange.setProperty(EVALUATED_PROPERTY, model);
        exchange.setProperty(READY_PROPERTY, true);
        run.endStage(stage, set.size(), String.format(Locale.US, "CV AUC %.3f +/- %.3f (recency only %s, forest %.3f on the hold-out)",
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
        TrainingData earlier = markedSet(earlierDate, cutoff(run), null).sample();
        TrainingData now = exchange.getProperty(TRAINING_PROPERTY, TrainingData.class);
        ChurnModel model = exchange.getProperty(EVALUATED_PROPERTY, ChurnModel.class);
        String ootSkip = tooLittle(earlier, "on " + earlierDate);
        Evidence.OutOfTime oot = null;
        if (ootSkip == null) {
            ChurnTrainer trainer = new ChurnTrainer(options);
            ChurnTrainer.Fit full = trainer.fit(earlier, features);
            ChurnTrainer.Fit recency = features.contains(ChurnModel.RECENCY) ? trainer.fit(earlier, List.of(ChurnModel.RECENCY)) : null;
            int j = features.indexOf(ChurnModel.RECENCY);
            double[] p = new double[now.size()], r = new double[now.size()];
            for (int i = 0; i < now.size(); i++) {
                p[i] = full.probability(now.x()[i]);
                if (recency != null) r[i] = recency.probability(new double[]{now.x()[i][j]});
            }
            oot = new Evidence.OutOfTime(earlierDate, cutoff(run), run.asOf(), earlier.size(), Metrics.auc(p, now.churned()),
                    recency == null ? Double.NaN : Metrics.auc(r, now.churned()), p, now.churned(), now.windowRevenue());
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
        SqlFile score = SqlFile.read(sqlDir.resolve("churn/score.sql"));
        long[] scored = {0};
        withFeatures(ds, sqlDir, run.asOf(), run.asOf(), c -> {
            score.execute(c, Map.of());
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM bi.churn_scores WHERE run_id = ?")) {
                ps.setLong(1, run.id());
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    scored[0] = rs.getLong(1);
                }
            }
        });
        run.endStage(stage, scored[0], "bi.churn_scores");
    }

    /** model_results.txt, the charts and the dashboard section: the evidence, and what was published or why not. */
    public void report(Exchange exchange) throws IOException {
        PipelineRun run = run(exchange);
        Stage stage = run.beginStage("churn model: report");
        ModelReport.Outcome outcome = new ModelReport.Outcome(exchange.getProperty(EVALUATED_PROPERTY, ChurnModel.class),
                exchange.getProperty(TRAINING_PROPERTY, TrainingData.class), exchange.getProperty(VERDICT_PROPERTY, Evidence.Verdict.class),
                exchange.getProperty(OUT_OF_TIME_PROPERTY, Evidence.OutOfTime.class), (String) run.get(SKIPPED_KEY),
                (String) run.get(OUT_OF_TIME_SKIPPED_KEY));
        ModelReport report = new ModelReport(run, outcome, policy,
                io.ecombi.report.Formats.symbol(io.ecombi.report.Formats.currencyCode(run, defaultCurrency)));
        Files.writeString(run.dir().resolve("model_results.txt"), report.text(), StandardCharsets.UTF_8);
        report.charts(run.dir());
        run.put(ModelReport.SECTION_KEY, report.section());
        run.endStage(stage, -1, "model_results.txt");
    }

    /** A set as sql/churn/training_sample.sql returns it: the rows marked in_sample, and the whole set's size and churned count. */
    private record MarkedSet(TrainingData sample, long size, long churned) {}

    /**
     * Reads a set as it streams in: every row is counted and written to the csv (when there is one);
     * only the rows marked in_sample are kept, so only the sample is ever held in memory.
     */
    private final class SetReader implements SqlFile.RowReader, AutoCloseable {
        private final BufferedWriter w;
        private long size, churned;
        private final List<Long> ids = new ArrayList<>();
        private final List<double[]> x = new ArrayList<>();
        private final List<Boolean> y = new ArrayList<>();
        private final List<Double> value = new ArrayList<>();

        SetReader(Path csv) throws IOException {
            w = csv == null ? new BufferedWriter(java.io.Writer.nullWriter()) : Files.newBufferedWriter(csv, StandardCharsets.UTF_8);
            w.write("customer_id," + String.join(",", features) + ",expected_window_revenue,churned_next_window\n");
        }

        @Override
        public void read(ResultSet rs) throws SQLException {
            if (size == 0) checkColumns(rs.getMetaData());
            long id = rs.getLong("customer_id");
            double[] v = new double[features.size()];
            StringBuilder line = new StringBuilder().append(id);
            for (int j = 0; j < v.length; j++) {
                Object o = rs.getObject(features.get(j));
                v[j] = o == null ? Double.NaN : ((Number) o).doubleValue();
                line.append(',').append(o == null ? "" : o);
            }
            boolean label = rs.getBoolean("churned_next_window");
            Object revenue = rs.getObject("expected_window_revenue");
            try {
                w.write(line.append(',').append(revenue == null ? "" : revenue).append(',').append(label).append('\n').toString());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            size++;
            if (label) churned++;
            if (!rs.getBoolean("in_sample")) return;
            ids.add(id);
            x.add(v);
            y.add(label);
            value.add(revenue == null ? 0 : ((Number) revenue).doubleValue());
        }

        private void checkColumns(ResultSetMetaData meta) throws SQLException {
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) columns.add(meta.getColumnLabel(i));
            for (String f : features) {
                if (!columns.contains(f)) {
                    throw new IllegalArgumentException("churn feature '" + f + "' (ecombi.churn.features) is not a column of churn/features_as_of.sql: " + columns);
                }
            }
        }

        MarkedSet set() {
            boolean[] labels = new boolean[y.size()];
            long[] idArray = new long[ids.size()];
            double[] revenue = new double[labels.length];
            for (int i = 0; i < labels.length; i++) { labels[i] = y.get(i); idArray[i] = ids.get(i); revenue[i] = value.get(i); }
            return new MarkedSet(new TrainingData(features, idArray, x.toArray(new double[0][]), labels, revenue), size, churned);
        }

        @Override
        public void close() throws IOException {
            w.close();
        }
    }

    private void save(PipelineRun run, ChurnModel m, Evidence.Verdict verdict, Evidence.OutOfTime oot) throws Exception {
        Path dir = run.dir().resolve("model");
        Files.createDirectories(dir);
        SerializationHelper.write(dir.resolve("churn_logistic.model").toString(), m.logistic());
        Map<String, Object> meta = metadata(run, m, verdict, oot);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        String metaJson = json.writeValueAsString(meta);
        Files.writeString(dir.resolve("churn_model.json"), metaJson, StandardCharsets.UTF_8);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement model = c.prepareStatement(
                    "INSERT INTO bi.churn_models (run_id, cutoff_date, as_of, train_rows, metadata, published, verdict) VALUES (?, ?, ?, ?, CAST(? AS jsonb), ?, ?)");
                 PreparedStatement term = c.prepareStatement(
                         "INSERT INTO bi.churn_model_terms (run_id, feature, mean, std_dev, coefficient) VALUES (?, ?, ?, ?, ?)")) {
                model.setLong(1, run.id());
                model.setObject(2, cutoff(run));
                model.setObject(3, run.asOf());
                model.setInt(4, m.trainRows());
                model.setString(5, metaJson);
                model.setBoolean(6, verdict.published());
                model.setString(7, verdict.summary());
                model.executeUpdate();
                for (int j = 0; j < m.features().size(); j++) {
                    addTerm(term, run.id(), m.features().get(j), m.mean()[j], m.sd()[j], m.coefficients()[j]);
                }
                addTerm(term, run.id(), "(intercept)", 0, 1, m.intercept());
                term.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static void addTerm(PreparedStatement ps, long runId, String feature, double mean, double sd, double coefficient) throws SQLException {
        ps.setLong(1, runId);
        ps.setString(2, feature);
        ps.setDouble(3, mean);
        ps.setDouble(4, sd);
        ps.setDouble(5, coefficient);
        ps.addBatch();
    }

    private Map<String, Object> metadata(PipelineRun run, ChurnModel m, Evidence.Verdict verdict, Evidence.OutOfTime oot) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("run_id", run.id());
        meta.put("as_of", run.asOf().toString());
        meta.put("cutoff", cutoff(run).toString());
        meta.put("label", "no completed order in (" + cutoff(run) + ", " + run.asOf() + "] among customers with " + policy.minOrders()
                + "+ completed orders by the cutoff and one in the " + policy.windowDays() + " days before it");
        meta.put("features", m.features());
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
            metrics.put(x.model(), Map.of("accuracy", x.accuracy(), "roc_auc", x.rocAuc(), "pr_auc", x.prAuc(),
                    "precision_churned", x.precisionChurned(), "recall_churned", x.recallChurned(), "f1_churned", x.f1Churned()));
        }
        meta.put("hold_out", metrics);
        meta.put("cv_folds", m.cvAuc().length);
        meta.put("cv_auc_mean", m.cvAucMean());
        meta.put("cv_auc_sd", m.cvAucStdDev());
        if (m.hasRecencyBaseline()) {
            meta.put("cv_recency_auc_mean", m.cvRecencyAucMean());
            meta.put("cv_recency_auc_sd", m.cvRecencyAucStdDev());
        }
        meta.put("forest_trees", m.forestTrees());
        meta.put("forest_seconds", m.forestSeconds());
        if (oot != null) {
            meta.put("out_of_time", Map.of("trained_on", oot.trainedOn().toString(), "scored_on", oot.scoredOn().toString(),
                    "outcome_by", oot.outcomeBy().toString(), "auc", oot.auc(), "recency_auc", oot.recencyAuc()));
        }
        meta.put("published", verdict.published());
        meta.put("verdict", verdict.summary());
        return meta;
    }

    private static PipelineRun run(Exchange exchange) {
        return exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
    }
}
