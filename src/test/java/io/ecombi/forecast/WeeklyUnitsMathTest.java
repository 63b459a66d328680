package io.ecombi.forecast;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The weekly units forecast's math on small series, answers worked out by hand in the comments. */
class WeeklyUnitsMathTest {
    static final LocalDate FIRST_WEEK_END = LocalDate.of(2026, 1, 4);   // a Sunday: week i ends 4 Jan + 7i
    static final List<String> ALL = List.of("same-week-last-year", "holt-winters", "lag-regression");

    @Test
    void theNaiveRepeatsLastWeekAndItsBandsComeFromItsBacktestErrorsPerWeekAhead() {
        double[] y = {10, 12, 11, 13, 15, 14, 16, 20, 18, 17, 19, 21, 22, 20, 25, 24, 23};   // 17 weeks
        // horizon 2, 3 origins, 12 weeks of history at least: origins after week 13, 14, 15 (k = min(3, 17 - 2 - 12 + 1))
        Backtest.Outcome o = new WeeklyUnits(2, 3, 12, 4, 156, List.of("naive")).run("Toys", y, FIRST_WEEK_END);
        assertThat(o.origins()).isEqualTo(3);
        assertThat(o.published()).isEqualTo(WeeklyUnits.NAIVE);
        assertThat(o.beatNaive()).isFalse();
        // origin 13 forecasts y[12] = 22 for weeks 13, 14 (actual 20, 25): errors -2, +3
        // origin 14 forecasts 20 (actual 25, 24): +5, +4; origin 15 forecasts 25 (actual 24, 23): -1, -2
        Backtest.Score naive = o.score(WeeklyUnits.NAIVE);
        assertThat(naive.points()).isEqualTo(6);
        assertThat(naive.mae()).isCloseTo(17.0 / 6, within(1e-9));
        assertThat(naive.mase()).isCloseTo(1, within(1e-9));
        List<Backtest.Point> pts = o.points().get(WeeklyUnits.NAIVE);
        assertThat(pts).extracting(p -> p.actual() - p.forecast()).containsExactly(-2.0, 3.0, 5.0, 4.0, -1.0, -2.0);
        // the point of origin 13, step 1 is week 13, which ends 4 Jan + 91 days
        assertThat(pts.get(0).day()).isEqualTo(LocalDate.of(2026, 4, 5));
        // the forecast: last week's 23 for both weeks, weeks ending 4 Jan + 7 x 17 and 18
        assertThat(o.forecast()).extracting(Backtest.Band::forecast).containsExactly(23.0, 23.0);
        assertThat(o.forecast()).extracting(Backtest.Band::day).containsExactly(LocalDate.of(2026, 5, 3), LocalDate.of(2026, 5, 10));
        // week 1 ahead: errors -2, 5, -1 sorted -2, -1, 5; 10th percentile at rank 0.2: -2 + 0.2 x 1 = -1.8,
        // 90th at rank 1.8: -1 + 0.8 x 6 = 3.8: the 80 % band is 21.2 .. 26.8
        Backtest.Band w1 = o.forecast().get(0);
        assertThat(w1.lo80()).isCloseTo(21.2, within(1e-9));
        assertThat(w1.hi80()).isCloseTo(26.8, within(1e-9));
        for (double inside : new double[]{21.2, 22, 25, 26.8}) assertThat(inside).isBetween(w1.lo80(), w1.hi80());
        for (double outside : new double[]{21, 27}) assertThat(outside < w1.lo80() || outside > w1.hi80()).as("%s outside", outside).isTrue();
        // 2.5th percentile at rank 0.05: -2 + 0.05 = -1.95; 97.5th at rank 1.95: -1 + 0.95 x 6 = 4.7
        assertThat(w1.lo95()).isCloseTo(21.05, within(1e-9));
        assertThat(w1.hi95()).isCloseTo(27.7, within(1e-9));
        // week 2 ahead: errors 3, 4, -2 sorted -2, 3, 4: -2 + 0.2 x 5 = -1 and 3 + 0.8 x 1 = 3.8: 22 .. 26.8
        assertThat(o.forecast().get(1).lo80()).isCloseTo(22, within(1e-9));
        assertThat(o.forecast().get(1).hi80()).isCloseTo(26.8, within(1e-9));
        // coverage, each origin against the band of the other two (10th .. 90th percentile of two errors a < b:
        // a + 0.1 (b - a) .. a + 0.9 (b - a)): week 1: -2 vs (-1, 5) -> -0.4 .. 4.4 out; 5 vs (-2, -1) out;
        // -1 vs (-2, 5) -> -1.3 .. 4.3 in. week 2: 3 vs (-2, 4) -> -1.4 .. 3.4 in; 4 vs (-2, 3) -> .. 2.5 out;
        // -2 vs (3, 4) out. 2 of 6: a band this far off is what the report must say
        assertThat(naive.coverage80Pct()).isCloseTo(100.0 * 2 / 6, within(1e-9));
    }

