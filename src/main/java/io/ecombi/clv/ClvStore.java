package io.ecombi.clv;

import javax.sql.DataSource;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Locale;

/**
 * Where a run's CLV goes: bi.clv_runs, bi.clv_models, bi.clv_holdout and bi.clv_customers in one
 * transaction, and data/clv_holdout.csv in the run folder.
 */
final class ClvStore {
    static final String HOLDOUT_CSV = "clv_holdout.csv";
    private static final int BATCH = 5000;

    private final DataSource ds;

    ClvStore(DataSource ds) {
        this.ds = ds;
    }

    void save(long runId, CustomerSummary s, ClvAnalysis.Outcome o) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                run(c, runId, s, o);
                if (o.full() != null) model(c, runId, "full", o.full());
                if (o.calibration() != null) model(c, runId, "calibration", o.calibration());
                if (o.check() != null) holdout(c, runId, o.check());
                customers(c, runId, s, o);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static void run(Connection c, long runId, CustomerSummary s, ClvAnalysis.Outcome o) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO bi.clv_runs (run_id, as_of, method, reason, customers, discount_rate_annual_pct,"
                + " holdout_start, holdout_end, holdout_customers, model_mae, baseline_mae, model_bucket_error_pct, baseline_bucket_error_pct)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            HoldoutCheck k = o.check();
            ps.setLong(1, runId);
            ps.setDate(2, Date.valueOf(o.asOf()));
            ps.setString(3, o.predicted() ? "predicted" : "historical");
            ps.setString(4, o.reason());
            ps.setInt(5, s.size());
            ps.setDouble(6, o.policy().annualDiscountRatePct());
            ps.setDate(7, s.calibrationEnd() == null ? null : Date.valueOf(s.calibrationEnd().plusDays(1)));
            ps.setDate(8, Date.valueOf(o.asOf()));
            setInt(ps, 9, k == null ? null : k.customers());
            setDouble(ps, 10, k == null ? Double.NaN : k.modelMae());
            setDouble(ps, 11, k == null ? Double.NaN : k.baselineMae());
            setDouble(ps, 12, k == null ? Double.NaN : k.modelBucketErrorPct());
            setDouble(ps, 13, k == null ? Double.NaN : k.baselineBucketErrorPct());
            ps.executeUpdate();
        }
    }

    private static void model(Connection c, long runId, String fit, ClvAnalysis.Fits f) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO bi.clv_models (run_id, fit, period_end, customers, bgnbd_r, bgnbd_alpha, bgnbd_a,"
                + " bgnbd_b, bgnbd_log_likelihood, bgnbd_converged, bgnbd_problem, gg_customers, gg_p, gg_q, gg_gamma, gg_log_likelihood, gg_converged,"
                + " gg_problem) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, runId);
            ps.setString(2, fit);
            ps.setDate(3, Date.valueOf(f.periodEnd()));
            ps.setInt(4, f.customers());
            MaximumLikelihood.Fit bg = f.bgNbd(), gg = f.gammaGamma();
            for (int i = 0; i < 4; i++) setDouble(ps, 5 + i, bg == null ? Double.NaN : bg.params()[i]);
            setDouble(ps, 9, bg == null ? Double.NaN : bg.logLikelihood());
            ps.setBoolean(10, bg != null && bg.converged());
            ps.setString(11, bg == null ? "not fitted: too few customers" : bg.problem());
            ps.setInt(12, f.gammaGammaCustomers());
            for (int i = 0; i < 3; i++) setDouble(ps, 13 + i, gg == null ? Double.NaN : gg.params()[i]);
            setDouble(ps, 16, gg == null ? Double.NaN : gg.logLikelihood());
            ps.setBoolean(17, gg != null && gg.converged());
            ps.setString(18, gg == null ? "not fitted: too few repeat buyers" : gg.problem());
            ps.executeUpdate();
        }
    }

    private static void holdout(Connection c, long runId, HoldoutCheck k) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO bi.clv_holdout (run_id, bucket, bucket_label, customers, actual_purchases,"
                + " predicted_purchases, baseline_purchases) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (HoldoutCheck.Bucket b : k.buckets()) {
                ps.setLong(1, runId);
                ps.setInt(2, b.bucket());
                ps.setString(3, b.label());
                ps.setInt(4, b.customers());
                ps.setDouble(5, b.actual());
                ps.setDouble(6, b.predicted());
                ps.setDouble(7, b.baseline());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void customers(Connection c, long runId, CustomerSummary s, ClvAnalysis.Outcome o) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO bi.clv_customers (run_id, as_of, customer_id, frequency, recency_weeks, age_weeks,"
                + " monetary, net_revenue, net_revenue_12m, p_alive, expected_purchases_90d, expected_purchases_12m, expected_order_value, clv_12m, method)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Histories h = s.full();
            Date asOf = Date.valueOf(o.asOf());
            for (int i = 0; i < s.size(); i++) {
                Valuation.Value v = o.values() == null ? null : o.values()[i];
                ps.setLong(1, runId);
                ps.setDate(2, asOf);
                ps.setLong(3, s.customerIds()[i]);
                ps.setInt(4, h.x()[i]);
                ps.setDouble(5, h.tx()[i]);
                ps.setDouble(6, h.T()[i]);
                setDouble(ps, 7, h.m()[i]);
                ps.setBigDecimal(8, java.math.BigDecimal.valueOf(s.netRevenue()[i]));
                ps.setBigDecimal(9, java.math.BigDecimal.valueOf(s.netRevenue12m()[i]));
                setDouble(ps, 10, v == null ? Double.NaN : v.pAlive());
                setDouble(ps, 11, v == null ? Double.NaN : v.purchases90d());
                setDouble(ps, 12, v == null ? Double.NaN : v.purchases12m());
                setDouble(ps, 13, v == null ? Double.NaN : v.orderValue());
                setDouble(ps, 14, v == null ? Double.NaN : v.clv12m());
                ps.setString(15, o.predicted() ? "predicted" : "historical");
                ps.addBatch();
                if ((i + 1) % BATCH == 0) ps.executeBatch();
            }
            ps.executeBatch();
        }
    }

    /** data/clv_holdout.csv: the check per bucket, totals and per customer. */
    void writeHoldoutCsv(Path runDir, HoldoutCheck k) throws IOException {
        Path data = Files.createDirectories(runDir.resolve("data"));
        try (BufferedWriter w = Files.newBufferedWriter(data.resolve(HOLDOUT_CSV), StandardCharsets.UTF_8)) {
            w.write("calibration_repeat_purchases,customers,actual_purchases,predicted_purchases,baseline_purchases,"
                    + "actual_per_customer,predicted_per_customer,baseline_per_customer\n");
            if (k == null) return;
            for (HoldoutCheck.Bucket b : k.buckets()) {
                w.write(String.format(Locale.US, "%s,%d,%.0f,%.2f,%.2f,%.4f,%.4f,%.4f%n", b.label(), b.customers(), b.actual(), b.predicted(), b.baseline(),
                        b.actualPerCustomer(), b.predictedPerCustomer(), b.baselinePerCustomer()));
            }
        }
    }

    private static void setDouble(PreparedStatement ps, int i, double v) throws SQLException {
        if (Double.isFinite(v)) ps.setDouble(i, v);
        else ps.setNull(i, Types.DOUBLE);
    }

    private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) ps.setNull(i, Types.INTEGER);
        else ps.setInt(i, v);
    }
}
