package io.ecombi.summary;

import io.ecombi.summary.ClaimCheck.Comparisons;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Claims of change without digits are checked against the comparisons the summary was given. */
class ClaimCheckTest {
    static final String WINDOWS = "the 12 months from 2025-07-01 to 2026-06-30 against the 12 months from 2024-07-01 to 2025-06-30";

    /** Net revenue +20 %, orders +50 %, customers ±0, average order value -20 %, gross margin -10 points; May 200 -> June 100. */
    static Comparisons comparable(String netRevenueChange) {
        Map<String, BigDecimal> changes = new LinkedHashMap<>();
        changes.put("net_revenue", new BigDecimal(netRevenueChange));
        changes.put("orders", new BigDecimal("50"));
        changes.put("customers", new BigDecimal("0"));
        changes.put("avg_order_value", new BigDecimal("-20"));
        changes.put("gross_margin", new BigDecimal("-10.00"));
        return new Comparisons(changes, WINDOWS, null, months(), "2024-07-01", Set.of("Apparel", "United Kingdom", "At Risk"));
    }

    static Map<YearMonth, Map<String, BigDecimal>> months() {
        Map<YearMonth, Map<String, BigDecimal>> m = new TreeMap<>();
        m.put(YearMonth.of(2026, 4), Map.of("net_revenue", new BigDecimal("150.00"), "orders", new BigDecimal("3")));
        m.put(YearMonth.of(2026, 5), Map.of("net_revenue", new BigDecimal("200.00"), "orders", new BigDecimal("2")));
        m.put(YearMonth.of(2026, 6), Map.of("net_revenue", new BigDecimal("100.00"), "orders", new BigDecimal("2")));
        return m;
    }

    static Comparisons noComparison() {
        return new Comparisons(Map.of(), null, "the data starts on 2025-06-15, so it does not cover the 12 months before 2025-07-01 in full",
                months(), "2025-06-15", Set.of());
    }

    @Test
    void doubledWithoutAPriorYearIsFlagged() {
        ClaimCheck.Result r = ClaimCheck.check("## Revenue\nNet revenue doubled over the last 12 months.", noComparison());
        assertThat(r.checked()).isEqualTo(1);
        assertThat(r.unmatched()).containsExactly("\"Net revenue doubled\": no like-for-like comparison: the data starts on 2025-06-15, "
                + "so it does not cover the 12 months before 2025-07-01 in full");
    }

    @Test
    void directionMustHaveTheSignOfTheChange() {
        assertThat(ClaimCheck.check("Net revenue grew over the 12 months.", comparable("20")).unmatched()).isEmpty();
        assertThat(ClaimCheck.check("**Net revenue** rose, and orders increased.", comparable("20"))).isEqualTo(new ClaimCheck.Result(2, java.util.List.of()));
        assertThat(ClaimCheck.check("Net revenue fell over the 12 months.", comparable("20")).unmatched())
                .containsExactly("\"Net revenue fell\": the data says net revenue changed +20.0% (" + WINDOWS + ")");
        // the verb's own subject: net revenue grew (+20), orders fell (+50: wrong), average order value dropped (-20: right)
        assertThat(ClaimCheck.check("Net revenue grew 20%, while orders fell and the average order value dropped.", comparable("20")).unmatched())
                .containsExactly("\"orders fell\": the data says orders changed +50.0% (" + WINDOWS + ")");
        // a change that prints ±0.0 % neither grew nor fell
        assertThat(ClaimCheck.check("Customers grew.", comparable("20")).unmatched()).hasSize(1);
        assertThat(ClaimCheck.check("Net revenue grew.", comparable("0.04")).unmatched()).hasSize(1);
        // margins change in points
        assertThat(ClaimCheck.check("Gross margin increased.", comparable("20")).unmatched())
                .containsExactly("\"Gross margin increased\": the data says gross margin changed -10.0 pts (" + WINDOWS + ")");
    }

    @Test
    void negationTurnsTheClaimAround() {
        assertThat(ClaimCheck.check("Net revenue did not fall.", comparable("20")).unmatched()).isEmpty();
        assertThat(ClaimCheck.check("Net revenue didn't grow.", comparable("20")).unmatched()).hasSize(1);
        assertThat(ClaimCheck.check("Orders have not doubled.", comparable("20")).unmatched()).isEmpty();
        // "not only" is no negation
        assertThat(ClaimCheck.check("Net revenue not only grew, it held up.", comparable("20")).unmatched()).isEmpty();
    }

