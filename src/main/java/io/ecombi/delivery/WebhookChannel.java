package io.ecombi.delivery;

import io.ecombi.api.Json;
import io.ecombi.run.PipelineRun;

import java.util.LinkedHashMap;
import java.util.Map;

/** A generic webhook (ECOMBI_WEBHOOK_URL): the run as JSON, for an orchestrator or a CRM. */
final class WebhookChannel implements Channel {
    private final String url;
    private final HttpPost http;

    WebhookChannel(String url, HttpPost http) {
        this.url = url;
        this.http = http;
    }

    @Override
    public String name() { return "webhook"; }

    @Override
    public byte[] render(Delivery d, PipelineRun run, String key) {
        return Json.write(payload(d)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void send(byte[] payload, String key) throws Exception {
        http.post(url, new String(payload, java.nio.charset.StandardCharsets.UTF_8), key);
    }

    static Map<String, Object> payload(Delivery d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", "failed".equals(d.status()) ? "run.failed" : "run.succeeded");
        m.put("deliveryId", d.deliveryKey() + "-webhook");
        m.put("shop", d.shop());
        m.put("runId", d.runId());
        m.put("asOf", d.asOf());
        m.put("status", d.status());
        m.put("error", d.error());
        m.put("alert", d.alert());
        m.put("headline", Map.of("cards", d.cards(), "figures", d.figures()));
        m.put("anomalyHeadline", d.anomalyHeadline());
        m.put("newAnomalies", d.newAnomalies());
        m.put("reportUrl", d.reportUrl());
        return m;
    }
}
