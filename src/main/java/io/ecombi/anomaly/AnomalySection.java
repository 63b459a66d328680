package io.ecombi.anomaly;

import io.ecombi.result.Finding;
import io.ecombi.result.Table;

import java.util.List;

/**
 * What the anomaly step found, for every reader (templates/sections/anomalies.ftlh, the summary,
 * later the e-mail and the API), as data: no markup, every figure in a sentence written by
 * {@link io.ecombi.report.Formats}.
 *
 * @param asOf          the run's as-of date (yyyy-mm-dd)
 * @param recentDays    the days an alert looks back (ecombi.anomaly.recent-days)
 * @param reportDays    the days of the recent list (ecombi.anomaly.report-days)
 * @param historyDays   the days tested (ecombi.anomaly.history-days)
 * @param alerts        the new Critical and High anomalies of the last recentDays days, most severe first
 * @param allClear      the sentence when there is no such alert, else null
 * @param explanation   how a day is judged, in one sentence
 * @param recent        the anomalies of the last reportDays days, latest first: one table per unit
 *                      (money: net revenue, average order value, categories; counts: orders, data gaps), none when there are none
 * @param earlier       the most severe earlier ones, latest first, one table per unit
 * @param secondOpinion what the Isolation Forest makes of the same days
 * @param dataGaps      the sentence on probable data gaps, or null when there are none
 * @param csv           every anomaly, in the run folder (data/anomalies.csv)
 */
public record AnomalySection(String asOf, int recentDays, int reportDays, int historyDays, List<Finding> alerts, String allClear,
                             String explanation, List<Table> recent, List<Table> earlier, String secondOpinion, String dataGaps, String csv) {
    public AnomalySection {
        alerts = List.copyOf(alerts);
        recent = List.copyOf(recent);
        earlier = List.copyOf(earlier);
    }
}
