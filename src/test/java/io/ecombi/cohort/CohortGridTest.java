package io.ecombi.cohort;

import io.ecombi.kpi.KpiTable;
import io.ecombi.segment.Movement;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The grid of a cohort table and the movement matrix, without a database: the pivots the dashboard shows. */
class CohortGridTest {
    @Test
    void unlivedCellsStayEmptyAndThePartialPeriodIsMarked() {
        KpiTable t = KpiTable.of("cohort_monthly", List.of("cohort_month", "cohort_customers", "months_since", "is_partial", "customer_retention_pct"),
                List.of(new Object[]{"2026-04-01", 4L, 0, false, new BigDecimal("100.00")},
                        new Object[]{"2026-04-01", 4L, 1, false, new BigDecimal("25.00")},
                        new Object[]{"2026-04-01", 4L, 2, true, new BigDecimal("50.00")},
                        new Object[]{"2026-05-01", 0L, 0, false, null},
                        new Object[]{"2026-05-01", 0L, 1, true, null},
                        new Object[]{"2026-06-01", 2L, 0, true, new BigDecimal("100.00")}));
        CohortGrid g = CohortGrid.of(t, "customer_retention_pct");
        assertThat(g.cohorts()).containsExactly("2026-04-01", "2026-05-01", "2026-06-01");
        assertThat(g.sizes()).containsExactly(4L, 0L, 2L);
        assertThat(g.periods()).isEqualTo(3);
        assertThat(g.values()[0]).containsExactly(100.0, 25.0, 50.0);
        assertThat(g.values()[1]).containsExactly(null, null, null);          // a cohort of 0: no retention
        assertThat(g.values()[2]).containsExactly(100.0, null, null);         // months 1 and 2 not lived yet
        assertThat(g.partial()[0]).containsExactly(false, false, true);
        assertThat(g.partial()[2]).containsExactly(true, false, false);
    }

    @Test
    void movementKeepsTheRulesOrderAndShowsSegmentsNoRuleNamesAnyMore() {
        List<Object[]> pairs = List.of(new Object[]{"Champions", "At Risk", 3L}, new Object[]{"new in the window", "Champions", 2L},
                new Object[]{"Big Spenders", "left the window", 1L});   // a segment of rules edited since the last run
        Movement m = Movement.of(List.of("Champions", "At Risk"), pairs, 0, 1, 2);
        assertThat(m.rows()).containsExactly("Champions", "At Risk", "Big Spenders", Movement.NEW);
        assertThat(m.columns()).containsExactly("Champions", "At Risk", "Big Spenders", Movement.LEFT);
        assertThat(m.count("Champions", "At Risk")).isEqualTo(3);
        assertThat(m.count(Movement.NEW, "Champions")).isEqualTo(2);
        assertThat(m.count("Big Spenders", Movement.LEFT)).isEqualTo(1);
        assertThat(m.count("At Risk", "Champions")).isZero();
    }
}
