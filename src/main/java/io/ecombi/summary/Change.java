package io.ecombi.summary;

import io.ecombi.report.Formats;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The summary's changes, by the one rule the cards use ({@link Formats#change}): worked out in
 * decimal from kpi_cards' own values, rounded once, half up, when written. The headline keeps a
 * change unrounded (20.35, not 20.4 and not 20.350000000000), so that it is written by the same rule
 * wherever it goes (the prompt, the offline text, the claim check) and rounded only there.
 */
public final class Change {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private Change() {}

    /** From then to now as Formats.change writes it; null when either is missing or, for a percent change, then is 0. */
    public static Formats.Change of(Object now, Object then, boolean points) {
        return now instanceof Number a && then instanceof Number b ? Formats.change(a, b, points) : null;
    }

    /**
     * A change already worked out (the headline's), written by the same rule: points are that change
     * against 0; a percent change p is (100 + p) against 100, which Formats.change gives back as p exactly.
     */
    public static Formats.Change of(BigDecimal change, boolean points) {
        return points ? Formats.change(change, BigDecimal.ZERO, true) : Formats.change(change.add(HUNDRED), HUNDRED, false);
    }

    /** The unrounded value of a change, for the headline; null for no change. */
    public static BigDecimal exact(Formats.Change c) {
        return c == null ? null : plain(c.exact());
    }

    /** 100 × part / whole, unrounded (a share, such as the anonymous share of net revenue); null when either is missing or whole is 0. */
    public static BigDecimal share(Object part, Object whole) {
        BigDecimal a = decimal(part), b = decimal(whole);
        if (a == null || b == null || b.signum() == 0) return null;
        return plain(a.multiply(HUNDRED).divide(b, MathContext.DECIMAL128));
    }

    /** Without trailing zeros, but never in exponent form (20.35, 100, not 1E+2). */
    private static BigDecimal plain(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    /** A KPI value as an exact decimal: numeric columns come as BigDecimal, counts as Long; a double by its shortest form. */
    static BigDecimal decimal(Object v) {
        if (v instanceof BigDecimal d) return d;
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
        }
        if (v instanceof Number n) return new BigDecimal(n.toString());
        return null;
    }
}
