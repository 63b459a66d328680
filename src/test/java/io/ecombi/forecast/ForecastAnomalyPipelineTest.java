package io.ecombi.forecast;

import io.ecombi.EcombiRuntime;
import io.ecombi.anomaly.AnomalyStep;
import io.ecombi.run.PipelineRun;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.apache.camel.Exchange;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Forecast and anomaly steps inside whole runs on src/test/resources/fixtures/forecast_fixture.sql
 * (weekdays 100, Sundays 50, Saturdays closed; a data gap on Wed 2026-06-17, a spike of 300 on Wed
 * 2026-06-24), as of Sunday 2026-06-28. Expected values worked out by hand in the comments.
 */
class ForecastAnomalyPipelineTest {
    static final LocalDate AS_OF = LocalDate.of(2026, 6, 28);
    @TempDir
    static Path work;
    static EcombiRuntime rt;
    static PipelineRun first;
    static PipelineRun second;

    @BeforeAll
    static void twoRuns() throws Exception {
        Map<String, String> o = TestRuntime.overrides(TestDatabase.newDatabase(), work);
        o.put("ecombi.forecast.models", "seasonal-naive");   // the benchmark alone: its numbers are known by hand
        o.put("ecombi.forecast.weekly.models", "naive");
        rt = TestRuntime.start(o);
        Sql.loadFixture(rt.database().dataSource(), "forecast_fixture.sql");
        Exchange a = rt.runOnce("test", AS_OF);
        assertThat(a.getException()).isNull();
        first = EcombiRuntime.runOf(a);
        Exchange b = rt.runOnce("test", AS_OF);
        assertThat(b.getException()).isNull();
        second = EcombiRuntime.runOf(b);
    }

    @AfterAll
    static void stop() {
        if (rt != null) rt.close();
    }

    @Test
    void theSeasonalNaiveForecastRepeatsLastWeekAndSaturdayIsClosed() {
        List<Map<String, Object>> rows = Sql.rows(rt.database().dataSource(),
                "SELECT day, step, model, forecast, lo80, hi80, lo95, hi95, closed_day FROM bi.forecasts WHERE run_id = ? AND series = 'net_revenue' ORDER BY day", first.id());
        // last week Mon 22 .. Sun 28: 100, 100, 300 (the spike), 100, 100, closed, 50
        assertThat(rows).extracting(r -> r.get("day").toString()).containsExactly(
                "2026-06-29", "2026-06-30", "2026-07-01", "2026-07-02", "2026-07-03", "2026-07-04", "2026-07-05");
        assertThat(rows).extracting(r -> (Double) r.get("forecast")).containsExactly(100.0, 100.0, 300.0, 100.0, 100.0, 0.0, 50.0);
        assertThat(rows).extracting(r -> (Boolean) r.get("closed_day")).containsExactly(false, false, false, false, false, true, false);
        assertThat(rows).allSatisfy(r -> assertThat(r.get("model")).isEqualTo(SeasonalNaive.NAME));
        for (Map<String, Object> r : rows) {
            double f = (Double) r.get("forecast");
            assertThat((Double) r.get("lo95")).isLessThanOrEqualTo((Double) r.get("lo80"));
            assertThat((Double) r.get("lo80")).isLessThanOrEqualTo(f);
            assertThat((Double) r.get("hi80")).isGreaterThanOrEqualTo(f).isLessThanOrEqualTo((Double) r.get("hi95"));
        }
        List<Map<String, Object>> orders = Sql.rows(rt.database().dataSource(),
                "SELECT forecast FROM bi.forecasts WHERE run_id = ? AND series = 'orders' ORDER BY day", first.id());
        assertThat(orders).extracting(r -> (Double) r.get("forecast")).containsExactly(10.0, 10.0, 30.0, 10.0, 10.0, 0.0, 5.0);
    }

