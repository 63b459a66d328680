package io.ecombi.clv;

/**
 * A customer's value to come from the two fitted models: P(alive), the expected repeat purchases in
 * the next 90 days and 12 months (BG/NBD), the expected value of a purchase (Gamma-Gamma) and the
 * 12-month CLV = sum over the next 12 months of (expected purchases in the month x expected purchase
 * value) / (1 + annual rate)^(month / 12). Times in weeks, as the models were fitted.
 */
public record Valuation(BgNbd purchases, GammaGamma spend, double annualDiscountRate) {
    /** Weeks in 90 days. */
    public static final double WEEKS_90_DAYS = 90 / 7.0;
    /** Weeks in a month of an average year (365.25 / 12 days). */
    public static final double WEEKS_PER_MONTH = 365.25 / 12 / 7;
    public static final int MONTHS = 12;

    /** One customer's figures. */
    public record Value(double pAlive, double purchases90d, double purchases12m, double orderValue, double clv12m) { }

    /**
     * The figures of a customer with x repeat purchases, the last at t_x, age T and mean repeat value
     * m. Without a usable mean of their own (no repeat purchase, or credit notes outweighing their
     * repeat sales: m not above 0) the expected purchase value is the population's.
     */
    public Value of(int x, double tx, double T, double m) {
        double orderValue = x > 0 && m > 0 ? spend.conditionalExpectedValue(x, m) : spend.populationMean();
        double clv = 0, before = 0;
        for (int month = 1; month <= MONTHS; month++) {
            double cumulative = purchases.conditionalExpected(month * WEEKS_PER_MONTH, x, tx, T);
            clv += (cumulative - before) * orderValue / Math.pow(1 + annualDiscountRate, month / 12.0);
            before = cumulative;
        }
        return new Value(purchases.pAlive(x, tx, T), purchases.conditionalExpected(WEEKS_90_DAYS, x, tx, T), before, orderValue, clv);
    }
}
