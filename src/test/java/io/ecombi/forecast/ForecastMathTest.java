package io.ecombi.forecast;

import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The forecast math on small series whose answers are worked out by hand in the comments. */
class ForecastMathTest {
    // a Monday, so index i is weekday (i mod 7) + 1
    static final LocalDate MONDAY = LocalDate.of(2026, 1, 5);

    @Test
    void seasonalNaiveRepeatsTheLastWeek() {
        double[] y = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
        // the last week is 8..14; day 15 is the weekday of day 8, day 22 the weekday of day 8 again
        assertThat(new SeasonalNaive(7).forecast(y, MONDAY, 9)).containsExactly(8, 9, 10, 11, 12, 13, 14, 8, 9);
    }

    /** Mon-Fri and Sun sell 100 + 7 x week, Saturday is closed (0 sales, 0 orders). */
    static double[][] growingShopClosedOnSaturdays(int weeks) {
        double[] y = new double[7 * weeks], orders = new double[7 * weeks];
        for (int i = 0; i < y.length; i++) {
            boolean saturday = MONDAY.plusDays(i).getDayOfWeek() == DayOfWeek.SATURDAY;
            y[i] = saturday ? 0 : 100 + 7 * (i / 7);
            orders[i] = saturday ? 0 : 10;
        }
        return new double[][]{y, orders};
    }

    /** A candidate that knows the shop grows by 7 a week: last week + 7. */
    static final ForecastModel DRIFT = new ForecastModel() {
        @Override public String name() { return "last week + 7"; }
        @Override public double[] forecast(double[] h, LocalDate first, int horizon) {
            double[] f = new SeasonalNaive(7).forecast(h, first, horizon);
            for (int i = 0; i < horizon; i++) f[i] += 7 * (1 + i / 7);
            return f;
        }
    };

    @Test
    void backtestScoresByHandAndPublishesOnlyAModelThatBeatsTheNaive() {
        double[][] s = growingShopClosedOnSaturdays(10);   // 70 days
        Backtest.Outcome o = new Backtest(List.of(new SeasonalNaive(7), DRIFT), 7, 14, 8).run("net_revenue", s[0], s[1], MONDAY);
        // 14 origins x 7 days = 98 points, 14 of them Saturdays (closed, left out): 84
        Backtest.Score naive = o.score(SeasonalNaive.NAME), drift = o.score("last week + 7");
        assertThat(o.origins()).isEqualTo(14);
        assertThat(naive.points()).isEqualTo(84);
        // every open day is 7 above the same weekday a week earlier: the naive is always 7 short
        assertThat(naive.mae()).isCloseTo(7, within(1e-9));
        assertThat(naive.mase()).isCloseTo(1, within(1e-9));
        assertThat(drift.mae()).isCloseTo(0, within(1e-9));
        assertThat(drift.mase()).isCloseTo(0, within(1e-9));
        assertThat(o.published()).isEqualTo("last week + 7");
        assertThat(o.beatNaive()).isTrue();
        // the future: days 70..76 = week 10 -> 170, Saturday closed -> 0
        assertThat(o.forecast()).extracting(Backtest.Band::forecast).containsExactly(170.0, 170.0, 170.0, 170.0, 170.0, 0.0, 170.0);
        assertThat(o.forecast().get(5).closed()).isTrue();
        assertThat(o.forecast().get(5).day().getDayOfWeek()).isEqualTo(DayOfWeek.SATURDAY);

        // without the drift candidate the naive is published: 7 short every day, so its errors are all +7 and
        // the band is the forecast + 7 (a band of width 0 that contains every backtest actual)
        Backtest.Outcome n = new Backtest(List.of(new SeasonalNaive(7)), 7, 14, 8).run("net_revenue", s[0], s[1], MONDAY);
        assertThat(n.published()).isEqualTo(SeasonalNaive.NAME);
        assertThat(n.beatNaive()).isFalse();
        Backtest.Band monday = n.forecast().get(0);
        assertThat(monday.forecast()).isEqualTo(163);   // last week's Monday (week 9: 100 + 63)
        assertThat(monday.lo80()).isEqualTo(170);
        assertThat(monday.hi95()).isEqualTo(170);
        assertThat(n.coverage80Pct()).isEqualTo(100);
    }

