package io.ecombi.delivery;

import io.ecombi.api.Json;
import io.ecombi.run.PipelineRun;

import java.util.Map;

/**
 * Slack's incoming webhook (ECOMBI_SLACK_WEBHOOK_URL): the headline (the run and its cards as the page
 * writes them), the top anomaly (the page's headline, or that there is none), and a link to the dashboard.
 */
final class SlackChannel implements Channel {
    private final String url;
    private final HttpPost http;

    SlackChannel(String url, HttpPost http) {
        this.url = url;
        this.http = http;
    }

    @Override
    public String name() { return "slack"; }

    @Override
    public byte[] render(Delivery d, PipelineRun run, String key) {
        return Json.write(Map.of("text", text(d))).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void send(byte[] payload, String key) throws Exception {
        http.post(url, new String(payload, java.nio.charset.StandardCharsets.UTF_8), key);
    }

    /** Slack's mrkdwn: *bold*, <url|label>; the data's &, < and > escaped as Slack asks. */
    static String text(Delivery d) {
        StringBuilder b = new StringBuilder();
        if ("failed".equals(d.status())) {
            b.append("*ecombi ").append(esc(d.shop())).append(": run ").append(d.runId()).append(" failed*\n").append(esc(String.valueOf(d.error())));
        } else {
            b.append("*ecombi ").append(esc(d.shop())).append(": run ").append(d.runId()).append(", as of ").append(d.asOf()).append("*\n");
            for (Map<String, Object> c : d.cards()) {
                b.append("• ").append(esc(String.valueOf(c.get("label")))).append(": ").append(esc(String.valueOf(c.get("value"))));
                if (c.get("change") != null) b.append(" (").append(esc(String.valueOf(c.get("arrow")))).append(' ').append(esc(String.valueOf(c.get("change")))).append(')');
                b.append('\n');
            }
            b.append(d.anomalyHeadline() == null ? "No new Critical or High anomaly." : ":rotating_light: " + esc(d.anomalyHeadline()));
        }
        if (d.reportUrl() != null) b.append("\n<").append(d.reportUrl()).append("|Open the dashboard>");
        return b.toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
