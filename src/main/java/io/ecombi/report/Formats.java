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
        return column.matches(".*(revenue|cost|profit|discounts|credit_notes|spent|clv_score|order_value|revenue_from|revenue_to|revenue_at_risk|customer_value)(_12m)?$")
                || column.startsWith("avg_revenue");
    }

    public static String cell(String column, Object v, String currency) {
        if (v == null) return "–";
        if (!(v instanceof Number n)) return v.toString();
        if (column.endsWith("_id")) return n.toString();   // an identifier, not a quantity: no separators
        if (column.endsWith("_pct")) return new DecimalFormat("#,##0.0", US).format(n) + "%";
        if (isMoney(column)) return money(currency, n.doubleValue());
        if (n instanceof BigDecimal bd && bd.scale() > 0) return new DecimalFormat("#,##0.##", US).format(bd);
        if (n instanceof Double || n instanceof Float) return new DecimalFormat("#,##0.###", US).format(n);
        return new DecimalFormat("#,##0", US).format(n);
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
        DecimalFormat f = new DecimalFormat(Math.abs(v) >= 1000 ? "#,##0" : "#,##0.00", US);
        return (v < 0 ? "-" : "") + currency + f.format(Math.abs(v));
    }
}
