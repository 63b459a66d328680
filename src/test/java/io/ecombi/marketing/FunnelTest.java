package io.ecombi.marketing;

import io.ecombi.kpi.KpiTable;
import io.ecombi.testing.KpiHarness;
import io.ecombi.testing.Sql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conversion funnel (issue 35) on a hand-made event log, through the fact layer (fact.web_sessions) and
 * sql/kpi/funnel_weekly.sql and funnel_steps.sql. As of 2026-06-30: the window is 2025-07-01 to 2026-06-30.
 * Every expected number below is counted by hand from the log.
 */
class FunnelTest {
    static final LocalDate AS_OF = LocalDate.of(2026, 6, 30);
    static KpiHarness h;

    @BeforeAll
    static void start() {
        h = KpiHarness.start();
        Sql.exec(h.dataSource(), """
                INSERT INTO web_events (event_id, session_id, event_type, event_time) VALUES
                -- week of Monday 2026-06-08, inside the window
                (1,  's1', 'view',     '2026-06-10 10:00:00'), (2, 's1', 'cart', '2026-06-10 10:01:00'), (3, 's1', 'purchase', '2026-06-10 10:02:00'),
                (4,  's2', 'view',     '2026-06-10 11:00:00'), (5, 's2', 'cart', '2026-06-10 11:01:00'),
                (6,  's3', 'view',     '2026-06-11 09:00:00'),
                (7,  's4', 'view',     '2026-06-12 09:00:00'), (8, 's4', 'view', '2026-06-12 09:02:00'),
                (9,  's5', 'cart',     '2026-06-13 09:00:00'), (10, 's5', 'view', '2026-06-13 09:01:00'),
                (11, 's6', 'purchase', '2026-06-14 09:00:00'),
                (12, 's7', 'view',     '2026-06-14 10:00:00'), (13, 's7', 'purchase', '2026-06-14 10:05:00'),
                (14, 's8', 'purchase', '2026-06-14 08:00:00'), (15, 's8', 'view', '2026-06-14 08:05:00'),
                -- week of Monday 2026-06-29: the window ends on its Tuesday
                (16, 's9',  'view', '2026-06-29 12:00:00'), (17, 's9', 'cart', '2026-06-29 12:01:00'), (18, 's9', 'purchase', '2026-06-29 12:03:00'),
                (19, 's10', 'view', '2026-06-30 23:59:59'),
                (20, 's11', 'view', '2026-07-01 00:00:00'),
                (21, 's12', 'view', '2026-06-30 23:59:00'), (22, 's12', 'cart', '2026-07-01 00:00:10'),
                -- week of Monday 2026-05-04: steps out of order
                (26, 's15', 'view', '2026-05-05 10:00:00'), (27, 's15', 'purchase', '2026-05-05 10:01:00'), (28, 's15', 'cart', '2026-05-05 10:02:00'),
                (29, 's16', 'cart', '2026-05-06 10:00:00'), (30, 's16', 'view', '2026-05-06 10:01:00'), (31, 's16', 'purchase', '2026-05-06 10:02:00'),
                -- the window's first day (a Tuesday) and the day before it
                (23, 's13', 'view', '2025-06-30 15:00:00'),
                (24, 's14', 'view', '2025-07-01 15:00:00'), (25, 's14', 'cart', '2025-07-01 15:10:00')
                """);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    /**
     * s1 view→cart→purchase; s2 view→cart; s3 view; s4 two views (one session); s5 cart before its view (viewed, not carted);
     * s6 purchase only; s7 view→purchase with no cart; s8 purchase, then a view. Week of 06-08: 8 sessions, 7 viewed (all but
     * s6), 2 carted (s1, s2), 1 purchased (s1); purchase without a view before it: s6, s8; outside the funnel: s6, s7, s8.
     * Week of 06-29: s9 (all steps), s10 (view on the as-of date), s12 (its cart is after the as-of date); s11 starts after
     * it: 3 sessions, 3 viewed, 1 carted, 1 purchased; partial. Week of 2026-05-04: s15 view→purchase→cart (carted after its
     * view, but no purchase after the cart), s16 cart→view→purchase (its cart came before any view): 2 sessions, 2 viewed,
     * 1 carted, 0 purchased, both outside the funnel. Week of 2025-06-30: only s14 (s13 is before the window).
     */
    @Test
    void weeklyFunnelCountedByHand() {
        KpiTable t = h.run(AS_OF, "funnel_weekly").kpi("funnel_weekly");

        assertThat(t.rows()).hasSize(4);
        assertThat(row(t, 0)).containsExactly("2025-06-30", "true", "1", "1", "1", "0", "100.00", "100.00", "0.00", "0.00", "0", "0");
        assertThat(row(t, 1)).containsExactly("2026-05-04", "false", "2", "2", "1", "0", "100.00", "50.00", "0.00", "0.00", "0", "2");
        assertThat(row(t, 2)).containsExactly("2026-06-08", "false", "8", "7", "2", "1", "87.50", "28.57", "50.00", "12.50", "2", "3");
        assertThat(row(t, 3)).containsExactly("2026-06-29", "true", "3", "3", "1", "1", "100.00", "33.33", "100.00", "33.33", "0", "0");
    }

    /**
     * The window: 14 sessions (8 + 3 + 2 + 1), 13 viewed, 5 carted (s1, s2, s9, s14, s15), 2 purchased (s1, s9). View 13/14 =
     * 92.86 %, 1 lost (7.14 %); cart 5/13 = 38.46 % (8 lost, 61.54 %), 5/14 = 35.71 % overall; purchase 2/5 = 40 % (3 lost,
     * 60 %), 2/14 = 14.29 %. Purchase without a view: 2 of 14 = 14.29 %.
     */
    @Test
    void funnelStepsCountedByHand() {
        KpiTable t = h.run(AS_OF, "funnel_steps").kpi("funnel_steps");

        assertThat(t.rows()).hasSize(5);
        assertThat(row(t, 0)).containsExactly("1", "sessions", "14", null, "100.00", null, null);
        assertThat(row(t, 1)).containsExactly("2", "product view", "13", "92.86", "92.86", "1", "7.14");
        assertThat(row(t, 2)).containsExactly("3", "add to cart", "5", "38.46", "35.71", "8", "61.54");
        assertThat(row(t, 3)).containsExactly("4", "purchase", "2", "40.00", "14.29", "3", "60.00");
        assertThat(row(t, 4)).containsExactly("5", "purchase without a view (not in the funnel)", "2", null, "14.29", null, null);
    }

    /** A shop without web events (UCI, Superstore, Olist) has no funnel: no rows, never a row of zeros. */
    @Test
    void noEventsNoFunnel() {
        KpiHarness.Run run = h.run(LocalDate.of(2024, 12, 31), "funnel_weekly", "funnel_steps");   // the log starts in 2025
        assertThat(run.kpi("funnel_weekly").rows()).isEmpty();
        assertThat(run.kpi("funnel_steps").rows()).isEmpty();
    }

    private static List<String> row(KpiTable t, int i) {
        List<String> out = new ArrayList<>();
        for (Object v : Arrays.asList(t.rows().get(i))) out.add(v == null ? null : v.toString());
        return out;
    }
}
