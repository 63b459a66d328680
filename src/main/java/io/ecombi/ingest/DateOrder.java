package io.ecombi.ingest;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How a format reads dates written with slashes (5/11/2026: 11 May or 5 November?). The format
 * says which columns hold them ("-- dates: order_date") and their order ("-- date-order:
 * month-first", "day-first", or "by-file, else month-first"). A single date often cannot tell, so
 * the whole column decides: a first number above 12 is a day (the file is day-first), a second one
 * above 12 is a day too (month-first). A file whose dates contradict its format's order, or each
 * other, is refused with the lines that show it, before anything of it is loaded; with by-file the
 * column's evidence picks the order, and a column that cannot tell (every number 12 or less) is
 * read in the fallback order, said in the log. The chosen order reaches ingest.parse_timestamp as
 * the transaction's setting ecombi.day_first.
 *
 * @param columns  staging columns holding such dates (empty: the format has none)
 * @param stated   month-first, day-first or by-file
 * @param fallback with by-file: the order of a column that cannot tell
 */
public record DateOrder(List<String> columns, String stated, String fallback) {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IngestStep.class);
    static final DateOrder NONE = new DateOrder(List.of(), "month-first", "month-first");
    private static final List<String> ORDERS = List.of("month-first", "day-first");

    /** From a format file's header lines (null when absent); a line it cannot read stops with the file and the reason. */
    static DateOrder of(Path file, String dates, String order) {
        if (dates == null && order == null) return NONE;
        if (dates == null || order == null) {
            throw new IllegalArgumentException(file + ": a format with dates gives both '-- dates: <columns>' and '-- date-order: <order>'");
        }
        List<String> columns = Arrays.stream(dates.split(",")).map(String::strip).filter(x -> !x.isEmpty()).map(IngestFormat::column).toList();
        String o = order.strip().toLowerCase(Locale.ROOT);
        if (ORDERS.contains(o)) return new DateOrder(columns, o, o);
        if (o.matches("by-file\\s*,\\s*else\\s+(month|day)-first")) return new DateOrder(columns, "by-file", o.replaceFirst("^.*else\\s+", ""));
        throw new IllegalArgumentException(file + ": '-- date-order:" + order + "' is not month-first, day-first or 'by-file, else month-first' (or day-first)");
    }

    /** Decides the order for the staged file (table load), or refuses it; sets ecombi.day_first for the transaction. */
    void apply(Connection c, String fileName, String format) throws SQLException {
        boolean dayFirst = "day-first".equals(fallback);
        String decided = null;
        for (String column : columns) {
            Evidence e = evidence(c, column);
            String label = column.replace('_', ' ');
            if (e.dayFirst() > 0 && e.monthFirst() > 0) {
                throw new IngestStep.FileRefused(fileName + ": the dates of " + label + " disagree: line " + e.dayFirstLine() + " has " + e.dayFirstValue()
                        + " (day first: " + e.dayFirst() + " lines) and line " + e.monthFirstLine() + " has " + e.monthFirstValue()
                        + " (month first: " + e.monthFirst() + " lines). Export the column in one order and load the file again", null);
            }
            String shown = e.dayFirst() > 0 ? "day-first" : e.monthFirst() > 0 ? "month-first" : null;
            if (shown != null && !"by-file".equals(stated) && !shown.equals(stated)) {
                boolean dayShown = shown.equals("day-first");
                throw new IngestStep.FileRefused(fileName + ": " + label + " is written " + shown.replace('-', ' ') + " (line "
                        + (dayShown ? e.dayFirstLine() + ": " + e.dayFirstValue() : e.monthFirstLine() + ": " + e.monthFirstValue())
                        + ", and " + ((dayShown ? e.dayFirst() : e.monthFirst()) - 1) + " more lines whose " + (dayShown ? "first" : "second")
                        + " number is above 12), but the format " + format + " reads " + stated.replace('-', ' ') + " (its -- date-order: line): read that way, "
                        + "a date such as 5/11 would be taken for the wrong month. Nothing of the file was loaded", null);
            }
            if (shown != null && decided != null && !shown.equals(decided)) {
                throw new IngestStep.FileRefused(fileName + ": its date columns are written in different orders (" + decided + " and " + shown + ")", null);
            }
            if (shown != null) decided = shown;
        }
        if (decided != null) dayFirst = decided.equals("day-first");
        else if ("by-file".equals(stated) && !columns.isEmpty() && hasSlashDates(c)) {
            LOG.info("{}: no date of {} tells day from month (every number 12 or less): read {}, the format's order when a file does not tell",
                    fileName, String.join(", ", columns), fallback);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config('ecombi.day_first', ?, true)")) {
            ps.setString(1, dayFirst ? "on" : "off");
            ps.execute();
        }
    }

    record Evidence(long dayFirst, long monthFirst, Object dayFirstLine, String dayFirstValue, Object monthFirstLine, String monthFirstValue) {}

    private boolean hasSlashDates(Connection c) throws SQLException {
        for (String column : columns) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM load WHERE " + quoted(column) + " ~ '^\\s*\\d{1,2}/\\d{1,2}/')")) {
                rs.next();
                if (rs.getBoolean(1)) return true;
            }
        }
        return false;
    }

    /** Lines whose first number is above 12 (a day first) and whose second is (a month first), with the first line of each. */
    private static Evidence evidence(Connection c, String column) throws SQLException {
        String col = quoted(column);
        String sql = "WITH d AS (SELECT line_no, " + col + " AS v, CAST(substring(" + col + " FROM '^\\s*(\\d{1,2})/') AS integer) AS a,"
                + " CAST(substring(" + col + " FROM '^\\s*\\d{1,2}/(\\d{1,2})/') AS integer) AS b FROM load WHERE " + col + " ~ '^\\s*\\d{1,2}/\\d{1,2}/')"
                + " SELECT count(*) FILTER (WHERE a > 12 AND b <= 12), count(*) FILTER (WHERE b > 12 AND a <= 12),"
                + " (SELECT line_no FROM d WHERE a > 12 AND b <= 12 ORDER BY line_no LIMIT 1), (SELECT v FROM d WHERE a > 12 AND b <= 12 ORDER BY line_no LIMIT 1),"
                + " (SELECT line_no FROM d WHERE b > 12 AND a <= 12 ORDER BY line_no LIMIT 1), (SELECT v FROM d WHERE b > 12 AND a <= 12 ORDER BY line_no LIMIT 1) FROM d";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return new Evidence(rs.getLong(1), rs.getLong(2), rs.getObject(3), rs.getString(4), rs.getObject(5), rs.getString(6));
        }
    }

    /** A staging column's name: made by IngestFormat.column (letters, digits, _), checked again before it is written into SQL. */
    private static String quoted(String column) {
        if (!column.matches("[a-z0-9_]+")) throw new IllegalArgumentException("not a staging column: " + column);
        return '"' + column + '"';
    }
}
