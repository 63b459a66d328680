package io.ecombi.report;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/** How a KPI value reads in a report, decided by its column name: money, percent, count or text. */
public final class Formats {
    private static final DecimalFormatSymbols US = DecimalFormatSymbols.getInstance(Locale.US);

    private Formats() {}

    public static boolean isMoney(String column) {
        if (isPercent(column)) return false;
        return column.matches(".*(revenue|cost|profit|discounts|credit_notes|spent|clv_score|order_value|revenue_from|revenue_to|revenue_at_risk|customer_value)(_12m)?$")
                || column.startsWith("avg_revenue");
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
        return column.endsWith("_pct") || column.contains("_pct_");
    }

    /** Half up, as the SQL's ROUND and the summary's sentences round: 65.65 reads 65.7 everywhere, not 65.6. */
    private static String format(String pattern, Object n) {
        DecimalFormat f = new DecimalFormat(pattern, US);
        f.setRoundingMode(java.math.RoundingMode.HALF_UP);
        return f.format(n);
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
        return (v < 0 ? "-" : "") + currency + format(Math.abs(v) >= 1000 ? "#,##0" : "#,##0.00", Math.abs(v));
    }
}
