package io.ecombi.anomaly;

import io.ecombi.db.SqlFile;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the anomaly step reads from the fact layer (sql/anomaly/*.sql): the daily net revenue,
 * orders and average order value; the probable data gaps (data_gaps.sql, the quality gate's
 * check: one definition); the top categories' daily net revenue. Without a day of sales the gaps
 * and categories are not read.
 *
 * @param days       the days of daily_metrics.sql, in order
 * @param daily      net_revenue, orders and aov per day (NaN where the file gives null)
 * @param gaps       the days without any order on a normal trading weekday, and the orders expected
 * @param categories each category's net revenue per day
 */
record AnomalySeries(List<LocalDate> days, Map<String, List<Double>> daily, List<Gap> gaps, Map<String, List<Double>> categories) {

    static final List<String> METRICS = List.of("net_revenue", "orders", "aov");

    /** A probable data gap: its day and the orders expected on it. */
    record Gap(LocalDate day, double expectedOrders) {}

    static AnomalySeries read(DataSource ds, Path sqlDir) throws IOException, SQLException {
        List<LocalDate> days = new ArrayList<>();
        Map<String, List<Double>> daily = new LinkedHashMap<>();
        query(ds, sqlDir.resolve("daily_metrics.sql"), rs -> {
            days.add(rs.getDate("day").toLocalDate());
            for (String m : METRICS) {
                double v = rs.getDouble(m);
                daily.computeIfAbsent(m, k -> new ArrayList<>()).add(rs.wasNull() ? Double.NaN : v);
            }
        });
        List<Gap> gaps = new ArrayList<>();
        Map<String, List<Double>> categories = new LinkedHashMap<>();
        if (!days.isEmpty()) {
            query(ds, sqlDir.resolve("data_gaps.sql"), rs -> gaps.add(new Gap(rs.getDate("day").toLocalDate(), rs.getDouble("expected_orders"))));
            query(ds, sqlDir.resolve("category_daily.sql"),
                    rs -> categories.computeIfAbsent(rs.getString("category"), k -> new ArrayList<>()).add(rs.getDouble("net_revenue")));
        }
        return new AnomalySeries(days, daily, gaps, categories);
    }

    /** Runs the file on a connection of its own, each row to the reader. */
    private static void query(DataSource ds, Path file, SqlFile.RowReader reader) throws IOException, SQLException {
        try (Connection c = ds.getConnection()) {
            SqlFile.read(file).query(c, Map.of(), reader);
        }
    }
}
