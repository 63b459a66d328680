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
        return column.matches(".*(revenue|cost|profit|discounts|spent|clv_score|order_value|revenue_from|revenue_to|revenue_at_risk|customer_value)(_12m)?$")
                || column.startsWith("avg_revenue");
    }

    public static String cell(String column, Object v, String currency) {
        if (v == null) return "–";
        if (!(v instanceof Number n)) return v.toString();
        if (column.endsWith("_pct")) return new DecimalFormat("#,##0.0", US).format(n) + "%";
        if (isMoney(column)) return money(currency, n.doubleValue());
        if (n instanceof BigDecimal bd && bd.scale() > 0) return new DecimalFormat("#,##0.##", US).format(bd);
        if (n instanceof Double || n instanceof Float) return new DecimalFormat("#,##0.###", US).format(n);
        return new DecimalFormat("#,##0", US).format(n);
    }

    public static String money(String currency, double v) {
        DecimalFormat f = new DecimalFormat(Math.abs(v) >= 1000 ? "#,##0" : "#,##0.00", US);
        return (v < 0 ? "-" : "") + currency + f.format(Math.abs(v));
    }
}