    @Test
    void theBacktestIsRecordedAndPublishesTheNaiveWhenNothingBeatIt() throws Exception {
        Map<String, Object> b = Sql.rows(rt.database().dataSource(),
                "SELECT origins, horizon, points, mase, published FROM bi.forecast_backtests WHERE run_id = ? AND series = 'net_revenue'", first.id()).get(0);
        // 56 origins x 7 days = 392 points, less the 56 Saturdays (closed, left out)
        assertThat(b.get("origins")).isEqualTo(56);
        assertThat(b.get("points")).isEqualTo(392 - 56);
        assertThat((Double) b.get("mase")).isCloseTo(1, within(1e-9));
        assertThat(b.get("published")).isEqualTo(true);
        List<String> csv = Files.readAllLines(work.resolve("reports/default/data/forecast_backtest.csv"));
        assertThat(csv.get(0)).startsWith("series,model,origins,horizon,points");
        assertThat(csv).hasSize(3);
        assertThat(Files.readAllLines(work.resolve("reports/default/data/forecast.csv"))).hasSize(1 + 14);
        assertThat(work.resolve("reports/default/visualizations/forecast_net_revenue.png")).isRegularFile();
        assertThat(work.resolve("reports/default/visualizations/decomposition_net_revenue.png")).isRegularFile();
        String html = Files.readString(work.resolve("reports/default/index.html"));
        assertThat(html).contains("<h3>What to expect next week</h3>").contains("no model beat the seasonal naive");
        // the section's result: the next days as the table shows them, Saturday closed (0, no band), the chart linked
        ForecastSection f = (ForecastSection) first.get(ForecastStep.SECTION_KEY);
        assertThat(f.series()).extracting(ForecastSection.Series::series).containsExactly("net_revenue", "orders");
        ForecastSection.Series revenue = f.series().get(0);
        assertThat(revenue.next().rows()).extracting(r -> r.get(1) + " " + r.get(2))
                .containsExactly("Mon 100.0", "Tue 100.0", "Wed 300.0", "Thu 100.0", "Fri 100.0", "Sat 0.0", "Sun 50.0");
        assertThat(revenue.next().rows().get(5).subList(3, 7)).containsOnlyNulls();
        assertThat(revenue.closedDays()).containsExactly("Sat 2026-07-04");
        assertThat(revenue.beatNaive()).isFalse();
        assertThat(revenue.mase()).isEqualTo("1.0");
        assertThat(revenue.chart().file()).isEqualTo(first.dir().resolve("visualizations/forecast_net_revenue.png"));
        // on the page: money in the run's currency (no file loaded: the USD default), cents as no amount reaches 1,000
        org.jsoup.nodes.Element section = Jsoup.parse(Files.readString(first.dir().resolve("index.html"))).selectFirst("#forecast");
        assertThat(section.select("table").first().select("td").eachText()).startsWith("2026-06-29", "Mon", "$100.00");
        assertThat(section.text()).contains("Closed: Sat 2026-07-04 (no sale on this weekday in the last 8 weeks): forecast 0.")
                .contains("no model beat the seasonal naive forecast on this shop's history");
        assertThat(section.select("details summary")).extracting(org.jsoup.nodes.Element::text)
                .contains("How the model was chosen: the backtest of every model on daily net revenue");
        assertThat(section.select("img")).extracting(i -> i.attr("src"))
                .contains("visualizations/forecast_net_revenue.png", "visualizations/decomposition_net_revenue.png");
    }

