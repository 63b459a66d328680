package io.ecombi.ingest;

import java.util.Locale;

/**
 * Recognises values already in the plain form every export writes (42, 45.77, 2025-12-16,
 * 2025-12-16 11:07:36) while the file is read, so the SQL checks of an own-table file run only on
 * rows holding something else. This is a pre-clearance, not a rule: a value it accepts is one that
 * ingest.value_problem (V8) also accepts (IngestTest checks that on the edge cases); anything it
 * does not accept goes to ingest.value_problem, which decides. In SQL the same recognition costs
 * a regular expression per value (a timestamp 7 us, 22 s for the 3 million web events at 1M order
 * lines); here it is a loop over a few characters.
 */
final class CanonicalValues {
    /** What a column type needs; the mapping follows ingest.value_problem's CASE. */
    enum Kind { TEXT, INTEGER, BIGINT, DECIMAL, DATE, TIMESTAMP, OTHER }

    private CanonicalValues() {}

    /** The kind of a column type as format_type() writes it. */
    static Kind kind(String typeName) {
        String t = typeName.toLowerCase(Locale.ROOT);
        if (t.equals("text") || t.startsWith("character varying")) return Kind.TEXT;
        if (t.equals("integer")) return Kind.INTEGER;   // smallint is left to SQL: it would need its own range
        if (t.equals("bigint")) return Kind.BIGINT;
        if (t.startsWith("numeric")) return Kind.DECIMAL;
        if (t.equals("date")) return Kind.DATE;
        if (t.startsWith("timestamp")) return Kind.TIMESTAMP;
        return Kind.OTHER;
    }

    /**
     * True when v is empty (the SQL checks then say "missing" where the column needs a value) or
     * certainly valid for its kind; false means "let SQL decide", never "invalid".
     */
    static boolean clear(Kind kind, String v) {
        if (v.isEmpty() || kind == Kind.TEXT) return true;
        return switch (kind) {
            case INTEGER -> digits(v, 0, v.length()) && v.length() <= 9;     // fits an integer whatever the digits
            case BIGINT -> digits(v, 0, v.length()) && v.length() <= 18;     // fits a bigint whatever the digits
            case DECIMAL -> decimal(v);
            case DATE -> v.length() == 10 && date(v);
            case TIMESTAMP -> (v.length() == 10 && date(v)) || (v.length() == 19 && date(v) && time(v));
            default -> false;
        };
    }

    /** The value of a clear BIGINT or INTEGER text (at most 18 digits), for the key-order check. */
    static long integer(String v) {
        return Long.parseLong(v);
    }

    /** 1 to 10 digits, optionally a point and digits: decimal_problem's first, common case. */
    private static boolean decimal(String v) {
        int n = v.length(), i = 0;
        while (i < n && isDigit(v.charAt(i))) i++;
        if (i < 1 || i > 10) return false;
        if (i == n) return true;
        return v.charAt(i) == '.' && digits(v, i + 1, n);
    }

    /** YYYY-MM-DD at the start, a real day of a year from 0001 (parse_timestamp's ISO branch). */
    private static boolean date(String v) {
        if (!digits(v, 0, 4) || v.charAt(4) != '-' || !digits(v, 5, 7) || v.charAt(7) != '-' || !digits(v, 8, 10)) return false;
        int y = num(v, 0, 4), m = num(v, 5, 7), d = num(v, 8, 10);
        return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
    }

    /** " HH:MM:SS" after the date, hours below 24, minutes and seconds below 60. */
    private static boolean time(String v) {
        if (v.charAt(10) != ' ' || !digits(v, 11, 13) || v.charAt(13) != ':' || !digits(v, 14, 16) || v.charAt(16) != ':' || !digits(v, 17, 19)) return false;
        return num(v, 11, 13) < 24 && num(v, 14, 16) < 60 && num(v, 17, 19) < 60;
    }

    /** As ingest.days_in_month: the Gregorian calendar. */
    private static int daysInMonth(int y, int m) {
        return switch (m) {
            case 4, 6, 9, 11 -> 30;
            case 2 -> (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28;
            default -> 31;
        };
    }

    private static boolean digits(String v, int from, int to) {
        if (from >= to) return false;
        for (int i = from; i < to; i++) if (!isDigit(v.charAt(i))) return false;
        return true;
    }

    /** ASCII digits only: SQL's \d may mean more, and what is not ASCII goes to SQL. */
    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int num(String v, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) n = n * 10 + (v.charAt(i) - '0');
        return n;
    }
}
