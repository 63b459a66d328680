package io.ecombi.drivers;

import io.ecombi.kpi.KpiTable;
import io.ecombi.report.Labels;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which moves a run explains, and the drivers as readers show them (no database). */
class DriversTest {
    static final List<String> PERIODS = List.of("comparison", "compares", "period_start", "period_end", "compare_start", "compare_end", "covered");
    static final List<String> CARDS = List.of("period", "window_start", "window_end", "comparable");
    static final List<String> DRIVERS = List.of("metric", "dimension", "rank", "member", "members", "value", "compare_value", "contribution",
            "change", "share_pct", "base_share_pct", "explains", "main");

    @Test
    void theMovesAreThePeriodCardsTheDataCoversAndTheTwelveMonthsWhenComparable() {
        KpiTable periods = KpiTable.of("period_comparisons", PERIODS, List.of(
                new Object[]{"wow", "w", LocalDate.of(2026, 6, 8), LocalDate.of(2026, 6, 14), LocalDate.of(2026, 6, 1), LocalDate.of(2026, 6, 7), true},
                new Object[]{"yoy", "y", LocalDate.of(2026, 5, 16), LocalDate.of(2026, 6, 14), LocalDate.of(2025, 5, 16), LocalDate.of(2025, 6, 14), false},
                new Object[]{"mtd", "m", LocalDate.of(2026, 6, 1), LocalDate.of(2026, 6, 14), LocalDate.of(2026, 5, 1), LocalDate.of(2026, 5, 14), true}));
        KpiTable cards = KpiTable.of("kpi_cards", CARDS, List.of(
                new Object[]{"current", LocalDate.of(2025, 6, 15), LocalDate.of(2026, 6, 14), null},
                new Object[]{"previous", LocalDate.of(2024, 6, 15), LocalDate.of(2025, 6, 14), false}));
        assertThat(DriversStep.moves(periods, cards)).extracting(DriversStep.Move::key).containsExactly("wow", "mtd");
        KpiTable comparable = KpiTable.of("kpi_cards", CARDS, List.of(cards.rows().get(0),
                new Object[]{"previous", LocalDate.of(2024, 6, 15), LocalDate.of(2025, 6, 14), true}));
        DriversStep.Move m = DriversStep.moves(null, comparable).get(0);
        assertThat(m.params()).isEqualTo(Map.of("periodStart", LocalDate.of(2025, 6, 15), "periodEnd", LocalDate.of(2026, 6, 14),
                "compareStart", LocalDate.of(2024, 6, 15), "compareEnd", LocalDate.of(2025, 6, 14)));
        assertThat(DriversStep.Move.day(LocalDate.of(2025, 11, 28)).params())
                .containsEntry("compareStart", LocalDate.of(2025, 11, 21)).containsEntry("compareEnd", LocalDate.of(2025, 11, 21));
    }

    @Test
    void topThreeAreEachDimensionsLargestAndTheMainDriverOrNone() {
        KpiTable t = KpiTable.of("drivers_wow", DRIVERS, List.of(
                row("net_revenue", "country", 1, "Germany", "-250.00", "-201.00", "124.4", true, true),
                row("net_revenue", "country", 2, "other", "49.00", "-201.00", "-24.4", false, false),
                row("net_revenue", "category", 1, "Lighting", "-240.33", "-201.00", "119.6", true, false),
                row("net_revenue", "product", 1, "Lamp", "-250.00", "-201.00", "124.4", true, false),
                row("net_revenue", "payment_method", 1, "paypal", "-100.00", "-201.00", "49.8", false, false),
                row("orders", "country", 1, "Germany", "-1", "0", null, false, false),
                row("orders", "country", 2, "United Kingdom", "1", "0", null, false, false),
                row("gross_margin_pct", "country", 1, "Germany", "-23.4595", "2.3606", "-993.8", false, false)));
        KpiTable pvm = KpiTable.of("price_volume_mix", List.of("comparison", "change", "volume", "price", "mix"),
                List.<Object[]>of(new Object[]{"wow", new BigDecimal("-201.00"), new BigDecimal("-150.00"), new BigDecimal("20.00"), new BigDecimal("-71.00")}));
        DriversStep.Move wow = new DriversStep.Move("wow", "last 7 days", LocalDate.of(2026, 6, 8), LocalDate.of(2026, 6, 14),
                LocalDate.of(2026, 6, 1), LocalDate.of(2026, 6, 7));
        Drivers d = Drivers.of(List.of(wow), Map.of("wow", t), pvm, null, "£", Labels.load(Path.of("config/labels.properties")));
        Drivers.Metric revenue = d.of("wow", "net_revenue");
        assertThat(revenue.change()).isEqualTo("-£201.00");
        // Germany and Lamp tie at -250.00: the table's order (country before product) stands; 'other' is never a driver
        assertThat(revenue.top()).extracting(l -> l.dimension() + ": " + l.member() + " " + l.contribution() + " (" + l.share() + ")")
                .containsExactly("Country: Germany -£250.00 (124.4%)", "Product: Lamp -£250.00 (124.4%)", "Category: Lighting -£240.33 (119.6%)");
        assertThat(revenue.main().member()).isEqualTo("Germany");
        assertThat(revenue.spread()).isFalse();
        // no change: nothing to explain, and not "spread" either
        assertThat(d.of("wow", "orders").main()).isNull();
        assertThat(d.of("wow", "orders").spread()).isFalse();
        // a margin change no member explains is spread
        assertThat(d.of("wow", "gross_margin_pct").spread()).isTrue();
        assertThat(d.of("wow", "gross_margin_pct").change()).isEqualTo("+2.36 pts");
        assertThat(d.splits().get("wow")).isEqualTo(new Drivers.Split("-£201.00", "-£150.00", "+£20.00", "-£71.00"));
    }

    private static Object[] row(String metric, String dimension, int rank, String member, String contribution, String change, String share,
                                boolean explains, boolean main) {
        return new Object[]{metric, dimension, rank, member, 1, null, null, new BigDecimal(contribution), new BigDecimal(change),
                share == null ? null : new BigDecimal(share), null, explains, main};
    }
}
