package io.ecombi.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The format for CSV files shaped like ecombi's own tables (customers.csv, orders.csv, ...: the
 * header names the table's columns, the key among them). Its SQL is made from the database's own
 * catalogue: each value is checked against its column's type, each reference against the table it
 * points to, each status against its allowed values; then the rows are upserted by key.
 * Identifiers come from the catalogue only; no value is ever put into the SQL text.
 */
final class ShopTableMerge {
    static final List<String> TABLES = List.of("customers", "products", "orders", "order_items", "support_tickets", "web_events", "marketing_campaigns");
    /** The CHECK constraints of the schema that a file's values must meet. */
    private static final Map<String, List<String>> ALLOWED = Map.of(
            "orders.order_status", List.of("Completed", "Cancelled", "Returned"),
            "orders.order_kind", List.of("sale", "credit_note"),
            "support_tickets.resolution_status", List.of("Resolved", "Unresolved"),
            "web_events.event_type", List.of("view", "cart", "purchase"));
    private static final List<String> NOT_NEGATIVE = List.of("unit_price", "unit_cost", "shipping_cost", "discount_amount", "budget", "quantity");

    private ShopTableMerge() {}

    /** The merge script for a file of `table` with these columns; throws when the columns do not fit the table. */
    static String script(Connection c, String table, List<String> fileColumns) throws SQLException {
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, Boolean> notNull = new LinkedHashMap<>();
        Map<String, Boolean> hasDefault = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.atthasdef FROM pg_attribute a "
                + "WHERE a.attrelid = CAST(? AS regclass) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
            ps.setString(1, "public." + table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    types.put(rs.getString(1), rs.getString(2));
                    notNull.put(rs.getString(1), rs.getBoolean(3));
                    hasDefault.put(rs.getString(1), rs.getBoolean(4));
                }
            }
        }
        String key = primaryKey(c, table);
        List<String> unknown = fileColumns.stream().filter(col -> !types.containsKey(col)).toList();
        if (!unknown.isEmpty()) throw new IllegalArgumentException("columns " + unknown + " are not columns of " + table + " " + types.keySet());
        List<String> missing = types.keySet().stream().filter(col -> notNull.get(col) && !hasDefault.get(col) && !fileColumns.contains(col)).toList();
        if (!missing.isEmpty()) throw new IllegalArgumentException(table + ".csv lacks required column(s) " + missing + " (table columns: " + types.keySet() + ")");
        Map<String, String[]> references = references(c, table);

        // one pass: each row's first problem, with the references checked by hash joins, not per row
        List<String> checks = new ArrayList<>();
        List<String> joins = new ArrayList<>();
        for (String col : fileColumns) {
            String v = "trim(l." + q(col) + ")";
            if (notNull.get(col)) checks.add("WHEN coalesce(" + v + ", '') = '' THEN " + lit("missing " + col));
            // ingest.value_problem (V8): works on PostgreSQL 14+, and refuses NaN, Infinity and 1e3 for a number
            checks.add("WHEN coalesce(" + v + ", '') <> '' AND ingest.value_problem(l." + q(col) + ", " + lit(types.get(col)) + ") IS NOT NULL THEN format('%s %L %s', "
                    + lit(col) + ", l." + q(col) + ", ingest.value_problem(l." + q(col) + ", " + lit(types.get(col)) + "))");
            List<String> allowed = ALLOWED.get(table + "." + col);
            if (allowed != null) {
                checks.add("WHEN coalesce(" + v + ", '') <> '' AND " + v + " NOT IN (" + String.join(", ", allowed.stream().map(ShopTableMerge::lit).toList())
                        + ") THEN format('%s %L is not one of " + String.join("/", allowed) + "', " + lit(col) + ", l." + q(col) + ")");
            }
            if (NOT_NEGATIVE.contains(col)) {
                checks.add("WHEN coalesce(" + v + ", '') <> '' AND CAST(" + v + " AS numeric) < 0 THEN format('negative %s %s', " + lit(col) + ", l." + q(col) + ")");
            }
            String[] ref = references.get(col);
            if (ref != null) {
                String alias = q("ref_" + col);
                joins.add("LEFT JOIN " + q(ref[0]) + " " + alias + " ON " + alias + "." + q(ref[1]) + " = CASE WHEN ingest.value_problem(l." + q(col) + ", "
                        + lit(types.get(col)) + ") IS NULL THEN CAST(" + v + " AS " + types.get(col) + ") END");
                checks.add("WHEN coalesce(" + v + ", '') <> '' AND " + alias + "." + q(ref[1]) + " IS NULL THEN format('unknown %s %s (not in " + ref[0] + ")', "
                        + lit(col) + ", l." + q(col) + ")");
            }
        }
        StringBuilder sql = new StringBuilder();
        // v is MATERIALIZED: pulled up into the window query, its CASE was evaluated once per reference (four times a row);
        // the key is compared byte-wise (COLLATE "C": the same equality, a cheaper sort)
        sql.append("CREATE TEMPORARY TABLE checked ON COMMIT DROP AS\nWITH v AS MATERIALIZED (SELECT l.*, CASE\n  ")
                .append(String.join("\n  ", checks)).append("\n END AS problem FROM load l\n  ").append(String.join("\n  ", joins)).append(")\n")
                .append("SELECT v.*, CASE WHEN v.problem IS NULL AND row_number() OVER (PARTITION BY v.problem IS NULL, trim(v.")
                .append(q(key)).append(") COLLATE \"C\" ORDER BY v.line_no DESC) > 1\n    THEN format('%s %s appears again on a later line, which is loaded', ").append(lit(key))
                .append(", trim(v.").append(q(key)).append(")) ELSE v.problem END AS reject_reason\nFROM v;\n");
        List<String> cols = fileColumns.stream().map(ShopTableMerge::q).toList();
        List<String> casts = fileColumns.stream().map(col -> "CAST(nullif(trim(" + q(col) + "), '') AS " + types.get(col) + ")").toList();
        List<String> updates = fileColumns.stream().filter(col -> !col.equals(key)).map(col -> q(col) + " = EXCLUDED." + q(col)).toList();
        sql.append("INSERT INTO ").append(q(table)).append(" (").append(String.join(", ", cols)).append(")\nSELECT ").append(String.join(", ", casts))
                .append(" FROM checked WHERE reject_reason IS NULL ORDER BY line_no\nON CONFLICT (").append(q(key)).append(") ")
                .append(updates.isEmpty() ? "DO NOTHING" : "DO UPDATE SET " + String.join(", ", updates)).append(";\n");
        sql.append("UPDATE load SET status = 'rejected', reason = c.reject_reason FROM checked c WHERE c.reject_reason IS NOT NULL AND c.line_no = load.line_no;\n");
        return sql.toString();
    }

    private static String primaryKey(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                + "WHERE i.indrelid = CAST(? AS regclass) AND i.indisprimary")) {
            ps.setString(1, "public." + table);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new IllegalStateException(table + " has no primary key");
                return rs.getString(1);
            }
        }
    }

    /** column -> {referenced table, referenced column}, for single-column foreign keys. */
    private static Map<String, String[]> references(Connection c, String table) throws SQLException {
        Map<String, String[]> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname, cf.relname, af.attname FROM pg_constraint k "
                + "JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1] "
                + "JOIN pg_class cf ON cf.oid = k.confrelid JOIN pg_attribute af ON af.attrelid = k.confrelid AND af.attnum = k.confkey[1] "
                + "WHERE k.contype = 'f' AND k.conrelid = CAST(? AS regclass) AND cardinality(k.conkey) = 1")) {
            ps.setString(1, "public." + table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), new String[]{rs.getString(2), rs.getString(3)});
            }
        }
        return out;
    }

    private static String q(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static String lit(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
