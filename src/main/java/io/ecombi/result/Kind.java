package io.ecombi.result;

/** What a value in a result means, which decides how every reader writes it. */
public enum Kind {
    MONEY, PERCENT, COUNT, NUMBER, DATE, TEXT;

    /** A percentage column: its name ends in _pct or has _pct_ in it (avg_customer_retention_pct_at_k). */
    public static boolean isPercent(String column) {
        return column.endsWith("_pct") || column.contains("_pct_");
    }

    /** A money column, by the names the SQL files give money. */
    public static boolean isMoney(String column) {
        if (isPercent(column)) return false;
        return column.matches(".*(revenue|cost|profit|discounts|credit_notes|spent|clv_score|order_value|revenue_from|revenue_to|revenue_at_risk|customer_value)(_12m)?$")
                || column.startsWith("avg_revenue");
    }

    /** A KPI column's kind from its name and a value of it (the SQL files' naming is the contract). */
    public static Kind of(String column, Object sample) {
        if (isPercent(column)) return PERCENT;
        if (sample instanceof java.util.Date || sample instanceof java.time.temporal.Temporal) return DATE;
        if (sample != null && !(sample instanceof Number)) return TEXT;
        if (isMoney(column)) return MONEY;
        if (column.endsWith("_id")) return TEXT;   // an identifier, not a quantity
        if (sample instanceof java.math.BigDecimal bd) return bd.scale() > 0 ? NUMBER : COUNT;
        if (sample instanceof Double || sample instanceof Float) return NUMBER;
        return sample == null ? TEXT : COUNT;
    }
}