    @Test
    void aSeriesTooShortForTheBacktestIsRefusedWithItsLength() {
        double[][] s = growingShopClosedOnSaturdays(5);   // 35 days: 28 of history + 7 ahead + 1 more needed for two origins
        assertThatThrownBy(() -> new Backtest(List.of(new SeasonalNaive(7)), 7, 56, 8).run("orders", s[0], s[1], MONDAY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("series orders has 35 days").hasMessageContaining("at least 36");
    }

    @Test
    void mapeSkipsZeroActualsAndSmapeAndMaseFollowTheirDefinitions() {
        // points: (actual, forecast) = (100, 90), (50, 60), (0, 10), and a closed day that does not count
        List<Backtest.Point> pts = List.of(
                new Backtest.Point(1, 1, MONDAY, 100, 90, false),
                new Backtest.Point(2, 1, MONDAY, 50, 60, false),
                new Backtest.Point(3, 1, MONDAY, 0, 10, false),
                new Backtest.Point(3, 2, MONDAY, 0, 0, true));
        Backtest b = new Backtest(List.of(new SeasonalNaive(7)), 2, 3, 8);
        Backtest.Score s = b.score("x", pts, 5);
        // MAE (10 + 10 + 10) / 3 = 10; MAPE over the two non-zero actuals: (10% + 20%) / 2 = 15%
        // sMAPE: 2*10/190 = 10.526%, 2*10/110 = 18.182%, 2*10/10 = 200% -> mean 76.236%; MASE 10 / 5 = 2
        assertThat(s.points()).isEqualTo(3);
        assertThat(s.zeroActualsSkipped()).isEqualTo(1);
        assertThat(s.mae()).isCloseTo(10, within(1e-9));
        assertThat(s.mapePct()).isCloseTo(15, within(1e-9));
        assertThat(s.smapePct()).isCloseTo((2000.0 / 190 + 2000.0 / 110 + 200) / 3, within(1e-9));
        assertThat(s.mase()).isCloseTo(2, within(1e-9));
    }

    @Test
    void quantilesInterpolateAndTheBandContainsTheKnownPoints() {
        double[] e = {-30, -10, 0, 10, 20, 40, 5, -5, 15, -20, 25};   // sorted: -30 -20 -10 -5 0 5 10 15 20 25 40
        // type 7: h = 10 p; p = 0.10 -> h = 1 -> -20; p = 0.90 -> h = 9 -> 25; p = 0.5 -> 5; p = 0.025 -> -30 + 0.25 x 10 = -27.5
        assertThat(Backtest.quantile(e, 0.10)).isCloseTo(-20, within(1e-9));
        assertThat(Backtest.quantile(e, 0.90)).isCloseTo(25, within(1e-9));
        assertThat(Backtest.quantile(e, 0.5)).isCloseTo(5, within(1e-9));
        assertThat(Backtest.quantile(e, 0.025)).isCloseTo(-27.5, within(1e-9));
        // a forecast of 100 with these errors: 80 % band [80, 125] holds the actuals 80, 100, 125, not 79 or 126
        double lo = 100 + Backtest.quantile(e, 0.10), hi = 100 + Backtest.quantile(e, 0.90);
        for (double a : new double[]{80, 100, 125}) assertThat(a).isBetween(lo, hi);
        for (double a : new double[]{79, 126}) assertThat(a < lo || a > hi).isTrue();
    }

    @Test
    void closedWeekdaysAreTheOnesWithoutASaleInTheLastWeeks() {
        double[][] s = growingShopClosedOnSaturdays(10);
        boolean[] closed = Backtest.closedWeekdays(s[1], MONDAY, 70, 8);
        for (int wd = 1; wd <= 7; wd++) assertThat(closed[wd]).as("weekday %d", wd).isEqualTo(wd == 6);
        s[1][68] = 3;   // one Saturday with orders in the window: not closed
        assertThat(Backtest.closedWeekdays(s[1], MONDAY, 70, 8)[6]).isFalse();
    }

    /** A weekly pattern with no trend and no noise: any sensible model must give the pattern back. */
    @Test
    void holtWintersAndLagRegressionLearnAPureWeeklyPattern() {
        double[] pattern = {120, 100, 90, 110, 150, 0, 60};
        double[] y = new double[7 * 30];
        for (int i = 0; i < y.length; i++) y[i] = pattern[i % 7];
        double[] hw = new HoltWinters(7, 0.95, 730).forecast(y, MONDAY, 7);
        double[] lr = new LagRegression(14, 730, 7).forecast(y, MONDAY, 7);
        for (int h = 0; h < 7; h++) {
            assertThat(hw[h]).as("Holt-Winters day %d", h).isCloseTo(pattern[h], within(0.5));
            assertThat(lr[h]).as("lag regression day %d", h).isCloseTo(pattern[h], within(0.5));
        }
    }

    @Test
    void decompositionSplitsALinearTrendFromAWeeklySeason() {
        double[] season = {10, -5, 0, 5, 20, -30, 0};   // sums to 0
        double[] y = new double[7 * 8];
        for (int t = 0; t < y.length; t++) y[t] = 50 + 2 * t + season[t % 7];
        Decomposition.Parts p = Decomposition.of(y, 7);
        // a centred 7-day average of a line plus a season that sums to 0 is the line itself
        for (int t = 3; t < y.length - 3; t++) {
            assertThat(p.trend()[t]).isCloseTo(50 + 2 * t, within(1e-9));
            assertThat(p.season()[t]).isCloseTo(season[t % 7], within(1e-9));
            assertThat(p.remainder()[t]).isCloseTo(0, within(1e-9));
        }
        assertThat(p.trend()[0]).isNaN();
    }
}
