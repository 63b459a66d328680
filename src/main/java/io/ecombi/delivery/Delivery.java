package io.ecombi.delivery;

import java.util.List;
import java.util.Map;

/**
 * What one run delivers, read from the run's named results by the same rules as the page: the run,
 * its headline cards as the page writes them, the anomaly headline and alerts the page leads with,
 * the anomalies it raised as new, and where its dashboard is. A failed run has only its error.
 *
 * @param alert   true when the run failed, or found a new Critical or High anomaly (the page's headline)
 * @param cards   the page's headline cards: metric, label, value, change, note (formatted)
 * @param figures the same cards' raw numbers (kpi_cards' current row), for machines
 */
public record Delivery(String deliveryKey, String shop, long runId, String asOf, String status, String error, boolean alert,
                       String anomalyHeadline, List<String> alerts, List<Map<String, Object>> cards, Map<String, Object> figures,
                       List<Map<String, Object>> newAnomalies, String reportUrl, String summaryMarkdown) {
}
