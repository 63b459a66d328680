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

    /** The staging column in which the reader marks a row whose typed values are all plain (see CanonicalValues). */
    static final String CLEAR = "ecombi_clear";

    final String table;
    final List<String> fileColumns;
    final String key;
    private final Map<String, String> types;
    private final Map<String, Boolean> notNull;
    private final Map<String, String[]> references;

    private ShopTableMerge(String table, List<String> fileColumns, String key, Map<String, String> types, Map<String, Boolean> notNull, Map<String, String[]> references) {
        this.table = table;
        this.fileColumns = fileColumns;
        this.key = key;
        this.types = types;
        this.notNull = notNull;
        this.references = references;
    }

    /** The merge of a file of `table` with these columns; throws when the columns do not fit the table. */
    static ShopTableMerge of(Connection c, String table, List<String> fileColumns) throws SQLException {
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
        return new ShopTableMerge(table, fileColumns, key, types, notNull, references(c, table));
    }

    /** The merge script without what the reader learnt (every value checked in SQL, duplicates looked for, an upsert). */
    static String script(Connection c, String table, List<String> fileColumns) throws SQLException {
        return of(c, table, fileColumns).script(false, false, false);
    }

    /** Per file column, what the reader may pre-clear. */
    List<CanonicalValues.Kind> kinds() {
        return fileColumns.stream().map(col -> CanonicalValues.kind(types.get(col))).toList();
    }

    /** Per file column, whether the table needs a value there (a blank one is "missing"). */
    List<Boolean> required() {
        return fileColumns.stream().map(notNull::get).toList();
    }

    /** Index of the key among the file's columns. */
    int keyIndex() {
        return fileColumns.indexOf(key);
    }

    /**
     * The merge script. clearColumn: the staging table has CLEAR, true on rows whose typed values the
     * reader found plain and whose required values are not blank, so those checks are skipped (they would pass). keysIncreasing: the
     * reader saw every key as a plain integer greater than the one before, so no key appears twice and
     * the duplicate search (a sort of the whole file) is skipped. tableEmpty: nothing to update, so the
     * script ends with the rejects marked and the loader copies the rest in (copyOut, copyIn): what an
     * upsert would do, at the speed of COPY.
     *
     * Each row gets its first problem in column order; rows with a problem go to `problems` (few) and
     * are marked rejected in load; the rest is inserted straight from load, in one pass.
     */
    String script(boolean clearColumn, boolean keysIncreasing, boolean tableEmpty) {
        StringBuilder sql = new StringBuilder();
        for (String statement : statements(clearColumn, keysIncreasing, tableEmpty)) sql.append(statement).append(";\n");
        return sql.toString();
    }

    /** The merge script's statements, in order, each without its ';' (see script). */
    List<String> statements(boolean clearColumn, boolean keysIncreasing, boolean tableEmpty) {
        // checks of a row; each value check is skipped on a row the reader cleared
        String skip = clearColumn ? "NOT l." + q(CLEAR) + " AND " : "";
        List<String> checks = new ArrayList<>();
        List<String> joins = new ArrayList<>();
        List<String> bounds = new ArrayList<>();
        for (String col : fileColumns) {
            String v = "trim(l." + q(col) + ")";
            String type = types.get(col);
            CanonicalValues.Kind kind = CanonicalValues.kind(type);
            String problem = "ingest.value_problem(l." + q(col) + ", " + lit(type) + ")";
            // a cleared row has a non-blank value in every required column
            if (notNull.get(col)) checks.add("WHEN " + skip + "coalesce(" + v + ", '') = '' THEN " + lit("missing " + col));
            // ingest.value_problem (V8): works on PostgreSQL 14+, and refuses NaN, Infinity and 1e3 for a number
            if (kind != CanonicalValues.Kind.TEXT) {
                checks.add("WHEN " + skip + "coalesce(" + v + ", '') <> '' AND " + problem + " IS NOT NULL THEN format('%s %L %s', " + lit(col) + ", l." + q(col) + ", " + problem + ")");
            }
            List<String> allowed = ALLOWED.get(table + "." + col);
            if (allowed != null) {
                checks.add("WHEN coalesce(" + v + ", '') <> '' AND " + v + " NOT IN (" + String.join(", ", allowed.stream().map(ShopTableMerge::lit).toList())
                        + ") THEN format('%s %L is not one of " + String.join("/", allowed) + "', " + lit(col) + ", l." + q(col) + ")");
            }
            if (NOT_NEGATIVE.contains(col)) {
                // a plain number has no sign: only a value the reader did not clear can be negative
                boolean signless = kind == CanonicalValues.Kind.INTEGER || kind == CanonicalValues.Kind.BIGINT || kind == CanonicalValues.Kind.DECIMAL;
                checks.add("WHEN " + (signless ? skip : "") + "coalesce(" + v + ", '') <> '' AND CAST(" + v + " AS numeric) < 0 THEN format('negative %s %s', " + lit(col) + ", l." + q(col) + ")");
            }
            String[] ref = references.get(col);
            if (ref != null) {
                String alias = q("ref_" + col);
                String value = clearColumn && kind != CanonicalValues.Kind.TEXT && kind != CanonicalValues.Kind.OTHER
                        ? "CASE WHEN l." + q(CLEAR) + " THEN CAST(nullif(l." + q(col) + ", '') AS " + type + ") WHEN " + problem + " IS NULL THEN CAST(" + v + " AS " + type + ") END"
                        : "CASE WHEN " + problem + " IS NULL THEN CAST(" + v + " AS " + type + ") END";
                if (kind == CanonicalValues.Kind.OTHER) {
                    joins.add("LEFT JOIN " + q(ref[0]) + " " + alias + " ON " + alias + "." + q(ref[1]) + " = " + value);
                } else {
                    // only the parent's keys between the file's least and greatest reference: a later export points mostly at the
                    // rows loaded with it (next month's lines at next month's orders), so its check reads those, not the whole
                    // parent (order_items of 10 % of the 4M shop: the hash of every order, 2.2 million, was most of the check)
                    int b = bounds.size();
                    bounds.add("min(" + value + ") AS lo" + b + ", max(" + value + ") AS hi" + b);
                    joins.add("LEFT JOIN (SELECT p." + q(ref[1]) + " FROM " + q(ref[0]) + " p WHERE p." + q(ref[1]) + " BETWEEN (SELECT lo" + b + " FROM ref_bounds) AND (SELECT hi"
                            + b + " FROM ref_bounds)) " + alias + " ON " + alias + "." + q(ref[1]) + " = " + value);
                }
                checks.add("WHEN coalesce(" + v + ", '') <> '' AND " + alias + "." + q(ref[1]) + " IS NULL THEN format('unknown %s %s (not in " + ref[0] + ")', "
                        + lit(col) + ", l." + q(col) + ")");
            }
        }
        List<String> sql = new ArrayList<>();
        // the references' bounds in one pass over the staged rows
        String with = bounds.isEmpty() ? "" : "WITH ref_bounds AS MATERIALIZED (SELECT " + String.join(", ", bounds) + " FROM load l)\n";
        sql.add("CREATE TEMPORARY TABLE problems ON COMMIT DROP AS\n" + with + "SELECT line_no, problem FROM (SELECT l.line_no, CASE\n  "
                + String.join("\n  ", checks) + "\n END AS problem FROM load l\n  " + String.join("\n  ", joins)
                + ") v WHERE problem IS NOT NULL");
        if (!keysIncreasing) {
            // the last line of a key is loaded, its earlier lines rejected (among the rows without a problem); the key is
            // compared byte-wise (COLLATE "C": the same equality, a cheaper sort) and only key and line are sorted
            sql.add("INSERT INTO problems (line_no, problem)\nSELECT line_no, format('%s %s appears again on a later line, which is loaded', " + lit(key)
                    + ", k) FROM (SELECT l.line_no, trim(l." + q(key) + ") AS k, row_number() OVER (PARTITION BY trim(l." + q(key)
                    + ") COLLATE \"C\" ORDER BY l.line_no DESC) AS n\n  FROM load l WHERE NOT EXISTS (SELECT 1 FROM problems p WHERE p.line_no = l.line_no)) d WHERE n > 1");
        }
        sql.add("UPDATE load SET status = 'rejected', reason = p.problem FROM problems p WHERE p.line_no = load.line_no");
        List<String> cols = fileColumns.stream().map(ShopTableMerge::q).toList();
        List<String> casts = fileColumns.stream().map(col -> "CAST(nullif(trim(" + q(col) + "), '') AS " + types.get(col) + ")").toList();
        List<String> updates = fileColumns.stream().filter(col -> !col.equals(key)).map(col -> q(col) + " = EXCLUDED." + q(col)).toList();
        String conflict = tableEmpty ? "" : "\nON CONFLICT (" + q(key) + ") " + (updates.isEmpty() ? "DO NOTHING" : "DO UPDATE SET " + String.join(", ", updates));
        String insert = "INSERT INTO " + q(table) + " (" + String.join(", ", cols) + ")\nSELECT ";
        if (tableEmpty) {
            // nothing to update: the loader copies the rows in (copyOut, then copyIn), see there
        } else if (clearColumn) {
            // a plain value has no spaces to trim (trim copies every value: 20 % of the insert's projection); text is trimmed as ever
            List<String> plain = fileColumns.stream().map(col -> {
                CanonicalValues.Kind kind = CanonicalValues.kind(types.get(col));
                return kind == CanonicalValues.Kind.TEXT || kind == CanonicalValues.Kind.OTHER ? "CAST(nullif(trim(" + q(col) + "), '') AS " + types.get(col) + ")"
                        : "CAST(nullif(" + q(col) + ", '') AS " + types.get(col) + ")";
            }).toList();
            // the two inserts cannot meet on a key: the file's keys are distinct once its duplicates are rejected
            sql.add(insert + String.join(", ", plain) + " FROM load WHERE status IS NULL AND " + q(CLEAR) + conflict);
            sql.add(insert + String.join(", ", casts) + " FROM load WHERE status IS NULL AND NOT " + q(CLEAR) + conflict);
        } else {
            sql.add(insert + String.join(", ", casts) + " FROM load WHERE status IS NULL" + conflict);
        }
        return sql;
    }

    /**
     * Into an empty table the checked rows go back through COPY: INSERT ... SELECT writes row by row
     * through shared buffers, where COPY inserts in batches through a small ring of buffers, so the
     * indexes' pages stay cached (web_events at 4M order lines: INSERT 281 s, COPY of the same rows
     * 187 s). The values leave trimmed, '' as NULL, and COPY's input functions are the casts the
     * INSERT would apply (CAST from text is the type's input function).
     */
    String copyOut() {
        return "COPY (SELECT " + String.join(", ", fileColumns.stream().map(col -> "nullif(trim(" + q(col) + "), '')").toList())
                + " FROM load WHERE status IS NULL) TO STDOUT WITH (FORMAT csv)";
    }

    String copyIn() {
        return "COPY " + q(table) + " (" + String.join(", ", fileColumns.stream().map(ShopTableMerge::q).toList()) + ") FROM STDIN WITH (FORMAT csv)";
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
