package io.ecombi.explore;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Explore's rules that need no database: which fact files a filter rebuilds, and the filters' form. */
class ExploreRulesTest {
    static List<Path> derived() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("sql/fact"))) {
            return s.filter(p -> p.toString().endsWith(".sql") && p.getFileName().toString().compareTo("10_sales_lines.sql") > 0).sorted().toList();
        }
    }

    static List<String> names(List<Path> files) {
        return files.stream().map(p -> p.getFileName().toString()).toList();
    }

    @Test
    void aFilterRebuildsOnlyTheFactFilesTheQueriesRead() throws Exception {
        List<Path> all = derived();
        assertThat(names(Derived.needed(all, List.of(Path.of("sql/kpi/kpi_cards.sql"))))).containsExactly("20_sales_orders.sql");
        // data gaps read daily_sales, which reads sales_orders
        assertThat(names(Derived.needed(all, List.of(Path.of("sql/quality/data_gaps.sql")))))
                .containsExactly("20_sales_orders.sql", "40_daily_sales.sql", "50_data_gaps.sql");
        assertThat(names(Derived.needed(all, List.of(Path.of("sql/kpi/churn_summary.sql"))))).containsExactly("20_sales_orders.sql", "60_churn.sql");
        // the drill-down reads the lines themselves: nothing to rebuild
        assertThat(Derived.needed(all, List.of(Path.of("sql/explore/lines.sql")))).isEmpty();
        // no file named: every one
        assertThat(Derived.needed(all, List.of())).isEqualTo(all);
    }

    @Test
    void filtersAreCheckedForFormBeforeAnythingRuns() {
        Filters f = Filters.parse(Map.of("country", " Germany ", "dateFrom", "2026-01-01", "product", "42"), Set.of());
        assertThat(f.country()).isEqualTo("Germany");
        assertThat(f.dateFrom()).isEqualTo(LocalDate.of(2026, 1, 1));
        assertThat(f.product()).isEqualTo(42L);
        assertThat(f.parameters()).containsEntry("region", null).hasSize(Filters.NAMES.size());
        assertThat(Filters.parse(Map.of("country", ""), Set.of()).none()).isTrue();
        assertThatThrownBy(() -> Filters.parse(Map.of("dateFrom", "2026-02-01", "dateTo", "2026-01-01"), Set.of()))
                .hasMessage("the date range is reversed: dateFrom 2026-02-01 is after dateTo 2026-01-01");
        assertThatThrownBy(() -> Filters.parse(Map.of("dateTo", "31/01/2026"), Set.of())).hasMessageContaining("YYYY-MM-DD");
        assertThatThrownBy(() -> Filters.parse(Map.of("product", "1 OR 1=1"), Set.of())).hasMessageContaining("not a product id");
        assertThatThrownBy(() -> Filters.parse(Map.of("country", "x".repeat(201)), Set.of())).hasMessageContaining("longer than 200");
        assertThatThrownBy(() -> Filters.parse(Map.of("colour", "red"), Set.of())).hasMessageContaining("unknown filter colour");
    }

    @Test
    void aDrillKeyBecomesTheLinesQuerysParameters() {
        assertThat(ExploreApi.drill("month", "2026-02")).containsEntry("dayFrom", LocalDate.of(2026, 2, 1)).containsEntry("dayTo", LocalDate.of(2026, 2, 28));
        assertThat(ExploreApi.drill("month", "2026-02-01")).containsEntry("dayTo", LocalDate.of(2026, 2, 28));
        assertThat(ExploreApi.drill("category", "Books")).containsEntry("category", "Books").containsEntry("dayFrom", null);
        assertThat(ExploreApi.drill("all", null).values()).containsOnlyNulls();
        assertThatThrownBy(() -> ExploreApi.drill("customer", "1")).hasMessageContaining("by must be one of");
        assertThatThrownBy(() -> ExploreApi.drill("product", "abc")).hasMessageContaining("is not a product");
        assertThatThrownBy(() -> ExploreApi.drill("country", null)).hasMessageContaining("key is missing");
    }
}