    @Test
    void sizeWordsHaveTheirBand() {
        // doubled: +90 .. +110 %
        assertThat(ClaimCheck.check("Net revenue doubled.", comparable("90")).unmatched()).isEmpty();
        assertThat(ClaimCheck.check("Net revenue doubled.", comparable("110")).unmatched()).isEmpty();
        assertThat(ClaimCheck.check("Net revenue doubled.", comparable("89.9")).unmatched())
                .containsExactly("\"Net revenue doubled\": the data says net revenue changed +89.9% (" + WINDOWS + "); \"doubled\" needs a change of +90% to +110%");
        assertThat(ClaimCheck.check("Net revenue doubled.", comparable("20")).unmatched()).hasSize(1);
        // nearly doubled: from +75 %; more than doubled: +90 % or more
        assertThat(ClaimCheck.check("Net revenue nearly doubled.", comparable("80")).unmatched()).isEmpty();
        assertThat(ClaimCheck.check("Net revenue nearly doubled.", comparable("70")).unmatched()).hasSize(1);
        assertThat(ClaimCheck.check("Net revenue more than doubled.", comparable("150")).unmatched()).isEmpty();
        // halved: -55 .. -45 %; tripled: +190 .. +210 %
        assertThat(ClaimCheck.check("Sales halved.", comparable("-50")).unmatched()).isEmpty();
        assertThat(ClaimCheck.check("Sales halved.", comparable("-40")).unmatched()).hasSize(1);
        assertThat(ClaimCheck.check("Revenue tripled.", comparable("200")).unmatched()).isEmpty();
    }

    @Test
    void aNamedMonthIsComparedWithTheMonthBefore() {
        // June 100 against May 200: -50 %
        assertThat(ClaimCheck.check("In June, net revenue fell.", comparable("20")).unmatched()).isEmpty();
        assertThat(ClaimCheck.check("Net revenue halved in June 2026.", comparable("20")).unmatched()).isEmpty();
        assertThat(ClaimCheck.check("Net revenue grew in June.", comparable("20")).unmatched())
                .containsExactly("\"Net revenue grew\": the data says net revenue changed -50.0% from 2026-05 to 2026-06");
        // May against April: 200 against 150, +33.3 %; orders 2 against 3
        assertThat(ClaimCheck.check("Net revenue rose in May, and orders dropped in May.", comparable("20")).unmatched()).isEmpty();
        // the 12 months to June are the headline's window, not June
        assertThat(ClaimCheck.check("Net revenue grew over the 12 months to June.", comparable("20")).unmatched()).isEmpty();
        // a month the data has not got, a metric it has no monthly figures of
        assertThat(ClaimCheck.check("Net revenue rose in April 2025.", comparable("20")).unmatched())
                .containsExactly("\"Net revenue rose\": the data has no monthly net revenue for 2025-04");
        // the monthly figures start in 2026-04, after the first sale: no record can be checked
        assertThat(ClaimCheck.check("May was a record month for net revenue.", comparable("20")).unmatched()).hasSize(1);
    }

    @Test
    void claimsAboutWhatTheDataHasNoComparisonForAreFlagged() {
        assertThat(ClaimCheck.check("Apparel revenue grew strongly.", comparable("20")).unmatched())
                .containsExactly("\"revenue grew\": the data has no figures of Apparel over time to compare");
        assertThat(ClaimCheck.check("Orders fell sharply in the United Kingdom.", comparable("20")).unmatched())
                .containsExactly("\"Orders fell\": the data has no figures of United Kingdom over time to compare");
        // a name that is not where the change happened does not scope it
        assertThat(ClaimCheck.check("Net revenue grew, led by Apparel.", comparable("20")).unmatched()).isEmpty();
        assertThat(ClaimCheck.check("Gross profit rose.", comparable("20")).unmatched())
                .containsExactly("\"Gross profit rose\": the data has no figures of gross profit over time to compare");
        assertThat(ClaimCheck.check("Churn increased.", comparable("20")).unmatched()).hasSize(1);
        assertThat(ClaimCheck.check("It was a record year for net revenue.", comparable("20")).unmatched())
                .containsExactly("\"record year for net revenue\": a record needs the shop's whole history; the data compares the 12 months only with the 12 before");
        assertThat(ClaimCheck.check("Net revenue reached an all-time high.", noComparison()).unmatched()).hasSize(1);
    }

    @Test
    void adviceAndWordsWithoutAMetricAreNotClaims() {
        String advice = "## Recommended actions\n1. Grow Apparel, the highest-margin category.\n2. Offer increased discounts to lapsed buyers.\n"
                + "3. Double down on retention; records are up to date.";
        assertThat(ClaimCheck.check(advice, comparable("20")).checked()).isZero();
        // a day or a week is left to the period check (FigureCheck.claims): the data has no such comparison to check it with
        assertThat(ClaimCheck.check("Net revenue fell last week.", comparable("20")).checked()).isZero();
    }
}
