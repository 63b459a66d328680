package io.ecombi.forecast;

import io.ecombi.chart.ChartFile;
import io.ecombi.result.Finding;
import io.ecombi.result.Table;

import java.util.List;

/**
 * The daily forecasts as readers get them (run result "forecast", laid out by
 * templates/sections/forecast.ftlh): per series the next days with their bands, the chart, the
 * published model and why, the band's measured coverage, and the backtest of every model; the
 * series that could not be forecast and why; the decomposition chart. Figures inside sentences are
 * already written by the report's rules (Formats); tables hold raw values with their kinds.
 *
 * @param horizonDays   days ahead (ecombi.forecast.horizon-days)
 * @param origins       backtest origins (ecombi.forecast.backtest-origins)
 * @param closedWeeks   a weekday without a sale in this many weeks is closed
 * @param coverageMin   the 80 % band's target coverage, low end ("70.0%")
 * @param coverageMax   its high end ("90.0%")
 * @param skipped       "net_revenue: why it was not forecast", one per series left out
 * @param series        the forecast series, in ecombi.forecast.series order
 * @param decomposition trend, weekly season and remainder of the first series (null when under 21 days)
 */
public record ForecastSection(int horizonDays, int origins, int closedWeeks, String coverageMin, String coverageMax,
                              List<String> skipped, List<Series> series, ChartFile decomposition) {

    public ForecastSection {
        skipped = List.copyOf(skipped);
        series = List.copyOf(series);
    }

    /**
     * One forecast series.
     *
     * @param series         its column in sql/forecast/daily_series.sql (net_revenue, orders)
     * @param label          what readers call it ("Daily net revenue")
     * @param published      the published model
     * @param beatNaive      whether a candidate beat the seasonal naive (else the seasonal naive is published)
     * @param best           when none beat it: the best candidate (null when there was none)
     * @param bestMase       that candidate's MASE ("1.12"), or null
     * @param mase           the published model's MASE
     * @param lessError      how much less error than the seasonal naive, 1 - MASE ("14.3%")
     * @param coverage80     share of the backtest's actuals inside the published model's 80 % band ("85.7%")
     * @param bandWarning    the band's coverage outside the target, as a finding; null when on target
     * @param chartCurrency  the currency symbol the chart's value axis and alt text were drawn in; null for a count
     * @param next           the next days: day, weekday, forecast and both bands (closed days: 0, no band)
     * @param closedDays     the closed days among them ("Sat 2026-07-04")
     * @param chart          recent actuals, the forecast and its bands
     * @param backtest       every model's backtest metrics (detail, folded on the page)
     * @param backtestOrigins origins of the backtest (fewer than configured when the history is short)
     * @param zeroActualsSkipped days with an actual of 0 that MAPE leaves out
     */
    public record Series(String series, String label, String published, boolean beatNaive, String best, String bestMase,
                         String mase, String lessError, String coverage80, Finding bandWarning, String chartCurrency,
                         Table next, List<String> closedDays, ChartFile chart, Table backtest, String backtestOrigins,
                         String zeroActualsSkipped) {
        public Series {
            closedDays = List.copyOf(closedDays);
        }
    }
}
