package io.ecombi.forecast;

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
 * The daily series the forecast reads (sql/forecast/daily_series.sql, from the fact layer): every
 * calendar day once, in order, and per further column of the file its value on each day (a null
 * is 0).
 *
 * @param days    the days, consecutive
 * @param columns each column's values by its label, in the file's column order
 */
record DailySeries(List<LocalDate> days, Map<String, double[]> columns) {

    static DailySeries read(DataSource ds, Path sqlFile) throws IOException, SQLException {
        List<LocalDate> days = new ArrayList<>();
        Map<String, List<Double>> cols = new LinkedHashMap<>();
        try (Connection c = ds.getConnection()) {
            SqlFile.read(sqlFile).query(c, Map.of(), rs -> {
                int n = rs.getMetaData().getColumnCount();
                if (days.isEmpty()) for (int i = 2; i <= n; i++) cols.put(rs.getMetaData().getColumnLabel(i), new ArrayList<>());
                LocalDate d = rs.getDate(1).toLocalDate();
                if (!days.isEmpty() && !d.equals(days.get(days.size() - 1).plusDays(1))) {
                    throw new IllegalStateException(sqlFile + " must return every calendar day once, in order: " + d + " follows " + days.get(days.size() - 1));
                }
                days.add(d);
                for (int i = 2; i <= n; i++) {
                    double v = rs.getDouble(i);
                    cols.get(rs.getMetaData().getColumnLabel(i)).add(rs.wasNull() ? 0 : v);
                }
            });
        }
        Map<String, double[]> columns = new LinkedHashMap<>();
        cols.forEach((k, v) -> columns.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
        return new DailySeries(days, columns);
    }
}
