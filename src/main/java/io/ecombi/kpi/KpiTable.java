package io.ecombi.kpi;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
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

    private KpiTable(String name, Path csv, List<String> columns, List<Object[]> rows, long rowCount) {
        this.name = name;
        this.csv = csv;
        this.columns = columns;
        this.rows = rows;
        this.rowCount = rowCount;
    }

    /** Streams rows (maps of column -> value, in column order) into the CSV file, keeping the first keepRows. */
    public static KpiTable write(String name, Iterator<?> source, Path csv, int keepRows) throws IOException {
        Files.createDirectories(csv.getParent());
        List<String> columns = List.of();
        List<Object[]> kept = new ArrayList<>();
        long count = 0;
        Path tmp = csv.resolveSibling(csv.getFileName() + ".part");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            while (source.hasNext()) {
                Map<?, ?> row = (Map<?, ?>) source.next();
                if (count == 0) {
                    List<String> cols = new ArrayList<>();
                    for (Object k : row.keySet()) cols.add(k.toString());
                    columns = Collections.unmodifiableList(cols);
                    writeLine(w, columns.toArray());
                }
                Object[] values = row.values().toArray();
                writeLine(w, values);
                if (count < keepRows) kept.add(values);
                count++;
            }
        }
        Files.move(tmp, csv, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return new KpiTable(name, csv, columns, Collections.unmodifiableList(kept), count);
    }

    /** A table built in memory (tests, derived tables). */
    public static KpiTable of(String name, List<String> columns, List<Object[]> rows) {
        return new KpiTable(name, null, List.copyOf(columns), List.copyOf(rows), rows.size());
    }

    public String name() { return name; }
    public Path csv() { return csv; }
    public List<String> columns() { return columns; }
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
