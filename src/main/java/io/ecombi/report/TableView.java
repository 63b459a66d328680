package io.ecombi.report;

import io.ecombi.result.Column;
import io.ecombi.result.Kind;
import io.ecombi.result.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A result table as a reader sees it: headers from the label dictionary, each cell written by
 * {@link Formats#value} for its column's kind, the first {@code limit} rows. Money in a table has
 * one precision: whole units when any amount shown reaches 1,000, else cents; a decimal column
 * has the places its most precise value needs (at most 3) on every row.
 */
public record TableView(String name, String title, String csv, List<Header> headers, List<List<Cell>> rows,
                        String shown, String total, boolean truncated) {

    public record Header(String key, String label, boolean num) {}
    public record Cell(String text, boolean num) {}

    public static TableView of(Table t, Labels labels, String currency, int limit) {
        int shown = Math.min(limit, t.rows().size());
        boolean whole = false;
        for (int r = 0; r < shown; r++) {
            for (int c = 0; c < t.columns().size(); c++) {
                if (t.columns().get(c).kind() == Kind.MONEY && t.rows().get(r).get(c) instanceof Number n && Math.abs(n.doubleValue()) >= 1000) whole = true;
            }
        }
        // a decimal column has one precision too: the most any shown value needs, at most 3 places
        int[] places = new int[t.columns().size()];
        for (int c = 0; c < t.columns().size(); c++) {
            if (t.columns().get(c).kind() != Kind.NUMBER) continue;
            for (int r = 0; r < shown; r++) {
                if (t.rows().get(r).get(c) instanceof Number n && !(n instanceof Double d && (d.isNaN() || d.isInfinite()))) {
                    java.math.BigDecimal b = new java.math.BigDecimal(n.toString()).setScale(3, java.math.RoundingMode.HALF_UP).stripTrailingZeros();
                    places[c] = Math.max(places[c], Math.max(0, b.scale()));
                }
            }
        }
        List<Header> headers = new ArrayList<>();
        for (Column c : t.columns()) headers.add(new Header(c.key(), labels.of(c.key()), numeric(c.kind())));
        List<List<Cell>> rows = new ArrayList<>(shown);
        for (int r = 0; r < shown; r++) {
            List<Cell> row = new ArrayList<>(t.columns().size());
            for (int c = 0; c < t.columns().size(); c++) {
                Column col = t.columns().get(c);
                Object v = t.rows().get(r).get(c);
                String text = col.kind() == Kind.NUMBER && v instanceof Number n ? Formats.decimal(n, places[c]) : Formats.value(col.kind(), v, currency, whole);
                row.add(new Cell(text, v instanceof Number && numeric(col.kind())));
            }
            rows.add(row);
        }
        return new TableView(t.name(), t.title(), t.csv(), headers, rows, String.format(Locale.US, "%,d", shown),
                String.format(Locale.US, "%,d", t.totalRows()), t.totalRows() > shown);
    }

    private static boolean numeric(Kind k) {
        return k == Kind.MONEY || k == Kind.PERCENT || k == Kind.COUNT || k == Kind.NUMBER;
    }
}
