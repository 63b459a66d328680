package io.ecombi.churn;

import io.ecombi.db.SqlFile;

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
import java.util.List;
import java.util.Map;

/**
 * The churn model's data in and out of PostgreSQL: the feature sets it is fitted and checked on
 * (sql/churn/features_as_of.sql, sampled by sql/churn/training_sample.sql), the model with its terms
 * (bi.churn_models, bi.churn_model_terms) and the scores (sql/churn/score.sql into bi.churn_scores).
 * Each file is run by {@link SqlFile}; the only values bound here are the feature date and label end,
 * which differ between the three feature sets of a run (training, out of time, scoring); everything
 * else the files read from fact.params.
 */
final class ChurnStore {
    private final DataSource ds;
    private final Path sqlDir;
    private final List<String> features;

    /** A store reading and writing through ds, with the files of sqlDir, for a model of these features (ecombi.churn.features). */
    ChurnStore(DataSource ds, Path sqlDir, List<String> features) {
        this.ds = ds;
        this.sqlDir = sqlDir;
        this.features = features;
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

    /** A set as sql/churn/training_sample.sql returns it: the rows marked in_sample, and the whole set's size and churned count. */
    record MarkedSet(TrainingData sample, long size, long churned) {}

    /**
     * A feature set with the sample the model is fitted on marked (sql/churn/training_sample.sql):
     * a large shop's model is fitted on a stratified sample, so the fit's cost and memory stop growing
     * with the customer count, while the AUC of 20,000 customers is already known to about +/- 0.005.
     * Every row streams through (5,000 at a time) and is counted and, when csv is given, written to it.
     */
    MarkedSet markedSet(LocalDate featureDate, LocalDate labelEnd, Path csv) throws IOException, SQLException {
        SqlFile sample = SqlFile.read(sqlDir.resolve("churn/training_sample.sql"));
        if (csv != null) Files.createDirectories(csv.getParent());
        try (SetReader reader = new SetReader(csv)) {
            withFeatures(ds, sqlDir, featureDate, labelEnd, c -> sample.query(c, Map.of(), reader));
            return reader.set();
        }
    }

    /**
     * Scores the customers active on asOf in PostgreSQL: their features, then sql/churn/score.sql,
     * which reads them and the published model's terms in bi.churn_model_terms and writes
     * bi.churn_scores, then sql/churn/reasons.sql, which writes each score's top three reasons to
     * bi.churn_reasons from the same features and terms. Returns the run's count of scores.
     */
    long score(long runId, LocalDate asOf) throws IOException, SQLException {
        return score(runId, asOf, null);
    }

    /** The same, and every scored customer's features streamed to scored (when given) in the same transaction. */
    long score(long runId, LocalDate asOf, SqlFile.RowReader scored) throws IOException, SQLException {
        SqlFile score = SqlFile.read(sqlDir.resolve("churn/score.sql"));
        SqlFile reasons = SqlFile.read(sqlDir.resolve("churn/reasons.sql"));
        SqlFile features = SqlFile.read(sqlDir.resolve("churn/scoring_features.sql"));
        long[] count = {0};
        withFeatures(ds, sqlDir, asOf, asOf, c -> {
            score.execute(c, Map.of());
            reasons.execute(c, Map.of());
            if (scored != null) features.query(c, Map.of(), scored);
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM bi.churn_scores WHERE run_id = ?")) {
                ps.setLong(1, runId);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    count[0] = rs.getLong(1);
                }
            }
        });
        return count[0];
    }

    /** This run's churn probabilities and the previous scoring run's (sql/churn/score_drift.sql): [0] current, [1] previous, and its run id. */
    record ScoreSets(double[] current, double[] previous, Long previousRun) {}

    ScoreSets scoreSets() throws IOException, SQLException {
        List<Double> cur = new ArrayList<>(), prev = new ArrayList<>();
        Long[] previousRun = {null};
        try (Connection c = ds.getConnection()) {
            SqlFile.read(sqlDir.resolve("churn/score_drift.sql")).query(c, Map.of(), rs -> {
                if (rs.getBoolean("current")) cur.add(rs.getDouble("churn_probability"));
                else { prev.add(rs.getDouble("churn_probability")); previousRun[0] = rs.getLong("run_id"); }
            });
        }
        return new ScoreSets(cur.stream().mapToDouble(Double::doubleValue).toArray(), prev.stream().mapToDouble(Double::doubleValue).toArray(), previousRun[0]);
    }

    /** One row of bi.churn_drift. */
    record DriftRow(String measure, String comparedWith, int bins, double psi, String level) {}

    void saveDrift(long runId, List<DriftRow> rows) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO bi.churn_drift (run_id, measure, compared_with, bins, psi, level) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (DriftRow r : rows) {
                ps.setLong(1, runId);
                ps.setString(2, r.measure());
                ps.setString(3, r.comparedWith());
                ps.setInt(4, r.bins());
                ps.setDouble(5, r.psi());
                ps.setString(6, r.level());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** sql/churn/model_history.sql: the models up to this run, newest first. */
    List<Map<String, Object>> history() throws IOException, SQLException {
        return SqlFile.read(sqlDir.resolve("churn/model_history.sql")).rows(ds, Map.of());
    }

    /**
     * The model in bi.churn_models (its metadata as JSON, whether it is published and why) and its
     * terms in bi.churn_model_terms, the intercept as the term "(intercept)": what score.sql reads.
     */
    void saveModel(long runId, LocalDate cutoff, LocalDate asOf, ChurnModel m, Evidence.Verdict verdict, String metadataJson) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement model = c.prepareStatement(
                    "INSERT INTO bi.churn_models (run_id, cutoff_date, as_of, train_rows, metadata, published, verdict) VALUES (?, ?, ?, ?, CAST(? AS jsonb), ?, ?)");
                 PreparedStatement term = c.prepareStatement(
                         "INSERT INTO bi.churn_model_terms (run_id, feature, mean, std_dev, coefficient, stable) VALUES (?, ?, ?, ?, ?, ?)")) {
                model.setLong(1, runId);
                model.setObject(2, cutoff);
                model.setObject(3, asOf);
                model.setInt(4, m.trainRows());
                model.setString(5, metadataJson);
                model.setBoolean(6, verdict.published());
                model.setString(7, verdict.summary());
                model.executeUpdate();
                for (int j = 0; j < m.features().size(); j++) {
                    addTerm(term, runId, m.features().get(j), m.mean()[j], m.sd()[j], m.coefficients()[j], m.stable(j));
                }
                addTerm(term, runId, "(intercept)", 0, 1, m.intercept(), true);
                term.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static void addTerm(PreparedStatement ps, long runId, String feature, double mean, double sd, double coefficient, boolean stable) throws SQLException {
        ps.setLong(1, runId);
        ps.setString(2, feature);
        ps.setDouble(3, mean);
        ps.setDouble(4, sd);
        ps.setDouble(5, coefficient);
        ps.setBoolean(6, stable);
        ps.addBatch();
    }

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
}
