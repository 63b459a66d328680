package io.ecombi.kpi;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One KPI query's result: written in full to its CSV file as the rows stream from the database,
 * and kept in memory only up to a row limit. Small tables (months, categories, tiers) are whole;
 * per-customer tables at a million rows are not held row by row in the heap: steps that need all
 * of them read the CSV or query the database.
 */
public final class KpiTable {
    private final String name;
    private final Path csv;
    private final List<String> columns;
    private final List<Object[]> rows;
    private final long rowCount;
    private final List<String> sqlTypes;

    private KpiTable(String name, Path csv, List<String> columns, List<Object[]> rows, long rowCount, List<String> sqlTypes) {
        this.name = name;
        this.csv = csv;
        this.columns = columns;
        this.rows = rows;
        this.rowCount = rowCount;
        this.sqlTypes = sqlTypes;
    }

    /**
     * Writes a table to its CSV file as its rows arrive (maps of column to value, in column order),
     * keeping the first keepRows in memory. {@link #finish} makes the file whole.
     */
    public static final class Writer implements AutoCloseable {
        private final String name;
        private final Path csv;
        private final Path tmp;
        private final int keepRows;
        private final BufferedWriter out;
        private List<String> columns = List.of();
        private final List<Object[]> kept = new ArrayList<>();
        private SqlTypes types = new SqlTypes(0);
        private long count;

        public Writer(String name, Path csv, int keepRows) throws IOException {
            this.name = name;
            this.csv = csv;
            this.keepRows = keepRows;
            Files.createDirectories(csv.getParent());
            this.tmp = csv.resolveSibling(csv.getFileName() + ".part");
            this.out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
        }

        public void row(Map<String, Object> row) throws IOException {
            if (count == 0) {
                columns = List.copyOf(row.keySet());
                types = new SqlTypes(columns.size());
                writeLine(out, columns.toArray());
            }
            Object[] values = row.values().toArray();
            types.add(values);
            writeLine(out, values);
            if (count < keepRows) kept.add(values);
            count++;
        }

        public KpiTable finish() throws IOException {
            out.close();
            Files.move(tmp, csv, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return new KpiTable(name, csv, columns, Collections.unmodifiableList(kept), count, types.types());
        }

        /** Without {@link #finish}: the partial file goes. */
        @Override
        public void close() throws IOException {
            out.close();
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes rows already at hand (maps of column to value, in column order). */
    @SuppressWarnings("unchecked")
    public static KpiTable write(String name, java.util.Iterator<?> rows, Path csv, int keepRows) throws IOException {
        try (Writer w = new Writer(name, csv, keepRows)) {
            while (rows.hasNext()) w.row((Map<String, Object>) rows.next());
            return w.finish();
        }
    }

    /** A table built in memory (tests, derived tables). */
    public static KpiTable of(String name, List<String> columns, List<Object[]> rows) {
        SqlTypes types = new SqlTypes(columns.size());
        rows.forEach(types::add);
        return new KpiTable(name, null, List.copyOf(columns), List.copyOf(rows), rows.size(), types.types());
    }

    public String name() { return name; }
    public Path csv() { return csv; }
    public List<String> columns() { return columns; }
    /** Each column's PostgreSQL type, from the values the query returned (text where all were NULL). */
    public List<String> sqlTypes() { return sqlTypes; }
    /** The rows kept in memory: all of them when {@link #isComplete()}, else the first ones. */
    public List<Object[]> rows() { return rows; }
    public long rowCount() { return rowCount; }
    public boolean isComplete() { return rows.size() == rowCount; }

    public int column(String column) {
        int i = columns.indexOf(column);
        if (i < 0) throw new IllegalArgumentException("KPI table '" + name + "' has no column '" + column + "' (it has " + columns + ")");
        return i;
    }

    public Object value(int row, String column) {
        return rows.get(row)[column(column)];
    }

    public double number(int row, String column) {
        Object v = value(row, column);
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }

    static void writeLine(BufferedWriter w, Object[] values) throws IOException {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) w.write(',');
            w.write(csvField(values[i]));
        }
        w.write('\n');
    }

    /**
     * One CSV field. Text that a spreadsheet would run as a formula (it starts with = + - @, a tab or
     * a carriage return: OWASP's CSV injection) is written with a leading ' so it stays text; numbers
     * are written as they are. Every CSV ecombi writes goes through here.
     */
    public static String csvField(Object v) {
        if (v == null) return "";
        String s = v instanceof BigDecimal bd ? bd.toPlainString() : v.toString();
        if (!(v instanceof Number) && !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) s = "'" + s;
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
