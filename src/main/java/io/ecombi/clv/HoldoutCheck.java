package io.ecombi.clv;

import java.util.ArrayList;
import java.util.List;

/**
 * The calibration / hold-out check (Fader, Hardie &amp; Lee 2005, figure 4): models fitted on the
 * history to the end of the calibration part predict each customer's repeat purchases in the
 * hold-out that follows; predicted and actual are compared per bucket of calibration repeat
 * purchases (0, 1, ..., 6, 7+), and against a simple baseline: each customer repeats at their past
 * rate, x / T purchases per week (0 for a customer with no repeat purchase yet).
 *
 * @param buckets                the buckets in order; purchases are totals over the bucket's customers
 * @param holdoutWeeks           the hold-out's length in weeks
 * @param modelMae               mean over customers of |predicted - actual| repeat purchases
 * @param baselineMae            the same for the baseline
 * @param modelBucketErrorPct    sum over buckets of |predicted - actual| / all actual purchases, in percent
 * @param baselineBucketErrorPct the same for the baseline
 * @param actualRevenue          the calibration customers' net revenue in the hold-out
 * @param predictedRevenue       predicted purchases x expected purchase value (NaN without a spend model)
 */
public record HoldoutCheck(List<Bucket> buckets, double holdoutWeeks, double modelMae, double baselineMae,
                           double modelBucketErrorPct, double baselineBucketErrorPct, double actualRevenue, double predictedRevenue) {
    /** The last bucket holds this many calibration repeat purchases or more. */
    public static final int TOP_BUCKET = 7;

    public record Bucket(int bucket, String label, int customers, double actual, double predicted, double baseline) {
        public double actualPerCustomer() { return customers == 0 ? 0 : actual / customers; }
        public double predictedPerCustomer() { return customers == 0 ? 0 : predicted / customers; }
        public double baselinePerCustomer() { return customers == 0 ? 0 : baseline / customers; }
    }

    /** The baseline's prediction for t weeks: the customer's past repeat rate x / T times t. */
    public static double baseline(int x, double T, double t) {
        return T > 0 ? x / T * t : 0;
    }

    /**
     * The check of a calibration fit on the calibration customers (cal) and their actual hold-out
     * purchases and net revenue; spend may be null (no purchase value model).
     */
    public static HoldoutCheck of(BgNbd model, GammaGamma spend, Histories cal, int[] actual, double[] actualRevenue, double holdoutWeeks) {
        int nb = TOP_BUCKET + 1;
        int[] customers = new int[nb];
        double[] act = new double[nb], pred = new double[nb], base = new double[nb];
        double modelAbs = 0, baseAbs = 0, revenue = 0, predictedRevenue = 0;
        for (int i = 0; i < cal.size(); i++) {
            int x = cal.x()[i];
            double p = model.conditionalExpected(holdoutWeeks, x, cal.tx()[i], cal.T()[i]);
            double b = baseline(x, cal.T()[i], holdoutWeeks);
            int k = Math.min(x, TOP_BUCKET);
            customers[k]++;
            act[k] += actual[i];
            pred[k] += p;
            base[k] += b;
            modelAbs += Math.abs(p - actual[i]);
            baseAbs += Math.abs(b - actual[i]);
            revenue += actualRevenue[i];
            if (spend != null) {
                double m = cal.m()[i];
                predictedRevenue += p * (x > 0 && m > 0 ? spend.conditionalExpectedValue(x, m) : spend.populationMean());
            }
        }
        List<Bucket> buckets = new ArrayList<>();
        double total = 0, modelGap = 0, baseGap = 0;
        for (int k = 0; k < nb; k++) {
            buckets.add(new Bucket(k, k == TOP_BUCKET ? TOP_BUCKET + "+" : String.valueOf(k), customers[k], act[k], pred[k], base[k]));
            total += act[k];
            modelGap += Math.abs(pred[k] - act[k]);
            baseGap += Math.abs(base[k] - act[k]);
        }
        int n = cal.size();
        return new HoldoutCheck(buckets, holdoutWeeks, n == 0 ? Double.NaN : modelAbs / n, n == 0 ? Double.NaN : baseAbs / n,
                total == 0 ? Double.NaN : 100 * modelGap / total, total == 0 ? Double.NaN : 100 * baseGap / total, revenue,
                spend == null ? Double.NaN : predictedRevenue);
    }

    public double actualTotal() { return buckets.stream().mapToDouble(Bucket::actual).sum(); }
    public double predictedTotal() { return buckets.stream().mapToDouble(Bucket::predicted).sum(); }
    public double baselineTotal() { return buckets.stream().mapToDouble(Bucket::baseline).sum(); }
    public int customers() { return buckets.stream().mapToInt(Bucket::customers).sum(); }

    /** The model beat the baseline: less error per customer and less error over the buckets. */
    public boolean modelBeatsBaseline() {
        return modelMae < baselineMae && modelBucketErrorPct < baselineBucketErrorPct;
    }
}
