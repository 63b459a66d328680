package io.ecombi.testing;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small JDBC helpers for test fixtures and assertions. */
public final class Sql {
    private Sql() {}

    public static void exec(DataSource ds, String script) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(script);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public static List<Map<String, Object>> rows(DataSource ds, String query, Object... params) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(query)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) {
                List<Map<String, Object>> out = new ArrayList<>();
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= n; i++) row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    out.add(row);
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The hand-made shop of src/test/resources/fixtures/kpi_fixture.sql (as-of 2026-06-30). */
    public static void loadKpiFixture(DataSource ds) {
        loadFixture(ds, "kpi_fixture.sql");
    }

    /** One of the hand-made shops of src/test/resources/fixtures/, by file name. */
    public static void loadFixture(DataSource ds, String fileName) {
        try {
            exec(ds, java.nio.file.Files.readString(java.nio.file.Path.of("src/test/resources/fixtures", fileName)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static Object one(DataSource ds, String query, Object... params) {
        List<Map<String, Object>> r = rows(ds, query, params);
        return r.isEmpty() ? null : r.get(0).values().iterator().next();
    }
}
