package io.ecombi.result;

import io.ecombi.kpi.KpiTable;

import java.util.ArrayList;
import java.util.List;

/**
 * A table a step puts on the run for its readers (page, summary, e-mail, API): raw values with
 * what each column means, never formatted text or markup. {@code rows} are in the order readers
 * show them (time tables: latest first); {@code totalRows} counts the rows of the whole result,
 * which {@code csv} (a path inside the run folder, e.g. data/forecast.csv, or null) holds in full.
 */
public record Table(String name, String title, List<Column> columns, List<List<Object>> rows, long totalRows, String csv) {

    public Table {
        columns = List.copyOf(columns);
        rows = rows.stream().map(r -> java.util.Collections.unmodifiableList(new ArrayList<>(r))).toList();
    }

    public static Table of(String name, String title, List<Column> columns, List<List<Object>> rows, String csv) {
        return new Table(name, title, columns, rows, rows.size(), csv);
    }

    /**
     * A KPI table as readers see it: kinds from the column names and values, its CSV under data/,
     * and a time table (first column a date, rows ascending) turned latest first.
     */
    public static Table of(KpiTable t, String title) {
        List<Column> cols = new ArrayList<>();
        for (int c = 0; c < t.columns().size(); c++) {
            Object sample = null;
            for (Object[] r : t.rows()) if ((sample = r[c]) != null) break;
            cols.add(new Column(t.columns().get(c), Kind.of(t.columns().get(c), sample)));
        }
        List<List<Object>> rows = new ArrayList<>();
        for (Object[] r : t.rows()) rows.add(java.util.Arrays.asList(r));
        if (!cols.isEmpty() && cols.get(0).kind() == Kind.DATE && t.isComplete() && ascending(rows)) {
            java.util.Collections.reverse(rows);
        }
        return new Table(t.name(), title, cols, rows, t.rowCount(), t.csv() == null ? null : "data/" + t.csv().getFileName());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static boolean ascending(List<List<Object>> rows) {
        for (int i = 1; i < rows.size(); i++) {
            Object a = rows.get(i - 1).get(0), b = rows.get(i).get(0);
            if (a instanceof Comparable ca && b != null && a.getClass() == b.getClass() && ca.compareTo(b) > 0) return false;
        }
        return rows.size() > 1;
    }

    public int column(String key) {
        for (int i = 0; i < columns.size(); i++) if (columns.get(i).key().equals(key)) return i;
        throw new IllegalArgumentException("table '" + name + "' has no column '" + key + "'");
    }
}
