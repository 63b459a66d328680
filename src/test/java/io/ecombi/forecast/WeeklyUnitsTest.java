package io.ecombi.forecast;

import io.ecombi.EcombiRuntime;
import io.ecombi.run.PipelineRun;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestRuntime;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The weekly series of the units forecast (sql/forecast/weekly_category_units.sql) in a whole run on
 * src/test/resources/fixtures/weekly_units_fixture.sql, as of Wednesday 2026-06-24, top 2 categories.
 * Expected values worked out by hand in the fixture's and these comments.
 */
class WeeklyUnitsTest {
    static final LocalDate AS_OF = LocalDate.of(2026, 6, 24);
    @TempDir
    static Path work;
    static EcombiRuntime rt;
    static PipelineRun run;

    @BeforeAll
    static void runOnFixture() throws Exception {
        rt = TestRuntime.startOnFixture(work, "weekly_units_fixture.sql", Map.of("ecombi.forecast.weekly.top-categories", "2"));
        run = TestRuntime.succeededRun(rt, AS_OF);
    }

    @AfterAll
    static void stop() {
        if (rt != null) rt.close();
    }

    @SuppressWarnings("unchecked")
    static List<WeeklyUnitsStep.Category> categories() {
        return (List<WeeklyUnitsStep.Category>) run.get(WeeklyUnitsStep.OUTCOMES_KEY);
    }

    @Test
    void theTopCategoriesAreByTrailingTwelveMonthNetRevenueAmongRealCategories() {
        // Lamp (no category, 5,000) is not a category; Old (10,000) sold only in May 2025; Gamma (100) is third
        assertThat(categories()).extracting(WeeklyUnitsStep.Category::category).containsExactly("Alpha", "Beta");
        assertThat(categories()).extracting(WeeklyUnitsStep.Category::trailingNetRevenue).containsExactly(900.0, 250.0);
        List<Map<String, Object>> rows = Sql.rows(rt.database().dataSource(),
                "SELECT category, rank, count(*) AS weeks FROM bi.weekly_unit_forecasts WHERE run_id = ? GROUP BY category, rank ORDER BY rank", run.id());
        assertThat(rows).extracting(r -> r.get("category") + " " + r.get("rank") + " " + r.get("weeks")).containsExactly("Alpha 1 4", "Beta 2 4");
    }

    @Test
    void weeksEndOnTheAsOfWeekdayAndThePartialFirstWeekIsLeftOut() {
        WeeklyUnitsStep.Category alpha = categories().get(0), beta = categories().get(1);
        // the first sale (Sat 3 May 2025) is in the week Thu 1 .. Wed 7 May, not covered whole: the first week ends
        // Wed 14 May 2025, the last on the as-of date; 59 weeks
        assertThat(alpha.weekEnds()).hasSize(59);
        assertThat(alpha.weekEnds().get(0)).isEqualTo(LocalDate.of(2025, 5, 14));
        assertThat(alpha.weekEnds().get(58)).isEqualTo(AS_OF);
        // Alpha: 7 on Thu 8 May 2025 (the first week's first day); 4 on Wed 17 Jun (the week to 17 Jun); 2 + 3 in
        // the last week (Thu 18 and Wed 24 Jun). The 50 of the partial week and the cancelled 99 are in no week.
        double[] u = alpha.units();
        assertThat(u[0]).isEqualTo(7);
        assertThat(u[57]).isEqualTo(4);
        assertThat(u[58]).isEqualTo(5);
        assertThat(Arrays.stream(u).sum()).isEqualTo(16);
        // Beta: 1 in the week to Wed 10 Jun; 6 sold and 2 returned in the last week: 4 (a return counts in its week)
        assertThat(beta.units()[56]).isEqualTo(1);
        assertThat(beta.units()[58]).isEqualTo(4);
        assertThat(Arrays.stream(beta.units()).sum()).isEqualTo(5);
    }

    @Test
    void theForecastWeeksFollowTheAsOfDateAndEveryCandidateIsBacktested() throws Exception {
        List<Map<String, Object>> rows = Sql.rows(rt.database().dataSource(),
                "SELECT week_start, week_end FROM bi.weekly_unit_forecasts WHERE run_id = ? AND category = 'Alpha' ORDER BY step", run.id());
        assertThat(rows).extracting(r -> r.get("week_start") + ".." + r.get("week_end")).containsExactly(
                "2026-06-25..2026-07-01", "2026-07-02..2026-07-08", "2026-07-09..2026-07-15", "2026-07-16..2026-07-22");
        // 59 weeks: the first of 26 origins has 59 - 4 - 26 + 1 = 30 weeks, so no same week last year, Holt not Holt-Winters
        assertThat(Sql.rows(rt.database().dataSource(), "SELECT model FROM bi.weekly_unit_backtests WHERE run_id = ? AND category = 'Alpha' ORDER BY model", run.id()))
                .extracting(r -> r.get("model")).containsExactlyInAnyOrder(WeeklyUnits.NAIVE, WeeklyUnits.HOLT, LagRegression.NAME);
        Object published = Sql.one(rt.database().dataSource(),
                "SELECT count(*) FROM bi.weekly_unit_backtests WHERE run_id = ? AND published AND (mase < 1 OR model = ?)", run.id(), WeeklyUnits.NAIVE);
        assertThat(published).isEqualTo(2L);   // one per category: a model that beat the naive, or the naive
        assertThat(Files.readAllLines(work.resolve("reports/default/data/forecast_weekly_units.csv"))).hasSize(1 + 8);
        assertThat(work.resolve("reports/default/visualizations/forecast_weekly_units.png")).isRegularFile();
        // the section's result: weeks end on Wednesday (the as-of weekday); per category its 4 weeks ahead, rank order
        WeeklyUnitsSection w = (WeeklyUnitsSection) run.get(WeeklyUnitsStep.SECTION_KEY);
        assertThat(w.categorised()).isTrue();
        assertThat(w.weekday()).isEqualTo("Wednesday");
        assertThat(w.lastWeekStart() + " to " + w.lastWeekEnd()).isEqualTo("2026-06-18 to 2026-06-24");
        assertThat(w.forecast().rows()).extracting(r -> r.get(0) + " " + r.get(1)).containsExactly(
                "Alpha 2026-07-01", "Alpha 2026-07-08", "Alpha 2026-07-15", "Alpha 2026-07-22",
                "Beta 2026-07-01", "Beta 2026-07-08", "Beta 2026-07-15", "Beta 2026-07-22");
        assertThat(w.backtest().rows()).extracting(r -> r.get(0)).containsExactly("Alpha", "Beta");
        assertThat(w.chart().file()).isEqualTo(run.dir().resolve("visualizations/forecast_weekly_units.png"));
        Element section = Jsoup.parse(Files.readString(run.dir().resolve("index.html"))).selectFirst("#forecast");
        assertThat(section.text()).contains("Weekly units of the top categories").contains("2026-06-18 to 2026-06-24");
        assertThat(section.select("img")).extracting(i -> i.attr("src")).contains("visualizations/forecast_weekly_units.png")
                .noneMatch(src -> src.startsWith("data:"));
    }
}
