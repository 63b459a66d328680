package io.ecombi.anomaly;

import io.ecombi.calendar.ShopCalendar;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** An anomaly on a calendar day that moved the way the day is known for is an expected event, sized against last year's. */
class ExpectedEventsTest {
    static final LocalDate FIRST = LocalDate.of(2025, 11, 1);
    static final LocalDate BLACK_FRIDAY = LocalDate.of(2026, 11, 27);

    @Test
    void aPeakOnBlackFridayIsExpectedAndSizedAgainstLastYear() {
        // net revenue 1,000 a day; Black Friday 2025 (2025-11-28) made 4,000, Black Friday 2026 makes 5,000: +25.0%
        List<LocalDate> days = new ArrayList<>();
        List<Double> revenue = new ArrayList<>();
        for (LocalDate d = FIRST; !d.isAfter(BLACK_FRIDAY); d = d.plusDays(1)) {
            days.add(d);
            revenue.add(d.equals(LocalDate.of(2025, 11, 28)) ? 4000.0 : d.equals(BLACK_FRIDAY) ? 5000.0 : 1000.0);
        }
        AnomalySeries series = new AnomalySeries(days, Map.of("net_revenue", revenue), List.of(), Map.of());
        ShopCalendar cal = ShopCalendar.of(List.of(
                new ShopCalendar.Day(LocalDate.of(2025, 11, 28), "Black Friday", ShopCalendar.EVENT, LocalDate.of(2025, 11, 28), "peak"),
                new ShopCalendar.Day(BLACK_FRIDAY, "Black Friday", ShopCalendar.EVENT, BLACK_FRIDAY, "peak"),
                new ShopCalendar.Day(LocalDate.of(2026, 11, 26), "Thanksgiving", ShopCalendar.PUBLIC_HOLIDAY, LocalDate.of(2026, 11, 26), "any")));
        AnomalyDetector.Anomaly spike = new AnomalyDetector.Anomaly("net_revenue", BLACK_FRIDAY, "spike", 5000, 1000, 800, 1200, 400, 40, "Critical");
        AnomalyDetector.Anomaly drop = new AnomalyDetector.Anomaly("orders", BLACK_FRIDAY, "drop", 2, 30, 20, 40, -93, -8, "Critical");
        AnomalyDetector.Anomaly holidayDrop = new AnomalyDetector.Anomaly("net_revenue", LocalDate.of(2026, 11, 26), "drop", 100, 1000, 800, 1200, -90, -9, "High");
        AnomalyDetector.Anomaly ordinary = new AnomalyDetector.Anomaly("net_revenue", LocalDate.of(2026, 11, 20), "spike", 3000, 1000, 800, 1200, 200, 20, "Critical");

        List<AnomalyDetector.Anomaly> out = ExpectedEvents.label(List.of(spike, drop, holidayDrop, ordinary), cal, series);
        assertThat(out.get(0).severity()).isEqualTo("Expected");
        assertThat(out.get(0).event()).isEqualTo("expected peak: Black Friday; +25.0% against the same day of it a year earlier (2025-11-28)");
        assertThat(out.get(0).rank()).isGreaterThan(3);   // after Low: never an alert (rank <= 1)
        // a drop on a peak day stays Critical, its event named
        assertThat(out.get(1).severity()).isEqualTo("Critical");
        assertThat(out.get(1).event()).isEqualTo("during Black Friday (a peak, not a drop, is expected)");
        // a public holiday expects either way; Thanksgiving 2025 is not in this calendar
        assertThat(out.get(2).severity()).isEqualTo("Expected");
        assertThat(out.get(2).event()).isEqualTo("expected lull: Thanksgiving (public holiday); no same event a year earlier in the calendar");
        assertThat(out.get(3)).isEqualTo(ordinary);
    }
}
