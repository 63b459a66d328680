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
import java.util.Map;

/**
 * The churn-model step (route churn-model): training set from sql/churn/features_as_of.sql as of
 * the cutoff, Weka training and evaluation, the model saved with its metadata and its terms in
 * bi.churn_model_terms, then scoring of today's active customers inside PostgreSQL.
 */
public final class ChurnModelStep {
    /** Exchange property: true when a model was trained and scoring can follow. */
    public static final String READY_PROPERTY = "churnModelReady";
    static final String MODEL_KEY = "churnModel";
    static final String SKIPPED_KEY = "churnModelSkipped";
    private static final Logger LOG = LoggerFactory.getLogger(ChurnModelStep.class);
    private static final String STAGE_PROPERTY = "ecombiChurnStage";

    private final DataSource ds;
    private final Path sqlDir;
    private final int windowDays;
    private final int minOrders;
    private final int minTrainingRows;
    private final List<String> features;
    private final ChurnTrainer.Options options;
    private final double winBackRate;
    private final double contactCost;
    private final int topN;
    private final String currency;

    public ChurnModelStep(DataSource ds, Settings s) {
        this.ds = ds;
        this.sqlDir = s.path("ecombi.sql.dir", "sql");
        this.windowDays = s.getInt("ecombi.churn.window-days", 90);
        this.minOrders = s.getInt("ecombi.churn.min-orders", 2);
        this.minTrainingRows = s.getInt("ecombi.churn.min-training-rows", 200);
        this.features = List.of(s.get("ecombi.churn.features",
                "total_orders,total_spent,avg_order_value,customer_tenure_days,days_since_last_order,recent_support_tickets,"
                        + "unresolved_tickets,avg_days_per_order,ticket_to_order_ratio,orders_last_window,orders_prior_window,return_rate")
                .split("\\s*,\\s*"));
        this.options = new ChurnTrainer.Options(Double.parseDouble(s.get("ecombi.churn.ridge", "1e-8")),
                s.getInt("ecombi.churn.seed", 42), 0.2, s.getInt("ecombi.churn.forest-trees", 50), s.getInt("ecombi.churn.forest-max-rows", 50_000));
        this.winBackRate = Double.parseDouble(s.get("ecombi.churn.win-back-rate", "0.2"));
        this.contactCost = Double.parseDouble(s.get("ecombi.churn.contact-cost", "5"));
        this.topN = s.getInt("ecombi.churn.retention-top-n", 500);
        this.currency = s.get("ecombi.report.currency-symbol", "$");
    }

    LocalDate cutoff(PipelineRun run) {
        return run.asOf().minusDays(windowDays);
    }

    /** Query for the training set: features as of the cutoff, label from the window after it. */
    public void trainingQuery(Exchange exchange) throws IOException {
        PipelineRun run = run(exchange);
        exchange.setProperty(STAGE_PROPERTY, run.beginStage("churn model: train"));
        featureQuery(exchange, cutoff(run), run.asOf());
    }

    private void featureQuery(Exchange exchange, LocalDate featureDate, LocalDate labelEnd) throws IOException {
        exchange.getMessage().setBody(null);
        exchange.getMessage().setHeader("CamelSqlQuery", Files.readString(sqlDir.resolve("churn/features_as_of.sql")));
        exchange.getMessage().setHeader("featureDate", featureDate);
        exchange.getMessage().setHeader("labelEnd", labelEnd);
        exchange.getMessage().setHeader("churnDays", windowDays);
        exchange.getMessage().setHeader("minOrders", minOrders);
    }

    /** Reads the training set, trains and evaluates, saves the model and its terms. */
    public void train(Exchange exchange) throws Exception {
        PipelineRun run = run(exchange);
        Stage stage = exchange.getProperty(STAGE_PROPERTY, Stage.class);
        TrainingData data = read(exchange.getMessage().getBody(Iterator.class), run.dir().resolve("data/churn_training_set.csv"));
        exchange.getMessage().removeHeader("CamelSqlQuery");
        String skip = data.size() < minTrainingRows ? data.size() + " customers were active at the cutoff (" + minTrainingRows + " needed: ecombi.churn.min-training-rows)"
                : data.positives() < 10 || data.size() - data.positives() < 10 ? "one class is nearly empty (" + data.positives() + " of " + data.size() + " churned)" : null;
        if (skip != null) {
            run.put(SKIPPED_KEY, skip);
            exchange.setProperty(READY_PROPERTY, false);
            run.endStage(stage, data.size(), "skipped: " + skip);
            LOG.warn("run {} | churn model skipped: {}", run.id(), skip);
            return;
        }
        ChurnModel model = new ChurnTrainer(options).train(data);
        run.put(MODEL_KEY, model);
        save(run, model);
        exchange.setProperty(READY_PROPERTY, true);
        run.endStage(stage, data.size(), String.format("AUC %.3f (forest %.3f, majority %.3f)", model.metrics("logistic").rocAuc(),
                model.metrics("random forest").rocAuc(), model.metrics("majority").rocAuc()));
    }

