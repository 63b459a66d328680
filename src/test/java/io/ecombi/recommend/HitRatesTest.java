package io.ecombi.recommend;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HitRatesTest {
    @Test
    void publishedOnlyWhenStrictlyBetterThanThePopularBaselineOnEnoughCustomers() {
        // 30 of 200 against 30 of 200: a tie is not a win
        HitRates tie = new HitRates(10, 250, 200, 180, 30, 30, 1000);
        assertThat(tie.beatsBaseline(50)).isFalse();
        assertThat(tie.verdict(50)).isEqualTo("not published: the co-purchase rules did not beat the most-popular baseline on each customer's "
                + "held-out last order: hit rate at 10 15.0 % (30 of 200 customers) against 15.0 % (30) for the 10 most popular products");
        assertThat(new HitRates(10, 250, 200, 180, 31, 30, 1000).beatsBaseline(50)).isTrue();
        // better, but on too few customers to tell
        HitRates few = new HitRates(10, 60, 40, 40, 20, 5, 100);
        assertThat(few.beatsBaseline(50)).isFalse();
        assertThat(few.verdict(50)).startsWith("not published: only 40 customers could be judged");
    }
}
