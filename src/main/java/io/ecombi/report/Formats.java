package io.ecombi.report;

import io.ecombi.result.Kind;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/** How a KPI value reads in a report, decided by its column name: money, percent, count or text. */
public final class Formats {
    private static final DecimalFormatSymbols US = DecimalFormatSymbols.getInstance(Locale.US);

    private Formats() {}

    public static boolean isMoney(String column) {
        return Kind.isMoney(column);
    }

    public static String cell(String column, Object v, String currency) {
        if (v == null) return "–";
        if (!(v instanceof Number n)) return v.toString();
        if (column.endsWith("_id")) return n.toString();   // an identifier, not a quantity: no separators
        if (isPercent(column)) return format("#,##0.0", n) + "%";
        if (isMoney(column)) return money(currency, n.doubleValue());
        if (n instanceof BigDecimal bd && bd.scale() > 0) return format("#,##0.##", bd);
        if (n instanceof Double || n instanceof Float) return format("#,##0.###", n);
        return format("#,##0", n);
    }

    /** A percentage column: its name ends in _pct or has _pct_ in it (avg_customer_retention_pct_at_k). */
    public static boolean isPercent(String column) {
        return Kind.isPercent(column);
    }

    /** Half up, as the SQL's ROUND and the summary's sentences round: 65.65 reads 65.7 everywhere, not 65.6. */
    private static String format(String pattern, Object n) {
        DecimalFormat f = new DecimalFormat(pattern, US);
        f.setRoundingMode(java.math.RoundingMode.HALF_UP);
        return f.format(n);
    }

    /**
     * A change from then to now as every reader writes it: percent of then ("+20.4%", "-3.0%") or, for
     * a rate, percentage points ("+2.0 pts"); "±0.0%" when it rounds to nothing. Worked in decimal
     * and rounded once, half up, from the unrounded figures: 120.35 against 100 is +20.4%, not the
     * +20.3% a binary double gives, nor a second rounding of an already rounded percentage.
     * Null when there is nothing to compare with (then is null or zero for a percent change).
     */
    public static Change change(Number now, Number then, boolean points) {
        if (now == null || then == null) return null;
        BigDecimal a = decimal(now), b = decimal(then);
        if (!points && b.signum() == 0) return null;
        BigDecimal d = points ? a.subtract(b) : a.subtract(b).multiply(BigDecimal.valueOf(100)).divide(b.abs(), 12, java.math.RoundingMode.HALF_UP);
        BigDecimal r = d.setScale(1, java.math.RoundingMode.HALF_UP);
        String unit = points ? " pts" : "%";
        String text = r.signum() == 0 ? "±0.0" + unit : (r.signum() > 0 ? "+" : "-") + format("#,##0.0", r.abs()) + unit;
        return new Change(text, r.signum() > 0 ? "up" : r.signum() < 0 ? "down" : "flat", d);
    }

    /** A change as written ("+20.4%"), its direction (up, down, flat: of the rounded figure) and its unrounded value. */
    public record Change(String text, String direction, BigDecimal exact) {
        public String arrow() { return switch (direction) { case "up" -> "▲"; case "down" -> "▼"; default -> "■"; }; }
    }

    private static BigDecimal decimal(Number n) {
        return n instanceof BigDecimal bd ? bd : n instanceof Long || n instanceof Integer ? BigDecimal.valueOf(n.longValue()) : new BigDecimal(n.toString());
    }

    /** The symbol a report writes for an ISO currency code; unknown codes are written as the code. */
    public static String symbol(String code) {
        if (code == null) return "$";
        return switch (code.toUpperCase(Locale.ROOT)) {
            case "USD" -> "$";
            case "GBP" -> "£";
            case "EUR" -> "€";
            case "BRL" -> "R$";
            case "JPY" -> "¥";
            default -> code.toUpperCase(Locale.ROOT) + " ";
        };
    }

    /** The run's currency code, from its data_scope table (the loaded files' currency or the setting). */
    public static String currencyCode(io.ecombi.run.PipelineRun run, String fallback) {
        io.ecombi.kpi.KpiTable scope = run.kpi("data_scope");
        if (scope == null || scope.rows().isEmpty() || scope.value(0, "currency") == null) return fallback;
        return scope.value(0, "currency").toString();
    }

    public static String money(String currency, double v) {
        return money(currency, v, Math.abs(v) >= 1000);
    }

    /** Money in whole units or with cents: a table decides once for all its money cells (see TableView). */
    public static String money(String currency, double v, boolean whole) {
        return (v < 0 ? "-" : "") + currency + format(whole ? "#,##0" : "#,##0.00", Math.abs(v));
    }

    /** A decimal number with exactly this many places, half up ("0.810", "25.380"). */
    public static String decimal(Number n, int places) {
        if (n instanceof Double d && (d.isNaN() || d.isInfinite())) return "–";
        return format(places == 0 ? "#,##0" : "#,##0." + "0".repeat(places), n);
    }

    /** A value of a result column by its kind: the one set of rules for the page, the summary and every later reader. */
    public static String value(Kind kind, Object v, String currency, boolean wholeMoney) {
        if (v == null) return "–";
        if (!(v instanceof Number n)) return v.toString();
        return switch (kind) {
            case MONEY -> money(currency, n.doubleValue(), wholeMoney);
            case PERCENT -> format("#,##0.0", n) + "%";
            case COUNT -> format("#,##0", n);
            case NUMBER -> n instanceof BigDecimal bd && bd.scale() == 0 ? format("#,##0", n) : format("#,##0.0##", n);
            case DATE, TEXT -> n.toString();
        };
    }
}