    @Test
    void theCandidatesFollowTheHistoryEveryOriginHas() {
        WeeklyUnits w = new WeeklyUnits(4, 26, 12, 4, 156, ALL);
        // 60 weeks: the first of 26 origins has 60 - 4 - 26 + 1 = 31 weeks: no year, Holt without a season
        assertThat(w.models(60)).extracting(ForecastModel::name).containsExactly(WeeklyUnits.NAIVE, WeeklyUnits.HOLT, LagRegression.NAME);
        // 82 weeks: 53 at the first origin: the same week last year exists, two years do not
        assertThat(w.models(82)).extracting(ForecastModel::name)
                .containsExactly(WeeklyUnits.NAIVE, WeeklyUnits.SAME_WEEK_LAST_YEAR, WeeklyUnits.HOLT, LagRegression.NAME);
        // 132 weeks: 103; 133 weeks: 104 = two years at every origin, so Holt-Winters with a yearly season
        assertThat(w.models(132)).extracting(ForecastModel::name).contains(WeeklyUnits.HOLT);
        assertThat(w.models(133)).extracting(ForecastModel::name)
                .containsExactly(WeeklyUnits.NAIVE, WeeklyUnits.SAME_WEEK_LAST_YEAR, WeeklyUnits.HOLT_WINTERS, LagRegression.NAME);
        // a short series: fewer origins, so the first one has 12 weeks (20 - 4 - 5 + 1 with k = 20 - 4 - 12 + 1 = 5)
        assertThat(w.shortestHistory(20)).isEqualTo(12);
    }

    @Test
    void sameWeekLastYearAndTheYearlyHoltWintersLearnAPureYearlyPattern() {
        // three years of 100 + a yearly pattern (week w of the year: 10 x (w mod 13)), no noise, no trend
        double[] y = new double[156];
        for (int t = 0; t < y.length; t++) y[t] = 100 + 10 * ((t % 52) % 13);
        double[] expected = {100 + 10 * (0 % 13), 100 + 10 * (1 % 13), 100 + 10 * (2 % 13), 100 + 10 * (3 % 13)};   // weeks 156..159 = weeks 0..3 of a year
        assertThat(new SeasonalNaive(52, WeeklyUnits.SAME_WEEK_LAST_YEAR).forecast(y, FIRST_WEEK_END, 4)).containsExactly(expected);
        double[] hw = new HoltWinters(52, 0.95, 156, 104, WeeklyUnits.HOLT_WINTERS).forecast(y, FIRST_WEEK_END, 4);
        for (int h = 0; h < 4; h++) assertThat(hw[h]).as("week %d", h + 1).isCloseTo(expected[h], within(1.0));
    }

    @Test
    void holtAndTheWeeklyLagRegressionFollowALinearTrend() {
        // 40 weeks of 50 + 3t: the next weeks are 170, 173, 176, 179
        double[] y = new double[40];
        for (int t = 0; t < y.length; t++) y[t] = 50 + 3 * t;
        double[] lr = new LagRegression(4, 156, 1, 7).forecast(y, FIRST_WEEK_END, 4);
        for (int h = 0; h < 4; h++) assertThat(lr[h]).as("week %d", h + 1).isCloseTo(170 + 3 * h, within(0.5));
        // Holt's damped trend (phi 0.95) follows the line upward but bends it: every week ahead above the last
        // week (167) and below the undamped line, each above the one before
        double[] holt = HoltWinters.holt(0.95, 156, 8, WeeklyUnits.HOLT).forecast(y, FIRST_WEEK_END, 4);
        for (int h = 0; h < 4; h++) {
            assertThat(holt[h]).as("week %d", h + 1).isGreaterThan(h == 0 ? 167 : holt[h - 1]).isLessThanOrEqualTo(170 + 3 * h);
        }
    }
}
