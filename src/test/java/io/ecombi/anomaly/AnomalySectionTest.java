package io.ecombi.anomaly;

import io.ecombi.Settings;
import io.ecombi.result.Kind;
import io.ecombi.result.Table;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The anomaly section's words and tables, without a database: figures by the one set of formatting rules, latest first, one table per unit. */
class AnomalySectionTest {
    static final LocalDate FRI = LocalDate.of(2026, 10, 30);

    static Found found(String metric, LocalDate day, String kind, double actual, double expected, double dev, double z, String severity, boolean isNew) {
        return new Found(new AnomalyDetector.Anomaly(metric, day, kind, actual, expected, expected - 1, expected + 1, dev, z, severity), isNew, 0.5, false);
    }

    @Test
    void aDropReadsWithItsSignAndMoneyInWholeUnitsFromAThousand() {
        AnomalySectionBuilder sections = AnomalySectionBuilder.of(Settings.load(Settings.DEFAULT_FILE, Map.of(), Map.of()));
        // 9,000 against 60,000: (9,000 - 60,000) / 60,000 = -85 %; money of 1,000 or more is written in whole units
        Found drop = found("net_revenue", FRI, "drop", 9000, 60000, -85, -9.1234, "Critical", true);
        Found orders = found("orders", FRI.minusDays(1), "drop", 120, 400, -70, -14.0, "High", true);
        assertThat(sections.headline(List.of(orders, drop), "£")).isEqualTo("Critical anomaly: net revenue on 2026-10-30 was £9,000 against an expected £60,000"
                + " (-85.0%, robust z -9.12); 1 more new Critical/High anomalies in the last 7 days.");
        assertThat(AnomalySectionBuilder.sentence(orders.anomaly(), "£")).isEqualTo("orders on 2026-10-29 was 120 against an expected 400 (-70.0%, robust z -14.0)");
    }

    @Test
    void theListsAreLatestFirstTheShopsMetricsBeforeItsCategoriesOneTablePerUnit() {
        List<Found> rows = List.of(
                found("category:Toys", FRI, "spike", 500, 300, 66.7, 8, "Critical", false),
                found("net_revenue", FRI.minusDays(7), "spike", 2000, 1000, 100, 20, "Critical", false),
                found("category:Books", FRI, "spike", 150, 100, 50, 5.5, "High", false),
                found("net_revenue", FRI, "spike", 1500, 1000, 50, 6, "High", false),
                found("all", FRI.minusDays(2), "data_gap", 0, 12, -100, Double.NaN, "Medium", false),
                found("orders", FRI, "spike", 30, 10, 200, 6.3246, "High", true));
        List<Table> tables = AnomalySectionBuilder.tables("t", AnomalySectionBuilder.latestFirst(rows));
        assertThat(tables).extracting(Table::name).containsExactly("t_revenue", "t_orders");
        Table money = tables.get(0), counts = tables.get(1);
        assertThat(money.columns().get(money.column("actual")).kind()).isEqualTo(Kind.MONEY);
        assertThat(counts.columns().get(counts.column("actual")).kind()).isEqualTo(Kind.COUNT);
        // Friday: the Critical one first, then the High ones, net revenue before a category; then the week before
        assertThat(money.rows()).extracting(r -> r.get(0) + " " + r.get(2) + " " + r.get(4)).containsExactly(
                "2026-10-30 Toys revenue Critical", "2026-10-30 Net revenue High", "2026-10-30 Books revenue High", "2026-10-23 Net revenue Critical");
        // z at the CSV's two decimals; a data gap has no range, deviation, z or forest score
        assertThat(counts.rows()).extracting(r -> r.get(0) + " " + r.get(1) + " " + r.get(2) + " " + r.get(3) + " " + r.get(counts.column("lower_bound"))
                        + " " + r.get(counts.column("robust_z")) + " " + r.get(counts.column("iforest_score")) + " " + r.get(counts.column("is_new")))
                .containsExactly("2026-10-30 Fri Orders spike 9.0 6.32 0.5 yes", "2026-10-28 Wed All data no orders: probable data gap null null null no");
        assertThat(money.csv()).isEqualTo("data/anomalies.csv");
        assertThat(AnomalySectionBuilder.tables("t", List.of())).isEmpty();
    }
}
