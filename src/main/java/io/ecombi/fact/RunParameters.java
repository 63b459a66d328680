package io.ecombi.fact;

import io.ecombi.Settings;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's parameters as the SQL files read them: one row of fact.params, a column for the run's
 * id and as-of date and one for each setting a file reads, under the setting's name with '_' (so
 * every file runs as it is in psql against the last run, and a setting is written once, in
 * config/application.properties). A file that needs a new setting gets a line here.
 */
public final class RunParameters {
    private enum Type { INTEGER, NUMERIC, TEXT }

    private record Setting(String column, String key, Type type) { }

    private static final List<Setting> SETTINGS = List.of(
            new Setting("currency", "ecombi.report.currency", Type.TEXT),
            new Setting("churn_days", "ecombi.churn.window-days", Type.INTEGER),
            new Setting("min_orders", "ecombi.churn.min-orders", Type.INTEGER),
            new Setting("churn_min_rate_customers", "ecombi.churn.min-rate-customers", Type.INTEGER),
            new Setting("churn_band_high", "ecombi.churn.band-high", Type.NUMERIC),
            new Setting("churn_band_medium", "ecombi.churn.band-medium", Type.NUMERIC),
            new Setting("churn_win_back_rate", "ecombi.churn.win-back-rate", Type.NUMERIC),
            new Setting("churn_contact_cost", "ecombi.churn.contact-cost", Type.NUMERIC),
            new Setting("churn_retention_top_n", "ecombi.churn.retention-top-n", Type.INTEGER),
            new Setting("churn_max_training_rows", "ecombi.churn.max-training-rows", Type.INTEGER),
            new Setting("churn_seed", "ecombi.churn.seed", Type.INTEGER),
            new Setting("rfm_window_months", "ecombi.rfm.window-months", Type.INTEGER),
            new Setting("cohort_months", "ecombi.cohort.months", Type.INTEGER),
            new Setting("cohort_weeks", "ecombi.cohort.weeks", Type.INTEGER),
            new Setting("geo_top_countries", "ecombi.geography.top-countries", Type.INTEGER),
            new Setting("geo_top_regions", "ecombi.geography.top-regions", Type.INTEGER),
            new Setting("freshness_days", "ecombi.quality.freshness-days", Type.INTEGER),
            new Setting("max_row_drop_pct", "ecombi.quality.max-row-drop-pct", Type.INTEGER),
            new Setting("gap_days", "ecombi.anomaly.history-days", Type.INTEGER),
            new Setting("gap_weeks", "ecombi.quality.data-gap-weeks", Type.INTEGER),
            new Setting("gap_min_weeks", "ecombi.quality.data-gap-min-weeks", Type.INTEGER),
            new Setting("gap_traded_pct", "ecombi.quality.data-gap-traded-pct", Type.INTEGER),
            new Setting("anomaly_top_categories", "ecombi.anomaly.top-categories", Type.INTEGER),
            new Setting("forecast_top_categories", "ecombi.forecast.weekly.top-categories", Type.INTEGER),
            new Setting("clv_holdout_days", "ecombi.clv.holdout-days", Type.INTEGER),
            new Setting("drivers_top", "ecombi.drivers.top", Type.INTEGER),
            new Setting("drivers_explain_share_pct", "ecombi.drivers.explain-share-pct", Type.NUMERIC),
            new Setting("drivers_explain_excess_pts", "ecombi.drivers.explain-excess-points", Type.NUMERIC),
            new Setting("drivers_max_offset", "ecombi.drivers.max-offset", Type.NUMERIC),
            new Setting("recommend_top_n", "ecombi.recommend.top-n", Type.INTEGER),
            new Setting("recommend_min_pair_baskets", "ecombi.recommend.min-pair-baskets", Type.INTEGER),
            new Setting("recommend_max_basket_items", "ecombi.recommend.max-basket-items", Type.INTEGER),
            new Setting("recommend_rules_per_product", "ecombi.recommend.rules-per-product", Type.INTEGER));

    private final Map<String, Object> values;

    private RunParameters(Map<String, Object> values) {
        this.values = values;
    }

    public static RunParameters of(long runId, LocalDate asOf, Settings settings) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("run_id", runId);
        values.put("as_of", asOf);
        for (Setting s : SETTINGS) {
            values.put(s.column(), switch (s.type()) {
                case INTEGER -> settings.getInt(s.key());
                case NUMERIC -> new BigDecimal(settings.get(s.key()).strip());
                case TEXT -> settings.get(s.key());
            });
        }
        return new RunParameters(values);
    }

    /** Column name to value, in column order. */
    public Map<String, Object> values() {
        return java.util.Collections.unmodifiableMap(values);
    }

    public Object get(String column) {
        if (!values.containsKey(column)) throw new IllegalArgumentException("fact.params has no column " + column + " (it has " + values.keySet() + ")");
        return values.get(column);
    }

    /** Replaces fact.params with this run's row, on c (in the caller's transaction). */
    void write(Connection c) throws SQLException {
        List<String> columns = new ArrayList<>();
        for (Map.Entry<String, Object> e : values.entrySet()) columns.add(e.getKey() + " " + sqlType(e.getValue()) + " NOT NULL");
        // the column names and types come from the list above, the values are bound
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS fact.params");
            s.execute("CREATE TABLE fact.params (" + String.join(", ", columns) + ")");
        }
        String marks = String.join(", ", java.util.Collections.nCopies(values.size(), "?"));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO fact.params VALUES (" + marks + ")")) {
            int i = 1;
            for (Object v : values.values()) ps.setObject(i++, v);
            ps.executeUpdate();
        }
    }

    private static String sqlType(Object v) {
        if (v instanceof Long) return "bigint";
        if (v instanceof Integer) return "integer";
        if (v instanceof BigDecimal) return "numeric";
        if (v instanceof LocalDate) return "date";
        return "text";
    }
}
