package io.ecombi.recommend;

import java.util.Locale;

/**
 * The time-split check of the recommendations and its verdict: of the customers judged (their held-out
 * last order holds a product new to them), the share with a hit in the top k of the co-purchase rules,
 * and in the top k most popular products they had not bought. The rules are published only when
 * they beat the baseline on at least minJudged customers. Pure arithmetic: no Camel, no database.
 *
 * @param topN                       k
 * @param heldOut                    customers with two or more sale orders (their last one held out)
 * @param judged                     of those, whose held-out order holds a product new to them
 * @param judgedWithRecommendations  of those, with at least one recommendation from the rules
 * @param ruleHits                   judged customers with a hit among the rules' top k
 * @param popularHits                judged customers with a hit among the k most popular products new to them
 * @param checkRules                 rules learnt without the held-out orders
 */
public record HitRates(int topN, long heldOut, long judged, long judgedWithRecommendations, long ruleHits, long popularHits, long checkRules) {

    public double ruleHitRate() { return judged == 0 ? Double.NaN : (double) ruleHits / judged; }

    public double popularHitRate() { return judged == 0 ? Double.NaN : (double) popularHits / judged; }

    /** Published: enough customers judged and strictly more hits than the most-popular baseline. */
    public boolean beatsBaseline(long minJudged) {
        return judged >= minJudged && ruleHits > popularHits;
    }

    /** The verdict in words, with the figures. */
    public String verdict(long minJudged) {
        if (judged < minJudged) {
            return String.format(Locale.US, "not published: only %,d customers could be judged (a last order with a product new to them; "
                    + "%,d needed: ecombi.recommend.min-judged-customers)", judged, minJudged);
        }
        String rates = String.format(Locale.US, "hit rate at %d %.1f %% (%,d of %,d customers) against %.1f %% (%,d) for the %d most popular products",
                topN, 100 * ruleHitRate(), ruleHits, judged, 100 * popularHitRate(), popularHits, topN);
        return beatsBaseline(minJudged)
                ? "published: the co-purchase rules beat the most-popular baseline on each customer's held-out last order: " + rates
                : "not published: the co-purchase rules did not beat the most-popular baseline on each customer's held-out last order: " + rates;
    }
}
