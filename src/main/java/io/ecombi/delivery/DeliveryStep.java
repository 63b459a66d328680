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
    private final int timeoutMs;
    private final boolean exclusiveDatabase;
    private final java.util.concurrent.atomic.AtomicBoolean recovered = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile List<Channel> channels;
    private volatile CamelContext context;

    /** exclusiveDatabase: no other process uses this database (the embedded PostgreSQL), so what is left 'sending' is left by a stopped one. */
    public DeliveryStep(DataSource ds, Settings settings, Dashboard dashboard, RunMetrics metrics, boolean exclusiveDatabase) {
        this.ds = ds;
        this.exclusiveDatabase = exclusiveDatabase;
        this.timeoutMs = settings.getInt("ecombi.delivery.timeout-ms");
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
        if (settings.getBoolean("ecombi.service.enabled") && !list.isEmpty()) {
            // serve: what a stopped ecombi left unfinished is taken up at once, not at the next run
            Thread t = new Thread(this::recoverLeftDeliveries, "ecombi-delivery-recovery");
            t.setDaemon(true);
            t.start();
        }
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
        recoverLeftDeliveries();
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
        String idempotencyKey = d.deliveryKey() + "-" + c.name();
        byte[] payload = c.render(d, run, idempotencyKey);
        Map<String, Object> claim = key(run.id(), c.name());
        claim.put("mode", mode);
        claim.put("idempotencyKey", idempotencyKey);
        claim.put("payload", payload);
        if (sql("claim.sql").rows(ds, claim).isEmpty()) {
            LOG.info("DELIVERY run {} to {}: already delivered (or being delivered): not sent again", run.id(), c.name());
            metrics.delivery(c.name(), "skipped");
            return;
        }
        send(c, run.id(), mode, payload, idempotencyKey, 1, maxAttempts);
    }

    /**
     * Attempts first..last of a claimed delivery, each marked in flight while it is under way, the
     * next after a growing wait; the delivery ends sent or failed. True when it got through.
     */
    private boolean send(Channel c, long runId, String mode, byte[] payload, String idempotencyKey, int first, int last) throws Exception {
        long wait = backoffMs;
        for (int attempt = first; attempt <= last; attempt++) {
            Map<String, Object> a = key(runId, c.name());
            a.put("attempt", attempt);
            sql("attempt_start.sql").execute(ds, a);
            long t = System.nanoTime();
            String error = null;
            try {
                c.send(payload, idempotencyKey);
            } catch (HttpPost.DeliveryFailed e) {
                error = e.getMessage();
            } catch (Exception e) {
                error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            a.put("outcome", error == null ? "sent" : "failed");
            a.put("error", error);
            a.put("millis", (System.nanoTime() - t) / 1_000_000);
            sql("attempt.sql").execute(ds, a);
            metrics.delivery(c.name(), error == null ? "sent" : "failed");
            if (error == null) {
                finish(runId, c.name(), "sent");
                LOG.info("DELIVERY run {} to {} ({}): sent (attempt {})", runId, c.name(), mode, attempt);
                return true;
            }
            if (attempt == last) {
                finish(runId, c.name(), "failed");
                LOG.error("DELIVERY run {} to {} ({}): failed after attempt {}: {}; send it again with `bin/ecombi deliver --run {} --channel {}`",
                        runId, c.name(), mode, attempt, error, runId, c.name());
                return false;
            }
            LOG.warn("DELIVERY run {} to {}: attempt {} of {} failed ({}); next in {} ms", runId, c.name(), attempt, last, error, wait);
            Thread.sleep(wait);
            wait = Math.min(maxBackoffMs, wait * 2);
        }
        return false;
    }

    /**
     * Deliveries a stopped process left 'sending' (once per process, before its first delivery; at
     * the start of serve too). Stopped between attempts: resumed, the same bytes with the same key,
     * for the attempts it had left (at least one). Stopped during an attempt, or from before ecombi
     * kept what it sends: whether it arrived is not known, so it is not sent again by itself; it
     * becomes interrupted, and the log says how to send it again.
     */
    public void recoverLeftDeliveries() {
        if (!recovered.compareAndSet(false, true) || channels == null) return;
        recover();
    }

    /** The recovery itself; returns how many deliveries it found left 'sending'. */
    int recover() {
        int found = 0;
        try {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("exclusive", exclusiveDatabase);
            p.put("staleSeconds", staleSeconds());
            for (Map<String, Object> d : sql("left_sending.sql").rows(ds, p)) {
                found++;
                long runId = ((Number) d.get("run_id")).longValue();
                String name = (String) d.get("channel");
                int attempts = ((Number) d.get("attempts")).intValue();
                Channel c = channels.stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
                if (d.get("in_flight") == null && d.get("payload") != null && c != null) {
                    LOG.warn("DELIVERY run {} to {}: left unfinished by a stopped ecombi between attempts: resumed", runId, name);
                    send(c, runId, (String) d.get("mode"), (byte[]) d.get("payload"), (String) d.get("idempotency_key"),
                            attempts + 1, Math.max(attempts + 1, maxAttempts));
                    continue;
                }
                String why = d.get("in_flight") != null ? "ecombi stopped during attempt " + d.get("in_flight") + ", so whether it arrived is not known"
                        : c == null ? "ecombi stopped during it, and the channel is no longer configured"
                        : "ecombi stopped during it, before ecombi kept what a delivery sends";
                Map<String, Object> a = key(runId, name);
                a.put("attempt", d.get("in_flight") != null ? ((Number) d.get("in_flight")).intValue() : attempts + 1);
                a.put("outcome", "interrupted");
                a.put("error", why);
                a.put("millis", null);
                sql("attempt.sql").execute(ds, a);
                finish(runId, name, "interrupted");
                metrics.delivery(name, "interrupted");
                LOG.warn("DELIVERY run {} to {}: interrupted: {}; it is not sent again by itself: `bin/ecombi deliver --run {} --channel {}` sends it",
                        runId, name, why, runId, name);
            }
        } catch (Exception e) {
            LOG.error("DELIVERY: could not look for deliveries a stopped ecombi left unfinished: {}", e.getMessage(), e);
        }
        return found;
    }

    /** Longer than a whole delivery can take: every attempt's timeout and every wait between them, twice. */
    private double staleSeconds() {
        long waits = 0, w = backoffMs;
        for (int i = 1; i < maxAttempts; i++, w = Math.min(maxBackoffMs, w * 2)) waits += w;
        return 2.0 * (maxAttempts * (long) timeoutMs + waits) / 1000.0;
    }

    /**
     * bin/ecombi deliver: sends a run's stored delivery again, to one channel or each it was delivered
     * to, as it was rendered then (same recipients, same key). A delivery already sent goes again only
     * with again=true; one being sent now is left alone. Returns a line per channel.
     */
    public List<String> resend(long runId, String channel, boolean again) throws Exception {
        recoverLeftDeliveries();   // one left 'sending' by a stopped ecombi: resumed, or interrupted and sent below
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("runId", runId);
        q.put("channel", channel);
        List<String> out = new ArrayList<>();
        List<Map<String, Object>> stored = sql("stored.sql").rows(ds, q);
        if (stored.isEmpty()) {
            throw new IllegalArgumentException("run " + runId + " has no delivery" + (channel == null ? "" : " to " + channel) + " (bi.deliveries)");
        }
        for (Map<String, Object> d : stored) {
            String name = (String) d.get("channel");
            String status = (String) d.get("status");
            Channel c = channels == null ? null : channels.stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
            if (d.get("payload") == null) { out.add(name + ": not kept (delivered before ecombi kept what it sends): not sent"); continue; }
            if (c == null) { out.add(name + ": the channel is not configured now (its mode, or its secret in the environment): not sent"); continue; }
            if ("sent".equals(status) && !again) { out.add(name + ": sent before: not sent again (--again sends it anyway)"); continue; }
            if (sql("resend.sql").rows(ds, key(runId, name)).isEmpty()) { out.add(name + ": being sent now: left alone"); continue; }
            int attempts = ((Number) d.get("attempts")).intValue();
            boolean sent = send(c, runId, (String) d.get("mode"), (byte[]) d.get("payload"), (String) d.get("idempotency_key"),
                    attempts + 1, attempts + maxAttempts);
            out.add(name + ": " + (sent ? "sent" : "failed (bi.delivery_attempts has why)"));
        }
        return out;
    }

    private static Map<String, Object> key(long runId, String channel) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("runId", runId);
        key.put("channel", channel);
        return key;
    }

    private void finish(long runId, String channel, String status) throws Exception {
        Map<String, Object> f = key(runId, channel);
        f.put("status", status);
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
