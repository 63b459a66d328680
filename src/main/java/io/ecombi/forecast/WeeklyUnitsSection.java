package io.ecombi.forecast;

import io.ecombi.chart.ChartFile;
import io.ecombi.result.Table;

import java.util.List;

/**
 * The weekly units forecast of the top categories as readers get it (run result "weeklyUnits",
 * laid out by templates/sections/forecast.ftlh). Figures inside sentences are already written by
 * the report's rules (Formats); tables hold raw values with their kinds.
 *
 * @param categorised     false when the data has no category to forecast (every product
 *                        'Uncategorised', or none sold in the last 12 months): then nothing below is set
 * @param categories      how many categories (the top ones by net revenue in the last 12 months)
 * @param horizonWeeks    weeks ahead (ecombi.forecast.weekly.horizon-weeks)
 * @param origins         backtest origins configured (ecombi.forecast.weekly.backtest-origins)
 * @param weekday         the weekday a week ends on: the as-of date's ("Sunday")
 * @param lastWeekStart   the last whole week's first day
 * @param lastWeekEnd     its last day (the as-of date)
 * @param forecast        per category and week ahead: the published model, the forecast and its 80 % band
 * @param chart           small multiples of the forecast categories (null when none could be forecast)
 * @param backtest        per category: published model, its backtest metrics, the runner-up (detail, folded)
 * @param backtestOrigins origins the backtest had (fewer than configured when the history is short), or null
 * @param coverageMin     the 80 % band's target coverage, low end ("70.0%")
 * @param coverageMax     its high end ("90.0%")
 * @param skipped         the categories that could not be forecast and why
 */
public record WeeklyUnitsSection(boolean categorised, String categories, int horizonWeeks, int origins, String weekday,
                                 String lastWeekStart, String lastWeekEnd, Table forecast, ChartFile chart, Table backtest,
                                 String backtestOrigins, String coverageMin, String coverageMax, List<Skipped> skipped) {

    public WeeklyUnitsSection {
        skipped = List.copyOf(skipped);
    }

    /** A category without a forecast, and why (its history is too short for the backtest, ...). */
    public record Skipped(String category, String reason) {}
}
