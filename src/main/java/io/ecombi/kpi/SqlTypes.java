package io.ecombi.kpi;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/**
 * The PostgreSQL type of each column of a KPI table, read from the values its query returned, for
 * the typed views BI tools read (bi.latest_&lt;kpi&gt;). A column whose values disagree widens
 * (bigint and numeric: numeric; with double: double precision; anything else: text); a column with
 * only NULLs is text.
 */
final class SqlTypes {
    private final String[] types;

    SqlTypes(int columns) {
        types = new String[columns];
    }

    void add(Object[] row) {
        for (int i = 0; i < row.length && i < types.length; i++) types[i] = widen(types[i], of(row[i]));
    }

    List<String> types() {
        return Arrays.stream(types).map(t -> t == null ? "text" : t).toList();
    }

    static String of(Object v) {
        if (v == null) return null;
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof BigInteger) return "bigint";
        if (v instanceof BigDecimal) return "numeric";
        if (v instanceof Double || v instanceof Float) return "double precision";
        if (v instanceof Boolean) return "boolean";
        if (v instanceof java.sql.Date || v instanceof LocalDate) return "date";
        if (v instanceof java.sql.Timestamp || v instanceof LocalDateTime) return "timestamp";
        if (v instanceof OffsetDateTime || v instanceof Instant) return "timestamptz";
        return "text";
    }

    static String widen(String a, String b) {
        if (a == null || a.equals(b)) return b == null ? a : b;
        if (b == null) return a;
        List<String> numbers = List.of("bigint", "numeric", "double precision");
        if (numbers.contains(a) && numbers.contains(b)) return numbers.get(Math.max(numbers.indexOf(a), numbers.indexOf(b)));
        return "text";
    }
}