    @Test
    void theSpikeIsCriticalInRevenueHighInOrdersAndTheEmptyWednesdayIsADataGap() {
        List<Map<String, Object>> rows = Sql.rows(rt.database().dataSource(),
                "SELECT metric, day, kind, severity, actual, expected, deviation_pct, robust_z, iforest_score, iforest_agrees, first_run_id, last_run_id FROM bi.anomalies ORDER BY day, metric");
        assertThat(rows).extracting(r -> r.get("day") + " " + r.get("metric") + " " + r.get("kind") + " " + r.get("severity")).containsExactly(
                "2026-06-17 all data_gap Medium",
                "2026-06-24 net_revenue spike Critical",
                "2026-06-24 orders spike High");
        Map<String, Object> revenue = rows.get(1);
        // the previous 8 Wednesdays (the gap left out: 7 of them) are all 100: expected 100; every day of the
        // window equals its weekday's median, so the spread is the 5 % floor = 5: z = (300 - 100) / 5 = 40
        assertThat((Double) revenue.get("expected")).isEqualTo(100);
        assertThat((Double) revenue.get("deviation_pct")).isCloseTo(200, within(1e-9));
        assertThat((Double) revenue.get("robust_z")).isCloseTo(40, within(1e-9));
        // orders: expected 10, spread the Poisson sqrt(10) = 3.162: z = 20 / 3.162 = 6.32 < 7, so High, not Critical
        assertThat((Double) rows.get(2).get("robust_z")).isCloseTo(20 / Math.sqrt(10), within(1e-9));
        // the only day off its weekday's rhythm is the spike: the Isolation Forest isolates it too
        assertThat(revenue.get("iforest_agrees")).isEqualTo(true);
        assertThat(rows.get(0).get("iforest_score")).isNull();   // a data gap has no metrics to score
        // found by the first run, seen again by the second
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.get("first_run_id")).isEqualTo(first.id());
            assertThat(r.get("last_run_id")).isEqualTo(second.id());
        });
    }

    @Test
    void aNewCriticalAnomalyLeadsOnceThenStaysInHistory() throws Exception {
        // the first run raises both spikes of Wed 24 Jun: net revenue Critical (+200 %, z 40) and orders High (30 against
        // 10: +200 %, z 20 / sqrt(10) = 6.32 at the CSV's two decimals); the headline names the most severe and counts the other
        assertThat((String) first.get(AnomalyStep.HEADLINE_KEY)).isEqualTo("Critical anomaly: net revenue on 2026-06-24 was $300.00 against an expected"
                + " $100.00 (+200.0%, robust z +40.0); 1 more new Critical/High anomalies in the last 7 days.");
        io.ecombi.anomaly.AnomalySection raised = (io.ecombi.anomaly.AnomalySection) first.get(AnomalyStep.ANOMALIES_KEY);
        assertThat(raised.alerts()).extracting(f -> f.severity() + ": " + f.text()).containsExactly(
                "Critical: Net revenue on 2026-06-24 was $300.00 against an expected $100.00 (+200.0%, robust z +40.0), new in this run.",
                "High: Orders on 2026-06-24 was 30 against an expected 10 (+200.0%, robust z +6.32), new in this run.");
        assertThat(raised.allClear()).isNull();
        org.jsoup.nodes.Document firstPage = org.jsoup.Jsoup.parse(Files.readString(first.dir().resolve("index.html")));
        assertThat(firstPage.select("#anomalies p.finding.critical").text()).startsWith("Critical: Net revenue on 2026-06-24 was $300.00");
        // the second run finds them again but raises nothing
        assertThat(second.get(AnomalyStep.HEADLINE_KEY)).isNull();
        io.ecombi.anomaly.AnomalySection seen = (io.ecombi.anomaly.AnomalySection) second.get(AnomalyStep.ANOMALIES_KEY);
        assertThat(seen.alerts()).isEmpty();
        assertThat(seen.allClear()).isEqualTo("No new Critical or High anomaly in the last 7 days (to 2026-06-28).");
        assertThat(seen.earlier()).isEmpty();   // all three are in the last 28 days
        // on the page, latest first, one table per unit. Net revenue: expected 100, spread 5, so the expected range is
        // 100 -/+ 3.5 x 5 = 82.50 .. 117.50. Orders: spread sqrt(10), so 10 -/+ 11.07 = 0 .. 21. The gap: 0 orders against 10
        org.jsoup.nodes.Document page = org.jsoup.Jsoup.parse(Files.readString(work.resolve("reports/default/index.html")));
        assertThat(page.select("#anomalies > p").first().text()).isEqualTo("No new Critical or High anomaly in the last 7 days (to 2026-06-28).");
        org.jsoup.select.Elements tables = page.select("#anomalies table");
        assertThat(tables).hasSize(2);
        // the Isolation Forest's score (column 12) is the forest's, not worked out by hand: left out of the comparison
        java.util.function.Function<org.jsoup.nodes.Element, String> cells = tr -> {
            List<String> c = new java.util.ArrayList<>(tr.select("td").eachText());
            c.remove(11);
            return String.join(" | ", c);
        };
        assertThat(tables.get(0).select("tbody tr")).extracting(cells).containsExactly(
                "2026-06-24 | Wed | Net revenue | spike | Critical | $300.00 | $100.00 | $82.50 | $117.50 | 200.0% | 40 | no | –");
        assertThat(tables.get(1).select("tbody tr")).extracting(cells).containsExactly(
                "2026-06-24 | Wed | Orders | spike | High | 30 | 10 | 0 | 21 | 200.0% | 6.32 | no | –",
                "2026-06-17 | Wed | All data | no orders: probable data gap | Medium | 0 | 10 | – | – | – | – | no | –");   // no calendar event (issue 33)
        String html = Files.readString(work.resolve("reports/default/index.html"));   // the second run's page
        assertThat(html).contains("<h2>Did something break?</h2>").contains("probable data gap");
        List<String> csv = Files.readAllLines(work.resolve("reports/default/data/anomalies.csv"));
        assertThat(csv.get(0)).isEqualTo("day,weekday,metric,kind,severity,actual,expected,lower_bound,upper_bound,deviation_pct,robust_z,iforest_score,iforest_agrees,is_new,expected_event");
        assertThat(csv).hasSize(4).allSatisfy(l -> assertThat(l).doesNotEndWith(",true,"));   // is_new, then no calendar event
    }

    @Test
    void weeklyUnitsOfToysRepeatLastWeekWithBandsFromTheBacktestByHand() throws Exception {
        // weeks end on Sundays (the as-of weekday); 2 Feb .. 28 Jun is 21 whole weeks of 5 x 10 + 5 = 55 units,
        // except the week of the gap (15 .. 21 Jun, Wednesday 0): 45, and the spike's (22 .. 28 Jun, Wednesday 30): 75.
        // 21 weeks, horizon 4, at least 12 of history: 6 origins (after weeks 12 .. 17). The naive (last week):
        // origins 12..15 see 55 and meet 55s: errors 0; origin 16 meets 55, 55, 55, 45: 0, 0, 0, -10; origin 17
        // meets 55, 55, 45, 75: 0, 0, -10, +20. So week 1 and 2 ahead: errors all 0; week 3: -10 and five 0s;
        // week 4: -10, +20 and four 0s.
        List<Map<String, Object>> rows = Sql.rows(rt.database().dataSource(),
                "SELECT category, rank, week_start, week_end, step, model, forecast, lo80, hi80, lo95, hi95 FROM bi.weekly_unit_forecasts WHERE run_id = ? ORDER BY step", first.id());
        assertThat(rows).extracting(r -> r.get("week_start") + ".." + r.get("week_end")).containsExactly(
                "2026-06-29..2026-07-05", "2026-07-06..2026-07-12", "2026-07-13..2026-07-19", "2026-07-20..2026-07-26");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.get("category")).isEqualTo("Toys");
            assertThat(r.get("model")).isEqualTo(WeeklyUnits.NAIVE);
            assertThat((Double) r.get("forecast")).isEqualTo(75.0);
        });
        // week 1: 75 .. 75. week 3: sorted -10, 0, 0, 0, 0, 0: 10th percentile at rank 0.5 = -5, 90th = 0, 2.5th at
        // rank 0.125 = -8.75: 70 .. 75 and 66.25 .. 75. week 4: sorted -10, 0, 0, 0, 0, 20: -5 and (rank 4.5) 10,
        // 97.5th at rank 4.875 = 17.5: 70 .. 85 and 66.25 .. 92.5
        assertThat(List.of(rows.get(0).get("lo80"), rows.get(0).get("hi95"))).containsExactly(75.0, 75.0);
        assertThat((Double) rows.get(2).get("lo80")).isCloseTo(70, within(1e-9));
        assertThat((Double) rows.get(2).get("hi80")).isCloseTo(75, within(1e-9));
        assertThat((Double) rows.get(2).get("lo95")).isCloseTo(66.25, within(1e-9));
        assertThat((Double) rows.get(3).get("hi80")).isCloseTo(85, within(1e-9));
        assertThat((Double) rows.get(3).get("hi95")).isCloseTo(92.5, within(1e-9));
        Map<String, Object> b = Sql.rows(rt.database().dataSource(),
                "SELECT origins, horizon, points, mae, mase, coverage80_pct, coverage95_pct, published FROM bi.weekly_unit_backtests WHERE run_id = ?", first.id()).get(0);
        assertThat(b.get("origins")).isEqualTo(6);
        assertThat(b.get("points")).isEqualTo(24);
        assertThat((Double) b.get("mae")).isCloseTo(40.0 / 24, within(1e-9));
        assertThat((Double) b.get("mase")).isCloseTo(1, within(1e-9));
        // coverage, each origin against the other five: weeks 1, 2 all in (12); week 3: the five 0s are inside
        // -6 .. 0 (from -10 and four 0s), the -10 is not (the others are all 0): 5; week 4: the four 0s inside
        // -6 .. 12, the -10 outside 0 .. 16 (others 0, 0, 0, 0, 20), the +20 outside -6 .. 0: 4. 21 of 24
        assertThat((Double) b.get("coverage80_pct")).isCloseTo(87.5, within(1e-9));
        WeeklyUnitsSection w = (WeeklyUnitsSection) first.get(WeeklyUnitsStep.SECTION_KEY);
        assertThat(w.weekday()).isEqualTo("Sunday");
        assertThat(w.backtest().rows()).extracting(r -> r.get(0) + ": " + r.get(1)).containsExactly("Toys: naive (last week) — no model beat it");
        assertThat(w.backtest().rows().get(0).get(w.backtest().column("coverage80_pct"))).isEqualTo(87.5);
        String section = Jsoup.parse(Files.readString(first.dir().resolve("index.html"))).select("#forecast").text();
        assertThat(section).contains("Weekly units of the top categories").contains("ending on the as-of weekday (Sunday)")
                .contains("naive (last week) — no model beat it").contains("87.5%");
    }

    @Test
    void theDataGapIsAWarningOfTheQualityGateWithTheSameDayAsTheAnomaly() throws Exception {
        List<Map<String, Object>> q = Sql.rows(rt.database().dataSource(),
                "SELECT severity, passed, offending_rows, sample::text AS sample FROM bi.quality_results WHERE run_id = ? AND check_name = 'data_gaps'", first.id());
        // Wednesday 17 Jun had no order; the 8 Wednesdays before it all had 10: a normal trading day, expected 10.
        // No Saturday is listed: none had an order in the 8 weeks before (closed, not a gap)
        assertThat(q).hasSize(1);
        assertThat(q.get(0).get("severity")).isEqualTo("warn");
        assertThat(q.get(0).get("passed")).isEqualTo(false);
        assertThat(q.get(0).get("offending_rows")).isEqualTo(1L);
        assertThat((String) q.get(0).get("sample")).contains("\"day\": \"2026-06-17\"").contains("\"expected_orders\": 10.0");
        assertThat((Double) Sql.one(rt.database().dataSource(), "SELECT expected FROM bi.anomalies WHERE kind = 'data_gap' AND day = DATE '2026-06-17'")).isEqualTo(10.0);
        String html = Files.readString(work.resolve("reports/default/index.html"));
        assertThat(html.substring(html.indexOf("<h3>Data quality checks</h3>"))).contains("data_gaps").contains("probable data gaps");
    }
}