    /** Scoring statement: the features as of the as-of date, scored in PostgreSQL by the saved terms. */
    public void scoringStatement(Exchange exchange) throws IOException {
        PipelineRun run = run(exchange);
        exchange.setProperty(STAGE_PROPERTY, run.beginStage("churn model: score"));
        featureQuery(exchange, run.asOf(), run.asOf());
        String features = exchange.getMessage().getHeader("CamelSqlQuery", String.class);
        exchange.getMessage().setHeader("CamelSqlQuery", "WITH features AS (\n" + features + "\n)\n"
                + Files.readString(sqlDir.resolve("churn/score.sql")));
        exchange.getMessage().setHeader("runId", run.id());
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

    /** model_results.txt, the two charts and the dashboard section, or a note that the model was skipped. */
    public void report(Exchange exchange) throws IOException {
        PipelineRun run = run(exchange);
        Stage stage = run.beginStage("churn model: report");
        ModelReport report = new ModelReport(run, (ChurnModel) run.get(MODEL_KEY), (String) run.get(SKIPPED_KEY),
                cutoff(run), windowDays, minOrders, winBackRate, contactCost, currency);
        Files.writeString(run.dir().resolve("model_results.txt"), report.text(), StandardCharsets.UTF_8);
        report.charts(run.dir());
        run.put("modelHtml", report.html());
        run.endStage(stage, -1, "model_results.txt");
    }

    private TrainingData read(Iterator<?> rows, Path csv) throws IOException {
        List<long[]> ids = new ArrayList<>();
        List<double[]> x = new ArrayList<>();
        List<Boolean> y = new ArrayList<>();
        Files.createDirectories(csv.getParent());
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("customer_id," + String.join(",", features) + ",churned_next_window\n");
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
                w.write(line.append(',').append(label).append('\n').toString());
                ids.add(new long[]{id});
                x.add(v);
                y.add(label);
            }
        } finally {
            if (rows instanceof AutoCloseable c) {
                try { c.close(); } catch (Exception ignored) { /* back to the pool */ }
            }
        }
        boolean[] labels = new boolean[y.size()];
        long[] idArray = new long[ids.size()];
        for (int i = 0; i < labels.length; i++) { labels[i] = y.get(i); idArray[i] = ids.get(i)[0]; }
        return new TrainingData(features, idArray, x.toArray(new double[0][]), labels);
    }

    private void save(PipelineRun run, ChurnModel m) throws Exception {
        Path dir = run.dir().resolve("model");
        Files.createDirectories(dir);
        SerializationHelper.write(dir.resolve("churn_logistic.model").toString(), m.logistic());
        Map<String, Object> meta = metadata(run, m);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        String metaJson = json.writeValueAsString(meta);
        Files.writeString(dir.resolve("churn_model.json"), metaJson, StandardCharsets.UTF_8);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement model = c.prepareStatement(
                    "INSERT INTO bi.churn_models (run_id, cutoff_date, as_of, train_rows, metadata) VALUES (?, ?, ?, ?, CAST(? AS jsonb))");
                 PreparedStatement term = c.prepareStatement(
                         "INSERT INTO bi.churn_model_terms (run_id, feature, mean, std_dev, coefficient) VALUES (?, ?, ?, ?, ?)")) {
                model.setLong(1, run.id());
                model.setObject(2, cutoff(run));
                model.setObject(3, run.asOf());
                model.setInt(4, m.trainRows());
                model.setString(5, metaJson);
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

    private Map<String, Object> metadata(PipelineRun run, ChurnModel m) {
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
        meta.put("cv10_auc_mean", m.cvAucMean());
        meta.put("cv10_auc_sd", m.cvAucStdDev());
        return meta;
    }

    private static PipelineRun run(Exchange exchange) {
        return exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
    }
}
