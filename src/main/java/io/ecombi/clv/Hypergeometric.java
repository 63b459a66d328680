package io.ecombi.clv;

/** Gauss's hypergeometric function 2F1(a, b; c; z), the one special function BG/NBD's expectations need. */
final class Hypergeometric {
    /** Terms summed at most: z close to 1 converges slowly (about 3,500 terms at z = 0.99). */
    static final int MAX_TERMS = 2_000_000;

    private Hypergeometric() {}

    /**
     * 2F1(a, b; c; z) for 0 &lt;= z &lt; 1 and c not 0 or a negative integer (BG/NBD's c = a + b + x - 1
     * is negative for x = 0 when a + b &lt; 1), by its power series, summed until a term no longer
     * changes the sum in the 15th digit once the terms have started to shrink.
     *
     * @throws ArithmeticException when the series has not converged within {@link #MAX_TERMS}
     */
    static double f21(double a, double b, double c, double z) {
        if (!(z >= 0 && z < 1)) throw new IllegalArgumentException("2F1 needs 0 <= z < 1, not " + z);
        if (!(c > 0) && Math.abs(c - Math.rint(c)) < 1e-9) throw new ArithmeticException("2F1 is not defined for c = " + c + " (0 or a negative integer)");
        double term = 1, sum = 1;
        for (int n = 0; n < MAX_TERMS; n++) {
            double ratio = (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
            term *= ratio;
            sum += term;
            if (Math.abs(ratio) < 1 && Math.abs(term) <= 1e-16 * Math.abs(sum)) return sum;
            if (!Double.isFinite(sum)) break;
        }
        throw new ArithmeticException("2F1(" + a + ", " + b + "; " + c + "; " + z + ") did not converge in " + MAX_TERMS + " terms");
    }
}
