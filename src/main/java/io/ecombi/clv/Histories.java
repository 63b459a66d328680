package io.ecombi.clv;

/**
 * Customers' repeat-purchase histories as BG/NBD and Gamma-Gamma read them, one index per customer:
 * x = repeat purchases (purchase days after the first), t_x = time from the first purchase to the
 * last, T = time from the first purchase to the end of the period, m = mean value of the repeat
 * purchases (NaN without any). Times in one unit (ecombi uses weeks).
 */
public record Histories(int[] x, double[] tx, double[] T, double[] m) {

    public Histories {
        if (x.length != tx.length || x.length != T.length || x.length != m.length) {
            throw new IllegalArgumentException("x, t_x, T and m must have one value per customer");
        }
        for (int i = 0; i < x.length; i++) {
            if (x[i] < 0 || tx[i] < 0 || T[i] < tx[i] || (x[i] == 0 && tx[i] != 0)) {
                throw new IllegalArgumentException("customer " + i + ": need x >= 0, 0 <= t_x <= T and t_x = 0 when x = 0, not x = "
                        + x[i] + ", t_x = " + tx[i] + ", T = " + T[i]);
            }
        }
    }

    /** Histories without monetary values (BG/NBD only). */
    public static Histories of(int[] x, double[] tx, double[] T) {
        double[] m = new double[x.length];
        java.util.Arrays.fill(m, Double.NaN);
        return new Histories(x, tx, T, m);
    }

    public int size() {
        return x.length;
    }

    public int maxFrequency() {
        int max = 0;
        for (int v : x) max = Math.max(max, v);
        return max;
    }

    /** Which values of x occur, indexed by x. */
    boolean[] frequencies() {
        boolean[] seen = new boolean[maxFrequency() + 1];
        for (int v : x) seen[v] = true;
        return seen;
    }

    /** The customers with at least one repeat purchase and a positive mean value: those Gamma-Gamma is fitted on. */
    public Histories repeatBuyersWithValue() {
        int n = 0;
        for (int i = 0; i < x.length; i++) if (x[i] > 0 && m[i] > 0) n++;
        int[] x2 = new int[n];
        double[] tx2 = new double[n], T2 = new double[n], m2 = new double[n];
        for (int i = 0, j = 0; i < x.length; i++) {
            if (x[i] > 0 && m[i] > 0) {
                x2[j] = x[i];
                tx2[j] = tx[i];
                T2[j] = T[i];
                m2[j++] = m[i];
            }
        }
        return new Histories(x2, tx2, T2, m2);
    }
}
