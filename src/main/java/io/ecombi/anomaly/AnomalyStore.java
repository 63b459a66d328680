package io.ecombi.anomaly;

import javax.sql.DataSource;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the anomalies go: bi.anomalies, which keeps every anomaly across runs (the run that first
 * finds one raises it as new, later runs do not), and data/anomalies.csv in the run folder.
 */
final class AnomalyStore {
    /** Every anomaly of the run, as the section's tables and findings cite it. */
    static final String CSV = "data/anomalies.csv";

    private final DataSource ds;
    private final double forestThreshold;

    AnomalyStore(DataSource ds, double forestThreshold) {
        this.ds = ds;
        this.forestThreshold = forestThreshold;
    }

    /** Upserts every anomaly; the first run to find one is its first_run_id, and only that run calls it new. */
    List<Found> save(long runId, List<AnomalyDetector.Anomaly> found, Map<LocalDate, Double> forestScores) throws SQLException {
        List<Found> out = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO bi.anomalies (metric, day, kind, actual, expected, lower_bound, upper_bound,"
                    + " deviation_pct, robust_z, severity, first_run_id, last_run_id, iforest_score, iforest_agrees, expected_event) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (metric, day) DO UPDATE SET kind = EXCLUDED.kind, actual = EXCLUDED.actual, expected = EXCLUDED.expected,"
                    + " lower_bound = EXCLUDED.lower_bound, upper_bound = EXCLUDED.upper_bound, deviation_pct = EXCLUDED.deviation_pct,"
                    + " robust_z = EXCLUDED.robust_z, severity = EXCLUDED.severity, last_run_id = EXCLUDED.last_run_id,"
                    + " iforest_score = EXCLUDED.iforest_score, iforest_agrees = EXCLUDED.iforest_agrees, expected_event = EXCLUDED.expected_event"
                    + " RETURNING first_run_id")) {
                for (AnomalyDetector.Anomaly a : found) {
                    ps.setString(1, a.metric());
                    ps.setDate(2, Date.valueOf(a.day()));
                    ps.setString(3, a.kind());
                    ps.setDouble(4, a.actual());
                    ps.setDouble(5, a.expected());
                    ps.setDouble(6, a.lower());
                    ps.setDouble(7, a.upper());
                    setDouble(ps, 8, a.deviationPct());
                    setDouble(ps, 9, a.robustZ());
                    ps.setString(10, a.severity());
                    ps.setLong(11, runId);
                    ps.setLong(12, runId);
                    Double score = forestScores.get(a.day());
                    boolean agrees = score != null && score >= forestThreshold;
                    if (score == null || "data_gap".equals(a.kind())) { ps.setNull(13, java.sql.Types.DOUBLE); ps.setNull(14, java.sql.Types.BOOLEAN); }
                    else { ps.setDouble(13, score); ps.setBoolean(14, agrees); }
                    ps.setString(15, a.event());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        out.add(new Found(a, rs.getLong(1) == runId, score == null ? Double.NaN : score, agrees && !"data_gap".equals(a.kind())));
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
        return out;
    }

    private static void setDouble(PreparedStatement ps, int i, double v) throws SQLException {
        if (Double.isNaN(v) || Double.isInfinite(v)) ps.setNull(i, java.sql.Types.DOUBLE);
        else ps.setDouble(i, v);
    }

    /** data/anomalies.csv: every anomaly of the run with its forest score and whether it is new. */
    static void writeCsv(Path runDir, List<Found> found) throws IOException {
        Path data = runDir.resolve("data");
        Files.createDirectories(data);
        try (BufferedWriter w = Files.newBufferedWriter(data.resolve("anomalies.csv"), StandardCharsets.UTF_8)) {
            w.write("day,weekday,metric,kind,severity,actual,expected,lower_bound,upper_bound,deviation_pct,robust_z,iforest_score,iforest_agrees,is_new,expected_event\n");
            for (Found f : found) {
                AnomalyDetector.Anomaly a = f.anomaly();
                String metric = io.ecombi.kpi.KpiTable.csvField(a.metric());
                w.write(String.format(Locale.US, "%s,%s,%s,%s,%s,%.2f,%.2f,%.2f,%.2f,%s,%s,%s,%s,%s,%s%n", a.day(),
                        a.day().getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US), metric, a.kind(), a.severity(), a.actual(), a.expected(),
                        a.lower(), a.upper(), Double.isNaN(a.deviationPct()) ? "" : String.format(Locale.US, "%.1f", a.deviationPct()),
                        Double.isNaN(a.robustZ()) ? "" : String.format(Locale.US, "%.2f", a.robustZ()),
                        Double.isNaN(f.forestScore()) || "data_gap".equals(a.kind()) ? "" : String.format(Locale.US, "%.3f", f.forestScore()),
                        "data_gap".equals(a.kind()) ? "" : f.forestAgrees(), f.isNew(), a.event() == null ? "" : io.ecombi.kpi.KpiTable.csvField(a.event())));
            }
        }
    }
}
