package io.ecombi.delivery;

import io.ecombi.Settings;
import io.ecombi.db.SqlFile;
import io.ecombi.kpi.KpiTable;
import io.ecombi.metrics.RunMetrics;
import io.ecombi.report.Dashboard;
import io.ecombi.result.Finding;
import io.ecombi.run.PipelineRun;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * After a run (route deliver, tapped off run-pipeline so it never delays or fails the run): its
 * results to each configured channel. digest = every succeeded run; alert = a failed run, or a
 * succeeded one whose page leads with a new Critical or High anomaly. Each (run, channel) is claimed
 * once in bi.deliveries, so it is sent once however often this step runs for the run; a failed
 * attempt is tried again after a growing wait, and every attempt is recorded in
 * bi.delivery_attempts (outcome, error) and counted in the metrics. Secrets only from the environment.
 */
public final class DeliveryStep {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryStep.class);
    private final DataSource ds;
    private final Settings settings;
    private final Path sqlDir;
    private final Dashboard dashboard;
    private final RunMetrics metrics;
    private final String shop;
    private final int maxAttempts;
    private final long backoffMs, maxBackoffMs;
    private final int maxAnomalies;
    private volatile List<Channel> channels;
    private volatile CamelContext context;

    public DeliveryStep(DataSource ds, Settings settings, Dashboard dashboard, RunMetrics metrics) {
        this.ds = ds;
        this.settings = settings;
        this.sqlDir = settings.path("ecombi.sql.dir");
        this.dashboard = dashboard;
        this.metrics = metrics;
        this.shop = io.ecombi.shop.Shop.of(settings).name();
        this.maxAttempts = Math.max(1, settings.getInt("ecombi.delivery.max-attempts"));
        this.backoffMs = settings.getLong("ecombi.delivery.backoff-ms");
        this.maxBackoffMs = settings.getLong("ecombi.delivery.max-backoff-ms");
        this.maxAnomalies = settings.getInt("ecombi.delivery.max-anomalies");
    }

    /** Once Camel runs: the channels whose mode is not off and whose secret is set. */
    public void attach(CamelContext context) {
        this.context = context;
        HttpPost http = new HttpPost(Duration.ofMillis(settings.getInt("ecombi.delivery.timeout-ms")));
        List<Channel> list = new ArrayList<>();
        if (!"off".equals(mode("email"))) list.add(new EmailChannel(context, dashboard, settings, settings.secret("ECOMBI_SMTP_PASSWORD")));
        if (!"off".equals(mode("slack"))) {
            String url = settings.secret("ECOMBI_SLACK_WEBHOOK_URL");
            if (url == null) LOG.warn("DELIVERY slack is {} but ECOMBI_SLACK_WEBHOOK_URL is not set: Slack is skipped", mode("slack"));
            else list.add(new SlackChannel(url, http));
        }
        if (!"off".equals(mode("webhook"))) {
            String url = settings.secret("ECOMBI_WEBHOOK_URL");
            if (url == null) LOG.warn("DELIVERY webhook is {} but ECOMBI_WEBHOOK_URL is not set: the webhook is skipped", mode("webhook"));
            else list.add(new WebhookChannel(url, http));
        }
        this.channels = List.copyOf(list);
    }

    private String mode(String channel) {
        String m = settings.get("ecombi.delivery." + channel + ".mode");
        if (!List.of("off", "digest", "alert").contains(m)) {
            throw new IllegalStateException("Setting ecombi.delivery." + channel + ".mode=" + m + " is not off, digest or alert");
        }
        return m;
    }

    /** Route deliver: every channel that wants this run. Never throws: a delivery never fails a run. */
    public void deliver(Exchange exchange) {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        List<Channel> list = channels;
        if (run == null || list == null || list.isEmpty()) return;
        if (!"succeeded".equals(run.status()) && !"failed".equals(run.status())) return;   // interrupted: ecombi is stopping
        Delivery d;
        try {
            d = delivery(run);
        } catch (Exception e) {
            LOG.error("DELIVERY run {}: could not gather what to deliver: {}", run.id(), e.getMessage(), e);
            return;
        }
        for (Channel c : list) {
            String mode = mode(c.name());
            boolean wanted = "digest".equals(mode) ? "succeeded".equals(run.status()) : d.alert();
            if (!wanted) continue;
            try {
                deliver(c, mode, d, run);
            } catch (Exception e) {
                LOG.error("DELIVERY run {} to {}: {}", run.id(), c.name(), e.getMessage());
            }
        }
    }

    private void deliver(Channel c, String mode, Delivery d, PipelineRun run) throws Exception {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("runId", run.id());
        key.put("channel", c.name());
        key.put("mode", mode);
        if (sql("claim.sql").rows(ds, key).isEmpty()) {
            LOG.info("DELIVERY run {} to {}: already delivered (or being delivered): not sent again", run.id(), c.name());
            metrics.delivery(c.name(), "skipped");
            return;
        }
        String idempotencyKey = d.deliveryKey() + "-" + c.name();
        long wait = backoffMs;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            long t = System.nanoTime();
            String error = null;
            try {
                c.send(d, run, idempotencyKey);
            } catch (HttpPost.DeliveryFailed e) {
                error = e.getMessage();
            } catch (Exception e) {
                error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            long millis = (System.nanoTime() - t) / 1_000_000;
            Map<String, Object> a = new LinkedHashMap<>(key);
            a.remove("mode");
            a.put("attempt", attempt);
            a.put("outcome", error == null ? "sent" : "failed");
            a.put("error", error);
            a.put("millis", millis);
            sql("attempt.sql").execute(ds, a);
            metrics.delivery(c.name(), error == null ? "sent" : "failed");
            if (error == null) {
                finish(key, "sent");
                LOG.info("DELIVERY run {} to {} ({}): sent (attempt {})", run.id(), c.name(), mode, attempt);
                return;
            }
            if (attempt == maxAttempts) {
                finish(key, "failed");
                LOG.error("DELIVERY run {} to {} ({}): failed after {} attempt(s): {}", run.id(), c.name(), mode, attempt, error);
                return;
            }
            LOG.warn("DELIVERY run {} to {}: attempt {} of {} failed ({}); next in {} ms", run.id(), c.name(), attempt, maxAttempts, error, wait);
            Thread.sleep(wait);
            wait = Math.min(maxBackoffMs, wait * 2);
        }
    }

    private void finish(Map<String, Object> key, String status) throws Exception {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("status", status);
        f.put("runId", key.get("runId"));
        f.put("channel", key.get("channel"));
        sql("finish.sql").execute(ds, f);
    }

    /** What the run delivers, from its named results by the page's own rules. */
    @SuppressWarnings("unchecked")
    Delivery delivery(PipelineRun run) throws Exception {
        String base = publicUrl();
        String key = shop + "-run" + run.id();
        if ("failed".equals(run.status())) {
            return new Delivery(key, shop, run.id(), String.valueOf(run.asOf()), "failed", run.error(), true, null, List.of(), List.of(),
                    Map.of(), List.of(), base + "/api/runs/" + run.id(), null);
        }
        Map<String, Object> model = dashboard.model(run);
        Map<String, Object> cards = (Map<String, Object>) model.get("cards");
        List<Map<String, Object>> items = cards == null ? List.of() : (List<Map<String, Object>>) cards.get("items");
        Map<String, Object> figures = new LinkedHashMap<>();
        KpiTable t = run.kpi("kpi_cards");
        for (int r = 0; t != null && r < t.rows().size(); r++) {
            if (!"current".equals(t.value(r, "period"))) continue;
            for (String col : t.columns()) figures.put(col, t.value(r, col) instanceof Number n ? n : String.valueOf(t.value(r, col)));
        }
        String headline = (String) run.get(io.ecombi.anomaly.AnomalyStep.HEADLINE_KEY);
        List<String> alerts = new ArrayList<>();
        if (run.get(io.ecombi.anomaly.AnomalyStep.ANOMALIES_KEY) instanceof io.ecombi.anomaly.AnomalySection a) {
            for (Finding f : a.alerts()) alerts.add(f.text());
        }
        List<Map<String, Object>> anomalies = sql("new_anomalies.sql").rows(ds, Map.of("runId", run.id(), "limit", maxAnomalies));
        String summary = (String) run.get(io.ecombi.summary.SummaryStep.MARKDOWN_KEY);
        return new Delivery(key, shop, run.id(), String.valueOf(run.asOf()), "succeeded", null, headline != null, headline, alerts,
                items, figures, anomalies, base + "/reports/runs/" + run.id() + "/index.html", summary);
    }

    private String publicUrl() {
        String u = settings.get("ecombi.api.public-url");
        if (u == null) u = "http://" + settings.get("ecombi.api.host") + ":" + settings.get("ecombi.api.port");
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    private SqlFile sql(String name) throws java.io.IOException {
        return SqlFile.read(sqlDir.resolve("delivery").resolve(name));
    }
}
