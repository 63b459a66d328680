package io.ecombi.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ecombi.EcombiRuntime;
import io.ecombi.run.PipelineRun;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import io.ecombi.testing.TestService;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delivery with real parts: e-mail received by a real SMTP server (GreenMail, with a login), a
 * webhook and a Slack receiver (JDK HttpServer) that fail on purpose (HTTP 500, a time-out), on the
 * hand-made KPI fixture as of 2026-06-30. The e-mail is a digest, the webhook a digest, Slack alerts only.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeliveryTest {
    static final String SMTP_PASSWORD = "s3cret-smtp-pw";
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static GreenMailExtension mail = new GreenMailExtension(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("ecombi", SMTP_PASSWORD)).withPerMethodLifecycle(false);

    @TempDir
    static Path work;
    static EcombiRuntime rt;
    static HttpServer receiver;
    static final List<Received> hook = Collections.synchronizedList(new ArrayList<>());
    static final List<Received> slack = Collections.synchronizedList(new ArrayList<>());
    /** What the receivers do with their n-th request: an HTTP status, or -1 to stall past the client's time-out. */
    static volatile int[] hookScript = {500, 500, 200};
    static volatile int[] slackScript = {-1, 200};
    static PipelineRun succeeded;
    static String url;

    record Received(String key, String body, int answered) {}

    static int freePort() {
        try {
            return TestService.freePort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook/abc", ex -> answer(ex, hook, hookScript));
        receiver.createContext("/slack/T000/B000/xyz", ex -> answer(ex, slack, slackScript));
        receiver.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        receiver.start();
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        url = TestDatabase.newDatabase();
        Map<String, String> o = TestRuntime.overrides(url, work);
        o.put("ecombi.delivery.email.mode", "digest");
        o.put("ecombi.delivery.email.to", "ops@example.com, cfo@example.com");
        o.put("ecombi.delivery.email.from", "ecombi@example.com");
        o.put("ecombi.delivery.email.smtp-host", "127.0.0.1");
        o.put("ecombi.delivery.email.smtp-port", String.valueOf(mail.getSmtp().getPort()));
        o.put("ecombi.delivery.email.smtp-user", "ecombi");
        o.put("ecombi.delivery.slack.mode", "alert");
        o.put("ecombi.delivery.webhook.mode", "digest");
        o.put("ecombi.delivery.backoff-ms", "50");
        o.put("ecombi.delivery.max-backoff-ms", "200");
        o.put("ecombi.delivery.timeout-ms", "3000");   // generous: a loaded CI machine must not time out the answers meant to arrive
        o.put("ecombi.api.public-url", "https://bi.example.com/");
        Map<String, String> env = new HashMap<>();
        env.put("ECOMBI_SMTP_PASSWORD", SMTP_PASSWORD);
        env.put("ECOMBI_SLACK_WEBHOOK_URL", base + "/slack/T000/B000/xyz");
        env.put("ECOMBI_WEBHOOK_URL", base + "/hook/abc");
        rt = TestRuntime.start(o, env);
        Sql.loadFixture(rt.database().dataSource(), "kpi_fixture.sql");
    }

    @AfterAll
    static void stop() {
        if (rt != null) rt.close();
        if (receiver != null) receiver.stop(0);
    }

    static void answer(HttpExchange ex, List<Received> log, int[] script) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        int n = log.size();
        int status = n < script.length ? script[n] : 200;
        log.add(new Received(ex.getRequestHeaders().getFirst("Idempotency-Key"), body, status));
        if (status < 0) {
            try {
                Thread.sleep(6000);   // past ecombi.delivery.timeout-ms: the client gives up; this attempt is a failure
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            status = 200;
        }
        byte[] out = (status == 200 ? "ok" : "upstream broke").getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, out.length);
        ex.getResponseBody().write(out);
        ex.close();
    }

    static List<Map<String, Object>> deliveries(long runId) {
        return Sql.rows(rt.database().dataSource(), "SELECT channel, mode, status, attempts FROM bi.deliveries WHERE run_id = ? ORDER BY channel", runId);
    }

    static List<Map<String, Object>> attempts(long runId, String channel) {
        return Sql.rows(rt.database().dataSource(), "SELECT attempt, outcome, error_text FROM bi.delivery_attempts WHERE run_id = ? AND channel = ? ORDER BY attempt",
                runId, channel);
    }

    /** Waits until every delivery of the run has ended (none 'sending') and there are n of them. */
    static void awaitDeliveries(long runId, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<Map<String, Object>> d = deliveries(runId);
            if (d.size() == n && d.stream().noneMatch(r -> "sending".equals(r.get("status")))) return;
            Thread.sleep(100);
        }
        throw new AssertionError("deliveries of run " + runId + " did not end: " + deliveries(runId));
    }

    @Test
    @Order(1)
    void aSucceededRunIsMailedAndPostedOnceThoughTheWebhookFailsTwice() throws Exception {
        succeeded = TestRuntime.succeededRun(rt, LocalDate.of(2026, 6, 30));
        long id = succeeded.id();
        awaitDeliveries(id, 2);
        // the run ended before its deliveries: they never delayed it
        Map<String, Object> times = Sql.rows(rt.database().dataSource(), "SELECT (SELECT finished_at FROM bi.pipeline_runs WHERE run_id = ?) "
                + "< (SELECT finished_at FROM bi.deliveries WHERE run_id = ? AND channel = 'webhook') AS before", id, id).get(0);
        assertThat(times.get("before")).isEqualTo(true);
        assertThat(deliveries(id)).extracting(r -> r.get("channel") + " " + r.get("mode") + " " + r.get("status") + " " + r.get("attempts"))
                .containsExactly("email digest sent 1", "webhook digest sent 3");
        // the webhook: 500, 500, then 200 - three attempts with one key, each recorded
        assertThat(hook).extracting(Received::answered).containsExactly(500, 500, 200);
        assertThat(hook).extracting(Received::key).containsOnly("default-run" + id + "-webhook");
        assertThat(attempts(id, "webhook")).extracting(r -> r.get("attempt") + " " + r.get("outcome") + " " + r.get("error_text"))
                .containsExactly("1 failed HTTP 500 from 127.0.0.1: upstream broke", "2 failed HTTP 500 from 127.0.0.1: upstream broke", "3 sent null");
        JsonNode payload = JSON.readTree(hook.get(2).body());
        assertThat(payload.get("event").asText()).isEqualTo("run.succeeded");
        assertThat(payload.get("runId").asLong()).isEqualTo(id);
        assertThat(payload.get("asOf").asText()).isEqualTo("2026-06-30");
        // kpi_cards' current window by hand (KpiQueriesTest): net 445.00, 6 orders, 3 customers; the card as the page writes it
        assertThat(payload.get("headline").get("figures").get("net_revenue").decimalValue()).isEqualByComparingTo("445.00");
        assertThat(payload.get("headline").get("figures").get("orders").asInt()).isEqualTo(6);
        assertThat(payload.get("headline").get("cards").get(0).get("label").asText()).isEqualTo("Net revenue");
        assertThat(payload.get("headline").get("cards").get(0).get("value").asText()).isEqualTo("$445.00");
        assertThat(payload.get("reportUrl").asText()).isEqualTo("https://bi.example.com/reports/runs/" + id + "/index.html");
        assertThat(payload.get("newAnomalies").isArray()).isTrue();
        // Slack alerts only: this run found no new Critical or High anomaly
        assertThat(succeeded.get("anomalyHeadline")).isNull();
        assertThat(slack).isEmpty();

        // the e-mail: one message to both recipients, the summary and the cards inside, charts inline
        assertThat(mail.waitForIncomingEmail(10_000, 2)).isTrue();
        MimeMessage[] got = mail.getReceivedMessages();
        assertThat(got).hasSize(2);   // one copy per recipient
        MimeMessage m = got[0];
        assertThat(m.getSubject()).isEqualTo("ecombi default: results as of 2026-06-30 (run " + id + ")");
        assertThat(m.getHeader("X-Ecombi-Delivery")[0]).isEqualTo("default-run" + id + "-email");
        MimeMultipart related = (MimeMultipart) m.getContent();
        assertThat(related.getContentType()).startsWith("multipart/related");
        String html = (String) related.getBodyPart(0).getContent();
        org.jsoup.nodes.Document doc = org.jsoup.Jsoup.parse(html);
        assertThat(doc.text()).contains("Executive summary").contains("Net revenue").contains("$445.00");
        // the card reads exactly as on the dashboard page
        String page = java.nio.file.Files.readString(succeeded.dir().resolve("index.html"));
        assertThat(org.jsoup.Jsoup.parse(page).text()).contains("$445.00");
        List<String> cids = new ArrayList<>();
        for (int i = 1; i < related.getCount(); i++) {
            BodyPart p = related.getBodyPart(i);
            assertThat(p.getContentType()).startsWith("image/png");
            cids.add(p.getHeader("Content-ID")[0]);
        }
        assertThat(cids).containsExactlyInAnyOrder("<daily_trend>", "<monthly_revenue>");
        assertThat(doc.select("img").eachAttr("src")).containsExactlyInAnyOrder("cid:daily_trend", "cid:monthly_revenue");
        assertThat(html).doesNotContain(SMTP_PASSWORD);
    }

    @Test
    @Order(2)
    void deliveringTheSameRunAgainSendsNothing() throws Exception {
        int hooks = hook.size(), mails = mail.getReceivedMessages().length;
        org.apache.camel.Exchange again = rt.camelContext().createProducerTemplate().send("direct:deliver",
                ex -> ex.setProperty(PipelineRun.PROPERTY, succeeded));
        assertThat(again.getException()).isNull();
        Thread.sleep(500);
        assertThat(hook).hasSize(hooks);
        assertThat(mail.getReceivedMessages()).hasSize(mails);
        assertThat(deliveries(succeeded.id())).extracting(r -> r.get("attempts")).containsExactly(1, 3);
    }

    @Test
    @Order(3)
    void aFailedRunAlertsSlackWhichTimesOutOnceAndGetsItOnce() throws Exception {
        // a negative cost on a completed order's line: the quality gate's error check fails the next run
        Sql.exec(rt.database().dataSource(), "UPDATE order_items SET unit_cost = -1 WHERE order_item_id = 1");
        org.apache.camel.Exchange failed = rt.runOnce("test", LocalDate.of(2026, 6, 30));
        assertThat(failed.getException()).isNotNull();
        long id = EcombiRuntime.runOf(failed).id();
        awaitDeliveries(id, 1);
        // only Slack (alert) wants a failed run; e-mail and webhook are digests
        assertThat(deliveries(id)).extracting(r -> r.get("channel") + " " + r.get("mode") + " " + r.get("status") + " " + r.get("attempts"))
                .containsExactly("slack alert sent 2");
        assertThat(attempts(id, "slack")).extracting(r -> r.get("attempt") + " " + r.get("outcome") + " " + r.get("error_text"))
                .containsExactly("1 failed no answer from 127.0.0.1 within 3000 ms (ecombi.delivery.timeout-ms)", "2 sent null");
        // the stalled attempt reached the receiver too: same key, so the receiver can drop the repeat
        assertThat(slack).hasSize(2);
        assertThat(slack).extracting(Received::key).containsOnly("default-run" + id + "-slack");
        String text = JSON.readTree(slack.get(1).body()).get("text").asText();
        assertThat(text).contains("run " + id + " failed").contains("negative_values_on_completed_orders");
        // no secret in what was stored or sent
        for (Map<String, Object> a : Sql.rows(rt.database().dataSource(), "SELECT coalesce(error_text, '') AS e FROM bi.delivery_attempts")) {
            assertThat(String.valueOf(a.get("e"))).doesNotContain("/slack/T000").doesNotContain("/hook/abc").doesNotContain(SMTP_PASSWORD);
        }
        assertThat(text).doesNotContain("/slack/T000");
    }

    /**
     * A process that stopped mid-delivery (kill -9, power cut) left two deliveries 'sending': the
     * webhook between attempts (nothing under way) is resumed with the same bytes and key; the e-mail
     * during an attempt (it may have arrived) is not sent again by itself but marked interrupted, and
     * `deliver` sends it on purpose, the same message. A delivery this process is sending is left alone.
     */
    @Test
    @Order(4)
    void deliveriesAStoppedProcessLeftSendingAreResumedOrInterruptedAndSentAgainOnPurpose() throws Exception {
        javax.sql.DataSource ds = rt.database().dataSource();
        long id = succeeded.id();
        hookScript = new int[0];   // the receiver answers 200 from now on
        int hooks = hook.size(), mails = mail.getReceivedMessages().length;
        String firstBody = hook.get(2).body();
        Sql.exec(ds, "UPDATE bi.deliveries SET status = 'sending', finished_at = NULL, in_flight = NULL, claimed_by = 'ecombi/1',"
                + " touched_at = now() - interval '1 hour' WHERE run_id = " + id + " AND channel = 'webhook'");
        Sql.exec(ds, "UPDATE bi.deliveries SET status = 'sending', finished_at = NULL, in_flight = 2, claimed_by = 'ecombi/1',"
                + " touched_at = now() - interval '1 hour' WHERE run_id = " + id + " AND channel = 'email'");
        // one this process claimed a moment ago (its own application_name): under way, not left
        Sql.exec(ds, "INSERT INTO bi.deliveries (run_id, channel, mode, status) VALUES (" + id + ", 'slack', 'alert', 'sending')");

        DeliveryStep step = rt.camelContext().getRegistry().lookupByNameAndType("delivery", DeliveryStep.class);
        assertThat(step.recover()).isEqualTo(2);

        assertThat(deliveries(id)).extracting(r -> r.get("channel") + " " + r.get("status") + " " + r.get("attempts"))
                .containsExactly("email interrupted 2", "slack sending 0", "webhook sent 4");
        assertThat(hook).hasSize(hooks + 1);
        assertThat(hook.get(hooks).key()).isEqualTo("default-run" + id + "-webhook");
        assertThat(hook.get(hooks).body()).isEqualTo(firstBody);
        assertThat(attempts(id, "email")).extracting(r -> r.get("attempt") + " " + r.get("outcome"))
                .containsExactly("1 sent", "2 interrupted");
        assertThat(String.valueOf(attempts(id, "email").get(1).get("error_text"))).contains("stopped during attempt 2").contains("not known");
        assertThat(mail.getReceivedMessages()).hasSize(mails);
        Sql.exec(ds, "DELETE FROM bi.deliveries WHERE run_id = " + id + " AND channel = 'slack'");

        // on purpose: the interrupted e-mail goes, the same message; the webhook was sent, so not without --again
        assertThat(step.resend(id, null, false)).containsExactly("email: sent", "webhook: sent before: not sent again (--again sends it anyway)");
        assertThat(mail.waitForIncomingEmail(10_000, mails + 2)).isTrue();
        MimeMessage resent = mail.getReceivedMessages()[mails];
        assertThat(resent.getHeader("X-Ecombi-Delivery")[0]).isEqualTo("default-run" + id + "-email");
        assertThat(resent.getSubject()).isEqualTo(mail.getReceivedMessages()[0].getSubject());
        assertThat(deliveries(id)).extracting(r -> r.get("channel") + " " + r.get("status") + " " + r.get("attempts"))
                .containsExactly("email sent 3", "webhook sent 4");
        assertThat(step.resend(id, "webhook", true)).containsExactly("webhook: sent");
        assertThat(hook).hasSize(hooks + 2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> step.resend(id + 1000, null, false)).hasMessageContaining("has no delivery");

        // the command line does the same from a process of its own; a run without deliveries is a usage error
        Map<String, String> env = Map.of("ECOMBI_WEBHOOK_URL", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook/abc");
        List<String> args = new ArrayList<>(List.of("deliver", "--run", String.valueOf(id), "--channel", "webhook", "--again"));
        for (Map.Entry<String, String> e : TestRuntime.overrides(url, work.resolve("cli")).entrySet()) args.addAll(List.of("--set", e.getKey() + "=" + e.getValue()));
        args.addAll(List.of("--set", "ecombi.delivery.webhook.mode=digest", "--set", "ecombi.db.user=" + TestDatabase.user()));
        try (io.ecombi.testing.EcombiProcess p = io.ecombi.testing.EcombiProcess.start(work.resolve("deliver.log"), env, args.toArray(String[]::new))) {
            assertThat(p.awaitExit(java.time.Duration.ofSeconds(90))).as(p.output()).isZero();
            assertThat(p.output()).contains("run " + id + " webhook: sent");
        }
        assertThat(hook).hasSize(hooks + 3);
        assertThat(hook.get(hooks + 2).body()).isEqualTo(firstBody);
        args.set(2, String.valueOf(id + 1000));
        try (io.ecombi.testing.EcombiProcess p = io.ecombi.testing.EcombiProcess.start(work.resolve("deliver2.log"), env, args.toArray(String[]::new))) {
            assertThat(p.awaitExit(java.time.Duration.ofSeconds(90))).as(p.output()).isEqualTo(2);
            assertThat(p.output()).contains("has no delivery");
        }
    }
}
