package io.ecombi.summary;

import io.ecombi.report.Formats;
import io.ecombi.result.Kind;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A change between two periods as every reader writes it: from the two values as the KPI table
 * holds them (kpi_cards' numbers, not rounded again), in exact decimal arithmetic, rounded once, half
 * up, to one decimal by {@link Formats}. Doubles are not used on purpose: 100 × (120.35 − 100.00) /
 * 100.00 is 20.349999999999994 in binary floating point, which prints +20.3 %, where the true change,
 * 20.35 %, is +20.4 % half up.
 */
public final class Change {
    /**
     * 34 significant digits: the quotient of two amounts in cents is a fraction with the old amount as
     * denominator, so it is either exactly a tie at the second decimal or at least 1 / (20 × the old
     * amount in cents) away from one; 34 digits keep that distance for any amount below 10^30, so
     * rounding the quotient to one decimal gives the same digit as rounding the true change.
     */
    private static final MathContext EXACT_ENOUGH = MathContext.DECIMAL128;

    private Change() {}

    /** 100 × (now − then) / |then|, unrounded; null when either is missing or then is 0 (no change to state). */
    public static BigDecimal percent(Object now, Object then) {
        BigDecimal a = decimal(now), b = decimal(then);
        if (a == null || b == null || b.signum() == 0) return null;
        return plain(a.subtract(b).multiply(BigDecimal.valueOf(100)).divide(b.abs(), EXACT_ENOUGH));
    }

    /** 100 × part / whole, unrounded (a share); null when either is missing or whole is 0. */
    public static BigDecimal share(Object part, Object whole) {
        BigDecimal a = decimal(part), b = decimal(whole);
        if (a == null || b == null || b.signum() == 0) return null;
        return plain(a.multiply(BigDecimal.valueOf(100)).divide(b, EXACT_ENOUGH));
    }

    /** Without trailing zeros, but never in exponent form (20.35, 100, not 1E+2). */
    private static BigDecimal plain(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    /** now − then, for a percentage that changes by points (a margin); null when either is missing. */
    public static BigDecimal points(Object now, Object then) {
        BigDecimal a = decimal(now), b = decimal(then);
        return a == null || b == null ? null : a.subtract(b);
    }

    /** "+20.4%", "-3.1%", and "±0.0%" for a change that rounds to nothing (not "-0.0%"). */
    public static String percentText(BigDecimal change) {
        return signed(change, Formats.value(Kind.PERCENT, change.abs(), "", true));
    }

    /** "+2.1 pts", "-0.5 pts", "±0.0 pts". */
    public static String pointsText(BigDecimal change) {
        String digits = Formats.value(Kind.PERCENT, change.abs(), "", true);
        return signed(change, digits.substring(0, digits.length() - 1) + " pts");
    }

    /** The change as it is printed, to one decimal half up: the value whose sign a sentence may state. */
    public static BigDecimal printed(BigDecimal change) {
        return change.setScale(1, RoundingMode.HALF_UP);
    }

    private static String signed(BigDecimal change, String absText) {
        int sign = printed(change).signum();
        return (sign > 0 ? "+" : sign < 0 ? "-" : "±") + absText;
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
