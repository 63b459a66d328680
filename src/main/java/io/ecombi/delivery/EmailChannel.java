package io.ecombi.delivery;

import io.ecombi.chart.ChartFile;
import io.ecombi.report.Dashboard;
import io.ecombi.run.PipelineRun;
import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mail.MailEndpoint;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * E-mail over SMTP with camel-mail: an HTML body laid out by templates/mail/digest.ftlh from the
 * page's own model (the executive summary and the headline cards inside the message), the charts
 * named in ecombi.delivery.email.charts as inline images (Content-ID = the chart's name), the
 * recipients from ecombi.delivery.email.to. The password comes from ECOMBI_SMTP_PASSWORD and is set
 * on the endpoint, never written into its URI (which Camel may log).
 */
final class EmailChannel implements Channel {
    private final CamelContext context;
    private final Dashboard dashboard;
    private final Path template;
    private final String from;
    private final List<String> to;
    private final List<String> charts;
    private final String uri;
    private final String user;
    private final String password;
    private final boolean starttls;
    private final int timeoutMs;
    private volatile MailEndpoint endpoint;

    EmailChannel(CamelContext context, Dashboard dashboard, io.ecombi.Settings s, String password) {
        this.context = context;
        this.dashboard = dashboard;
        this.template = s.path("ecombi.delivery.email.template");
        this.from = s.get("ecombi.delivery.email.from");
        this.to = split(s.get("ecombi.delivery.email.to"));
        this.charts = split(s.get("ecombi.delivery.email.charts"));
        this.timeoutMs = s.getInt("ecombi.delivery.timeout-ms");
        this.uri = "smtp://" + s.get("ecombi.delivery.email.smtp-host") + ":" + s.get("ecombi.delivery.email.smtp-port")
                + "?connectionTimeout=" + timeoutMs;
        this.user = s.get("ecombi.delivery.email.smtp-user");
        this.password = password;
        this.starttls = s.getBoolean("ecombi.delivery.email.starttls");
        if (to.isEmpty()) throw new IllegalStateException("ecombi.delivery.email.to is empty: e-mail delivery needs at least one recipient");
    }

    static List<String> split(String v) {
        List<String> out = new ArrayList<>();
        if (v != null) for (String x : v.split(",")) if (!x.isBlank()) out.add(x.trim());
        return out;
    }

    @Override
    public String name() { return "email"; }

    @Override
    public byte[] render(Delivery d, PipelineRun run, String key) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        message(d, run, key).writeTo(out);
        return out.toByteArray();
    }

    /** The message as rendered: to the recipients it names, with its inline charts. */
    @Override
    public void send(byte[] payload, String key) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), new java.io.ByteArrayInputStream(payload));
        ProducerTemplate producer = context.createProducerTemplate();
        try {
            org.apache.camel.Exchange result = producer.send(endpoint(), ex -> ex.getMessage().setBody(message));
            if (result.getException() != null) {
                Throwable e = result.getException();
                throw new HttpPost.DeliveryFailed("SMTP " + uri.substring(0, uri.indexOf('?')) + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
            }
        } finally {
            producer.stop();
        }
    }

    private MailEndpoint endpoint() {
        if (endpoint == null) {
            MailEndpoint ep = context.getEndpoint(uri, MailEndpoint.class);
            if (user != null) ep.getConfiguration().setUsername(user);
            if (password != null) ep.getConfiguration().setPassword(password);
            Properties p = new Properties();
            p.setProperty("mail.smtp.timeout", String.valueOf(timeoutMs));
            p.setProperty("mail.smtp.writetimeout", String.valueOf(timeoutMs));
            if (starttls) p.setProperty("mail.smtp.starttls.enable", "true");
            ep.getConfiguration().setAdditionalJavaMailProperties(p);
            endpoint = ep;
        }
        return endpoint;
    }

    /** The message: multipart/related, the HTML first, then each inline chart with its Content-ID. */
    MimeMessage message(Delivery d, PipelineRun run, String key) throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
        m.setFrom(new InternetAddress(from));
        for (String r : to) m.addRecipient(Message.RecipientType.TO, new InternetAddress(r));
        m.setSubject(subject(d), StandardCharsets.UTF_8.name());
        // one delivery, one message id: a mail server or client that sees a repeat can tell
        m.setHeader("X-Ecombi-Delivery", key);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("delivery", d);
        List<Map<String, Object>> inline = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        if (!"failed".equals(d.status())) {
            for (ChartFile c : run.charts()) {
                String name = c.file().getFileName().toString().replaceFirst("\\.png$", "");
                if (charts.contains(name) && Files.isRegularFile(c.file())) {
                    inline.add(Map.of("cid", name, "title", c.title(), "alt", c.altText() == null ? c.title() : c.altText()));
                    files.add(c.file());
                }
            }
        }
        extra.put("inlineCharts", inline);
        String html = "failed".equals(d.status()) ? dashboard.renderFailed(run, template, extra) : dashboard.render(run, template, extra);
        MimeMultipart related = new MimeMultipart("related");
        MimeBodyPart body = new MimeBodyPart();
        body.setText(html, StandardCharsets.UTF_8.name(), "html");
        related.addBodyPart(body);
        for (int i = 0; i < files.size(); i++) {
            MimeBodyPart img = new MimeBodyPart();
            img.setDataHandler(new DataHandler(new FileDataSource(files.get(i).toFile())));
            img.setHeader("Content-Type", "image/png");
            img.setContentID("<" + inline.get(i).get("cid") + ">");
            img.setDisposition(MimeBodyPart.INLINE);
            img.setFileName(files.get(i).getFileName().toString());
            related.addBodyPart(img);
        }
        m.setContent(related);
        m.saveChanges();
        return m;
    }

    static String subject(Delivery d) {
        if ("failed".equals(d.status())) return "ecombi " + d.shop() + ": run " + d.runId() + " failed";
        return "ecombi " + d.shop() + ": " + (d.alert() ? "ALERT " : "") + "results as of " + d.asOf() + " (run " + d.runId() + ")";
    }
}
