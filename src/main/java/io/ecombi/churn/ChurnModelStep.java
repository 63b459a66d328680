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
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The churn-model step (route churn-model): training set from sql/churn/features_as_of.sql as of
 * the cutoff, Weka training and evaluation, the model saved with its metadata and its terms in
 * bi.churn_model_terms, then scoring of today's active customers inside PostgreSQL.
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
    private static final String STAGE_PROPERTY = "ecombiChurnStage";
    private static final String TRAINING_PROPERTY = "ecombiChurnTraining";
    private static final String EVALUATED_PROPERTY = "ecombiChurnEvaluated";
    private static final String OUT_OF_TIME_PROPERTY = "ecombiChurnOutOfTime";
    private static final String VERDICT_PROPERTY = "ecombiChurnVerdict";
    private final DataSource ds;
    private final Path sqlDir;
    private final int windowDays;
    private final int minOrders;
    private final int minTrainingRows;
    private final int maxTrainingRows;
    private final List<String> features;
    private final ChurnTrainer.Options options;
    private final Evidence.Rules rules;
    private final double bandHigh;
    private final double bandMedium;
    private final double winBackRate;
    private final double contactCost;
    private final int topN;
    private final String defaultCurrency;

    public ChurnModelStep(DataSource ds, Settings s) {
        this.ds = ds;
        this.sqlDir = s.path("ecombi.sql.dir");
        this.windowDays = s.getInt("ecombi.churn.window-days");
        this.minOrders = s.getInt("ecombi.churn.min-orders");
        this.minTrainingRows = s.getInt("ecombi.churn.min-training-rows");
        this.maxTrainingRows = s.getInt("ecombi.churn.max-training-rows");
        this.features = List.of(s.get("ecombi.churn.features").split("\\s*,\\s*"));
        this.options = new ChurnTrainer.Options(s.getDouble("ecombi.churn.ridge"),
                s.getInt("ecombi.churn.seed"), 0.2, s.getInt("ecombi.churn.forest-trees"),
                s.getInt("ecombi.churn.forest-max-depth"),
                s.getInt("ecombi.churn.forest-max-rows"), s.getInt("ecombi.churn.cv-folds"));
        this.rules = new Evidence.Rules(s.getDouble("ecombi.churn.publish.min-cv-auc-lower-bound"),
                s.getDouble("ecombi.churn.publish.min-hold-out-auc"),
                s.getDouble("ecombi.churn.publish.min-gain-over-recency"));
        this.bandHigh = s.getDouble("ecombi.churn.band-high");
        this.bandMedium = s.getDouble("ecombi.churn.band-medium");
        this.winBackRate = s.getDouble("ecombi.churn.win-back-rate");
        this.contactCost = s.getDouble("ecombi.churn.contact-cost");
        this.topN = s.getInt("ecombi.churn.retention-top-n");
        this.defaultCurrency = s.get("ecombi.report.currency");
    }

    LocalDate cutoff(PipelineRun run) {
        return run.asOf().minusDays(windowDays);
    }

    /** Query for the training set: features as of the cutoff, label from the window after it. */
    public void trainingQuery(Exchange exchange) throws IOException {
        PipelineRun run = run(exchange);
        exchange.setProperty(STAGE_PROPERTY, run.beginStage("churn model: train"));
        sampleQuery(exchange, cutoff(run), run.asOf());
    }

    /**
     * A training set with the sample the model is fitted on marked (sql/churn/training_sample.sql):
     * a large shop's model is fitted on a stratified sample, so the fit's cost and memory stop growing
     * with the customer count, while the AUC of 20,000 customers is already known to about +/- 0.005.
     */
    private void sampleQuery(Exchange exchange, LocalDate featureDate, LocalDate labelEnd) throws IOException {
        featureQuery(exchange, featureDate, labelEnd);
        String features = exchange.getMessage().getHeader("CamelSqlQuery", String.class);
        exchange.getMessage().setHeader("CamelSqlQuery", "WITH features AS (\n" + features + "\n)\n"
                + Files.readString(sqlDir.resolve("churn/training_sample.sql")));
        exchange.getMessage().setHeader("maxRows", maxTrainingRows);
        exchange.getMessage().setHeader("seed", options.seed());
    }

    private void featureQuery(Exchange exchange, LocalDate featureDate, LocalDate labelEnd) throws IOException {
        exchange.getMessage().setBody(null);
        exchange.getMessage().setHeader("CamelSqlQuery", Files.readString(sqlDir.resolve("churn/features_as_of.sql")));
        exchange.getMessage().setHeader("featureDate", featureDate);
        exchange.getMessage().setHeader("labelEnd", labelEnd);
        exchange.getMessage().setHeader("churnDays", windowDays);
        exchange.getMessage().setHeader("minOrders", minOrders);
    }

    /** Reads the training set, trains and evaluates the model against its baselines (nothing is published yet). */
    public void train(Exchange exchange) throws Exception {
        PipelineRun run = run(exchange);
        Stage stage = exchange.getProperty(STAGE_PROPERTY, Stage.class);
        MarkedSet set = read(exchange.getMessage().getBody(Iterator.class), run.dir().resolve("data/churn_training_set.csv"));
        exchange.getMessage().removeHeader("CamelSqlQuery");
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

    /** Query for the out-of-time check: features one window earlier, labelled by the window that ends at the cutoff. */
    public void outOfTimeQuery(Exchange exchange) throws IOException {
        PipelineRun run = run(exchange);
        exchange.setProperty(STAGE_PROPERTY, run.beginStage("churn model: out-of-time check"));
        sampleQuery(exchange, cutoff(run).minusDays(windowDays), cutoff(run));
    }

    /**
     * The out-of-time check and the verdict: a model fitted on the window before the cutoff (all its
     * data known by the cutoff) scores the customers active at the cutoff, and is compared with what
     * they did by the as-of date. Then the model is published only if every check passes; it is saved
     * either way with its verdict.
     */
    public void decide(Exchange exchange) throws Exception {
        PipelineRun run = run(exchange);
        Stage stage = exchange.getProperty(STAGE_PROPERTY, Stage.class);
        TrainingData earlier = read(exchange.getMessage().getBody(Iterator.class), null).sample();
        exchange.getMessage().removeHeader("CamelSqlQuery");
        TrainingData now = exchange.getProperty(TRAINING_PROPERTY, TrainingData.class);
        ChurnModel model = exchange.getProperty(EVALUATED_PROPERTY, ChurnModel.class);
        LocalDate earlierDate = cutoff(run).minusDays(windowDays);
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
        Evidence.Verdict verdict = Evidence.verdict(model, oot, rules);
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

    /** Scoring statement: the features as of the as-of date, scored in PostgreSQL by the saved terms. */
    public void scoringStatement(Exchange exchange) throws IOException, SQLException {
        PipelineRun run = run(exchange);
        exchange.setProperty(STAGE_PROPERTY, run.beginStage("churn model: score"));
        featureQuery(exchange, run.asOf(), run.asOf());
        String features = exchange.getMessage().getHeader("CamelSqlQuery", String.class);
        exchange.getMessage().setHeader("CamelSqlQuery", "WITH features AS (\n" + features + "\n),\nscored AS (\n"
                + linearPredictor(exchange, run.id()) + "\n)\n" + Files.readString(sqlDir.resolve("churn/score.sql")));
        exchange.getMessage().setHeader("runId", run.id());
        exchange.getMessage().setHeader("bandHigh", bandHigh);
        exchange.getMessage().setHeader("bandMedium", bandMedium);
    }

    /**
     * The published model's linear predictor over the features, one term per row of
     * bi.churn_model_terms (its values bound as parameters, the feature names quoted identifiers):
     * intercept + sum of coefficient x standardized value, a missing value counting as the mean.
     * The terms are summed in the order PostgreSQL keeps jsonb keys (shorter names first, then by
     * bytes), the order of the row-to-jsonb unpivot this replaced (3 s for 123,000 customers at 4M
     * order lines), so the probabilities are the same to the last bit.
     */
    private String linearPredictor(Exchange exchange, long runId) throws SQLException {
        List<Object[]> terms = new ArrayList<>();
        Double intercept = null;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT feature, mean, std_dev, coefficient FROM bi.churn_model_terms WHERE run_id = ?")) {
            ps.setLong(1, runId);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(1).equals("(intercept)")) intercept = rs.getDouble(4);
                    else terms.add(new Object[]{rs.getString(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4)});
                }
            }
        }
        if (intercept == null || terms.isEmpty()) throw new IllegalStateException("run " + runId + " has no model terms in bi.churn_model_terms to score with");
        terms.sort(java.util.Comparator.comparingInt((Object[] t) -> ((String) t[0]).getBytes(StandardCharsets.UTF_8).length)
                .thenComparing(t -> (String) t[0], java.util.Comparator.comparing(n -> n.getBytes(StandardCharsets.UTF_8), java.util.Arrays::compare)));
        List<String> sum = new ArrayList<>();
        for (int j = 0; j < terms.size(); j++) {
            Object[] t = terms.get(j);
            String col = "f.\"" + ((String) t[0]).replace("\"", "\"\"") + "\"";
            exchange.getMessage().setHeader("termMean" + j, t[1]);
            exchange.getMessage().setHeader("termSd" + j, t[2]);
            exchange.getMessage().setHeader("termCoefficient" + j, t[3]);
            sum.add("CAST(:#termCoefficient" + j + " AS double precision) * COALESCE((CAST(" + col + " AS double precision) - CAST(:#termMean" + j
                    + " AS double precision)) / NULLIF(CAST(:#termSd" + j + " AS double precision), 0), 0)");
        }
        exchange.getMessage().setHeader("termIntercept", intercept);
        return "SELECT f.*, CAST(:#termIntercept AS double precision) + (\n    " + String.join("\n  + ", sum) + ") AS linear\nFROM features f";
    }

    public void scored(Exchange exchange) {
        PipelineRun run = run(exchange);
        Integer rows = exchange.getMessage().getHeader("CamelSqlUpdateCount", Integer.class);
        exchange.getMessage().removeHeader("CamelSqlQuery");
        run.endStage(exchange.getProperty(STAGE_PROPERTY, Stage.class), rows == null ? -1 : rows, "bi.churn_scores");
    }

    /** Parameters of the retention queries (sql/churn/retention_targets.sql). */
    public void retentionParameters(Exchange exchange) {
        exchange.getMessage().setHeader("winBackRate", winBackRate);
        exchange.getMessage().setHeader("contactCost", contactCost);
        exchange.getMessage().setHeader("topN", topN);
    }

    /** model_results.txt, the charts and the dashboard section: the evidence, and what was published or why not. */
    public void report(Exchange exchange) throws IOException {
        PipelineRun run = run(exchange);
        Stage stage = run.beginStage("churn model: report");
        ModelReport report = new ModelReport(run, exchange.getProperty(EVALUATED_PROPERTY, ChurnModel.class),
                exchange.getProperty(TRAINING_PROPERTY, TrainingData.class), exchange.getProperty(VERDICT_PROPERTY, Evidence.Verdict.class),
                exchange.getProperty(OUT_OF_TIME_PROPERTY, Evidence.OutOfTime.class), (String) run.get(SKIPPED_KEY),
                (String) run.get(OUT_OF_TIME_SKIPPED_KEY), rules,
                cutoff(run), windowDays, minOrders, bandHigh, bandMedium, winBackRate, contactCost, topN,
                io.ecombi.report.Formats.symbol(io.ecombi.report.Formats.currencyCode(run, defaultCurrency)));
        Files.writeString(run.dir().resolve("model_results.txt"), report.text(), StandardCharsets.UTF_8);
        report.charts(run.dir());
        run.put(ModelReport.SECTION_KEY, report.section());
        run.endStage(stage, -1, "model_results.txt");
    }

    /** A set as sql/churn/training_sample.sql returns it: the rows marked in_sample, and the whole set's size and churned count. */
    private record MarkedSet(TrainingData sample, long size, long churned) {}

    /**
     * Reads a set as it streams in: every row is counted and, when csv is given, written to it; only
     * the rows marked in_sample are kept, so only the sample is ever held in memory.
     */
    private MarkedSet read(Iterator<?> rows, Path csv) throws IOException {
        long size = 0, churned = 0;
        List<Long> ids = new ArrayList<>();
        List<double[]> x = new ArrayList<>();
        List<Boolean> y = new ArrayList<>();
        List<Double> value = new ArrayList<>();
        if (csv != null) Files.createDirectories(csv.getParent());
        try (BufferedWriter w = csv == null ? new BufferedWriter(java.io.Writer.nullWriter()) : Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("customer_id," + String.join(",", features) + ",expected_window_revenue,churned_next_window\n");
            while (rows.hasNext()) {
                Map<?, ?> row = (Map<?, ?>) rows.next();
                long id = ((Number) row.get("customer_id")).longValue();
                double[] v = new double[features.size()];
                StringBuilder line = new StringBuilder().append(id);
                for (int j = 0; j < v.length; j++) {
                    if (!row.containsKey(features.get(j))) {
                        throw new IllegalArgumentException("churn feature '" + features.get(j) + "' (ecombi.churn.features) is not a column of churn/features_as_of.sql: " + row.keySet());
                    }
                    Object o = row.get(features.get(j));
                    v[j] = o == null ? Double.NaN : ((Number) o).doubleValue();
                    line.append(',').append(o == null ? "" : o);
                }
                Boolean label = (Boolean) row.get("churned_next_window");
                Object revenue = row.get("expected_window_revenue");
                w.write(line.append(',').append(revenue == null ? "" : revenue).append(',').append(label).append('\n').toString());
                size++;
                if (label) churned++;
                if (!Boolean.TRUE.equals(row.get("in_sample"))) continue;
                ids.add(id);
                x.add(v);
                y.add(label);
                value.add(revenue == null ? 0 : ((Number) revenue).doubleValue());
            }
        } finally {
            if (rows instanceof AutoCloseable c) {
                try { c.close(); } catch (Exception ignored) { /* back to the pool */ }
            }
        }
        boolean[] labels = new boolean[y.size()];
        long[] idArray = new long[ids.size()];
        double[] revenue = new double[labels.length];
        for (int i = 0; i < labels.length; i++) { labels[i] = y.get(i); idArray[i] = ids.get(i); revenue[i] = value.get(i); }
        return new MarkedSet(new TrainingData(features, idArray, x.toArray(new double[0][]), labels, revenue), size, churned);
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
        meta.put("label", "no completed order in (" + cutoff(run) + ", " + run.asOf() + "] among customers with " + minOrders
                + "+ completed orders by the cutoff and one in the " + windowDays + " days before it");
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
