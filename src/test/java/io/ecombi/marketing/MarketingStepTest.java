package io.ecombi.marketing;

import io.ecombi.kpi.KpiTable;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The section's results from the funnel KPIs: its figures as the page prints them, and no funnel where there are no events. */
class MarketingStepTest {
    static final List<String> STEP_COLUMNS = List.of("step_order", "step", "sessions", "step_conversion_pct", "overall_conversion_pct",
            "drop_off_sessions", "drop_off_pct");

    @Test
    void aShopWithoutEventsHasNoFunnel() {
        MarketingStep.Marketing m = MarketingStep.marketing(KpiTable.of("funnel_steps", STEP_COLUMNS, List.of()), null, "2025-07-01 to 2026-06-30");
        assertThat(m.hasEvents()).isFalse();
        assertThat(m.steps()).isNull();
        assertThat(m.sessions()).isNull();
    }

    @Test
    void theFunnelsHeadlineFigures() {
        KpiTable steps = KpiTable.of("funnel_steps", STEP_COLUMNS, List.of(
                new Object[] {1, "sessions", 1200, null, 100.00, null, null},
                new Object[] {2, "product view", 1100, 91.67, 91.67, 100, 8.33},
                new Object[] {3, "add to cart", 400, 36.36, 33.33, 700, 63.64},
                new Object[] {4, "purchase", 200, 50.00, 16.67, 200, 50.00},
                new Object[] {5, "purchase without a view (not in the funnel)", 24, null, 2.00, null, null}));

        MarketingStep.Marketing m = MarketingStep.marketing(steps, null, "2025-07-01 to 2026-06-30");

        assertThat(m.hasEvents()).isTrue();
        assertThat(m.sessions()).isEqualTo("1,200");
        assertThat(m.purchaseSessions()).isEqualTo("200");
        assertThat(m.purchasesWithoutView()).isEqualTo("24");
        assertThat(m.conversion()).contains("16.7");
        assertThat(m.purchasesWithoutViewShare()).contains("2.0");
        assertThat(m.steps().rows()).hasSize(5);
    }

    @Test
    void notRunNotShown() {
        assertThat(MarketingStep.marketing(null, null, "")).isNull();
    }
}
