package io.ecombi.clv;

import io.ecombi.db.SqlFile;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The customer summary of sql/clv/customer_summary.sql, read into arrays: every customer's history to
 * the as-of date ({@link #full}) with their historical value, and the customers of the calibration
 * part ({@link #calibration}, to {@link #calibrationEnd}) with what they did in the hold-out.
 *
 * @param customerIds     per customer of full
 * @param full            x, t_x, T (weeks) and mean repeat value to the as-of date
 * @param netRevenue      all net revenue to the as-of date (the historical value)
 * @param netRevenue12m   net revenue in the report window
 * @param firstDay        the earliest first purchase day (null without customers)
 * @param calibrationEnd  the last day of the calibration part
 * @param calibrationRows for each calibration customer, their index in full
 * @param calibration     x, t_x, T and mean repeat value to calibrationEnd
 * @param holdoutPurchases each calibration customer's purchase days in the hold-out
 * @param holdoutNetRevenue each calibration customer's net revenue in the hold-out
 */
record CustomerSummary(long[] customerIds, Histories full, double[] netRevenue, double[] netRevenue12m, LocalDate firstDay,
                       LocalDate calibrationEnd, int[] calibrationRows, Histories calibration, int[] holdoutPurchases,
                       double[] holdoutNetRevenue) {

    static CustomerSummary read(DataSource ds, Path file) throws IOException, SQLException {
        List<Row> rows = new ArrayList<>();
        LocalDate[] calEnd = {null};
        SqlFile sql = SqlFile.read(file);
        SqlFile.inTransaction(ds, c -> readRows(sql, c, rows, calEnd));
        int n = rows.size();
        long[] ids = new long[n];
        int[] x = new int[n];
        double[] tx = new double[n], T = new double[n], m = new double[n], revenue = new double[n], revenue12m = new double[n];
        LocalDate first = null;
        int nc = 0;
        for (Row r : rows) if (r.inCalibration) nc++;
        int[] calRows = new int[nc], cx = new int[nc], holdout = new int[nc];
        double[] ctx = new double[nc], cT = new double[nc], cm = new double[nc], holdoutRevenue = new double[nc];
        for (int i = 0, j = 0; i < n; i++) {
            Row r = rows.get(i);
            ids[i] = r.id;
            x[i] = r.x;
            tx[i] = r.tx;
            T[i] = r.T;
            m[i] = r.m;
            revenue[i] = r.netRevenue;
            revenue12m[i] = r.netRevenue12m;
            if (first == null || r.firstDay.isBefore(first)) first = r.firstDay;
            if (r.inCalibration) {
                calRows[j] = i;
                cx[j] = r.cx;
                ctx[j] = r.ctx;
                cT[j] = r.cT;
                cm[j] = r.cm;
                holdout[j] = r.holdout;
                holdoutRevenue[j++] = r.holdoutRevenue;
            }
        }
        return new CustomerSummary(ids, new Histories(x, tx, T, m), revenue, revenue12m, first, calEnd[0], calRows,
                new Histories(cx, ctx, cT, cm), holdout, holdoutRevenue);
    }

    int size() {
        return customerIds.length;
    }

    private record Row(long id, LocalDate firstDay, int x, double tx, double T, double m, double netRevenue, double netRevenue12m,
                       boolean inCalibration, int cx, double ctx, double cT, double cm, int holdout, double holdoutRevenue) { }

    private static void readRows(SqlFile sql, Connection c, List<Row> rows, LocalDate[] calEnd) throws SQLException {
        sql.query(c, Map.of(), rs -> {
            if (calEnd[0] == null) calEnd[0] = rs.getDate("calibration_end").toLocalDate();
            boolean in = rs.getBoolean("in_calibration");
            rows.add(new Row(rs.getLong("customer_id"), rs.getDate("first_day").toLocalDate(), rs.getInt("frequency"),
                    rs.getDouble("recency_weeks"), rs.getDouble("age_weeks"), orNaN(rs, "monetary"), rs.getDouble("net_revenue"),
                    rs.getDouble("net_revenue_12m"), in, in ? rs.getInt("cal_frequency") : 0, in ? rs.getDouble("cal_recency_weeks") : 0,
                    in ? rs.getDouble("cal_age_weeks") : 0, in ? orNaN(rs, "cal_monetary") : Double.NaN,
                    in ? rs.getInt("holdout_purchases") : 0, in ? rs.getDouble("holdout_net_revenue") : 0));
        });
    }

    private static double orNaN(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : v;
    }
}
