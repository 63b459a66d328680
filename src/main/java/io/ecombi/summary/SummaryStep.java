package io.ecombi.summary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecombi.Settings;
import io.ecombi.run.ErrorText;
import io.ecombi.run.PipelineRun;
import io.ecombi.run.Stage;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The executive-summary step (route executive-summary): builds the prompt, speaks the Claude
 * Messages API over the Camel HTTP component with the official SDKs' retry rules, checks the
 * figures of the answer, and falls back to the offline narrative when there is no key, the
 * circuit is open or Claude fails. It never fails the run.
 */
public final class SummaryStep {
    public static final String CALL_PROPERTY = "claudeCall";
    static final String ONLINE_PROPERTY = "summaryOnline";
    static final String RETRY_PROPERTY = "claudeRetry";
    static final String CONNECTION_ERROR_PROPERTY = "claudeConnectionError";
    private static final String PROMPT_PROPERTY = "summaryPrompt";
    private static final String REASON_PROPERTY = "summaryOfflineReason";
    private static final String STAGE_PROPERTY = "ecombiSummaryStage";
    private static final String HEADLINE_PROPERTY = "summaryHeadline";
    private static final String PREVIOUS_PROPERTY = "summaryPrevious";
    private static final Logger LOG = LoggerFactory.getLogger(SummaryStep.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Integer> RETRY_STATUSES = List.of(408, 409, 429);

    private final DataSource ds;
    private final String apiKey;
    private final String model;
    private final int maxTokens;
    private final double temperature;
    private final int maxAttempts;
    private final long maxServerWaitMs;
    private final String defaultCurrency;
    private final int promptRows;

    public SummaryStep(DataSource ds, Settings s) {
        this.ds = ds;
        this.apiKey = s.secret("ANTHROPIC_API_KEY");
        this.model = s.get("ecombi.claude.model");
        this.maxTokens = s.getInt("ecombi.claude.max-tokens");
        this.temperature = s.getDouble("ecombi.claude.temperature");
        this.maxAttempts = Math.max(1, s.getInt("ecombi.claude.max-attempts"));
        this.maxServerWaitMs = s.getInt("ecombi.claude.max-retry-after-seconds") * 1000L;
        this.defaultCurrency = s.get("ecombi.report.currency");
        this.promptRows = s.getInt("ecombi.claude.prompt-table-rows");
    }

    public void prepare(Exchange exchange) throws Exception {
        PipelineRun run = run(exchange);
        exchange.setProperty(STAGE_PROPERTY, run.beginStage("executive summary"));
        Map<String, Object> headline = Headline.of(run);
        Map<String, Object> previous = previousHeadline(run.id());
        // a re-run for the same date has nothing to compare with
        if (previous != null && run.asOf().toString().equals(previous.get("as_of"))) previous = null;
        String prompt = Prompt.user(run, headline, previous, currency(run), promptRows);
        exchange.setProperty(HEADLINE_PROPERTY, headline);
        exchange.setProperty(PREVIOUS_PROPERTY, previous);
        exchange.setProperty(PROMPT_PROPERTY, prompt);
        LOG.info("run {} | summary prompt: {} characters, about {} tokens (system prompt {} characters)", run.id(), prompt.length(),
                (prompt.length() + Prompt.SYSTEM.length()) / 4, Prompt.SYSTEM.length());
        if (apiKey == null) {
            offline(exchange, "no API key configured (set ANTHROPIC_API_KEY to have Claude write it)");
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        body.put("max_tokens", maxTokens);
        body.put("temperature", temperature);
        body.put("system", Prompt.SYSTEM);
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "user").put("content", prompt);
        exchange.getMessage().setBody(JSON.writeValueAsString(body));
        exchange.setProperty("claudeRequest", exchange.getMessage().getBody());
        exchange.setProperty(CALL_PROPERTY, new ClaudeCall());
        exchange.setProperty(ONLINE_PROPERTY, true);
        exchange.setProperty(RETRY_PROPERTY, true);
    }

    /** Before each attempt: the wait the last answer asked for, then the contract's headers (nothing else goes upstream). */
    public void beforeAttempt(Exchange exchange) throws InterruptedException {
        ClaudeCall call = exchange.getProperty(CALL_PROPERTY, ClaudeCall.class);
        if (call.attempts > 0 && call.nextWaitMs > 0) {
            call.waitsMs.add(call.nextWaitMs);
            Thread.sleep(call.nextWaitMs);
        }
        call.attempts++;
        exchange.removeProperty(CONNECTION_ERROR_PROPERTY);
        exchange.getMessage().setHeader("x-api-key", apiKey);
        exchange.getMessage().setHeader("anthropic-version", "2023-06-01");
        exchange.getMessage().setHeader("content-type", "application/json");
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
        exchange.getMessage().setBody(exchange.getProperty("claudeRequest", String.class));
    }

    /** After each attempt: a usable answer, a retry after the right wait, or (last attempt, or not retryable) a failure. */
    public void afterAttempt(Exchange exchange) throws Exception {
        exchange.getMessage().removeHeader("x-api-key");
        ClaudeCall call = exchange.getProperty(CALL_PROPERTY, ClaudeCall.class);
        String connectionError = exchange.getProperty(CONNECTION_ERROR_PROPERTY, String.class);
        boolean retryable;
        if (connectionError != null) {
            call.status = null;
            call.problem = "no answer (" + connectionError + ")";
            retryable = true;
            call.nextWaitMs = backoff(call.attempts - 1);
        } else {
            int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
            call.status = status;
            call.requestId = exchange.getMessage().getHeader("request-id", call.requestId, String.class);
            String body = exchange.getMessage().getBody(String.class);
            if (status == 200) {
                readAnswer(call, body);
                if (call.text != null) {
                    exchange.setProperty(RETRY_PROPERTY, false);
                    return;
                }
                retryable = false;
            } else {
                call.problem = status + " " + errorType(body);
                retryable = RETRY_STATUSES.contains(status) || status >= 500;
            }
            String shouldRetry = exchange.getMessage().getHeader("x-should-retry", String.class);
            if ("true".equalsIgnoreCase(shouldRetry)) retryable = true;
            if ("false".equalsIgnoreCase(shouldRetry)) retryable = false;
            call.nextWaitMs = serverWait(exchange).orElse(backoff(call.attempts - 1));
        }
        if (retryable && call.attempts < maxAttempts) {
            LOG.warn("Claude attempt {} of {}: {}; retrying in {} ms", call.attempts, maxAttempts, call.problem, call.nextWaitMs);
            exchange.setProperty(RETRY_PROPERTY, true);
            return;
        }
        exchange.setProperty(RETRY_PROPERTY, false);
        throw new ClaudeUnavailableException(call.problem + " after " + call.attempts + (call.attempts == 1 ? " attempt" : " attempts")
                + (retryable ? "" : " (not retryable)"));
    }

    /** The circuit breaker's fallback: why Claude did not write the summary. */
    public void fallback(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        // an open circuit calls the fallback without an exception; the breaker's state says why
        Object state = exchange.getAllProperties().get("CamelCircuitBreakerState");
        String reason;
        if (e == null && state != null && !"CLOSED".equals(state.toString())) reason = "circuit open after repeated Claude failures (no call made)";
        else if (e == null) reason = "Claude unavailable";
        else if (e instanceof ClaudeUnavailableException) reason = "Claude unavailable: " + e.getMessage();
        else reason = "summary step error: " + ErrorText.of(e);
        offline(exchange, reason);
        LOG.warn("run {} | {}; writing the offline summary", run(exchange).id(), reason);
    }

    /** The markdown file's content: who wrote it and why, the text, the figures check. */
    public void write(Exchange exchange) {
        PipelineRun run = run(exchange);
        ClaudeCall call = exchange.getProperty(CALL_PROPERTY, ClaudeCall.class);
        String reason = exchange.getProperty(REASON_PROPERTY, String.class);
        @SuppressWarnings("unchecked") Map<String, Object> headline = exchange.getProperty(HEADLINE_PROPERTY, Map.class);
        @SuppressWarnings("unchecked") Map<String, Object> previous = exchange.getProperty(PREVIOUS_PROPERTY, Map.class);
        if (headline == null) headline = Headline.of(run);
        StringBuilder md = new StringBuilder("# Executive summary\n\n");
        FigureCheck.Result figures = null;
        ClaimCheck.Result changes = null;
        boolean byClaude = reason == null && call != null && call.succeeded();
        if (byClaude) {
            md.append(String.format("*Written by Claude (%s, request %s) from the figures of run %d, as of %s.*%n%n",
                    call.model, call.requestId, run.id(), run.asOf()));
            if ("max_tokens".equals(call.stopReason)) md.append("> Cut off: the answer reached the token limit and is incomplete.\n\n");
            md.append(call.text.strip()).append("\n\n");
            String prompt = exchange.getProperty(PROMPT_PROPERTY, String.class);
            figures = FigureCheck.check(call.text, prompt);
            changes = ClaimCheck.check(call.text, ClaimCheck.comparisons(headline, run));
            md.append("## Figures checked\n\n");
            md.append(String.format("%d of %d figures in this summary were found in the data it was given.%n", figures.found(), figures.checked()));
            if (changes.checked() > 0) {
                md.append(String.format("%d of %d claims of change without figures (grew, fell, doubled, record, ...) match the data's comparisons.%n",
                        changes.checked() - changes.unmatched().size(), changes.checked()));
            }
            if (!figures.unmatched().isEmpty()) {
                md.append("\nNot found in the data (treat with care):\n\n");
                for (String f : figures.unmatched()) md.append("- ").append(f).append('\n');
            }
            if (!changes.unmatched().isEmpty()) {
                md.append("\nClaims of change that the data does not support (treat with care):\n\n");
                for (String c : changes.unmatched()) md.append("- ").append(c).append('\n');
            }
            List<String> claims = FigureCheck.claims(call.text, prompt,
                    headline.get("churn_rate_pct") instanceof Number n ? n.doubleValue() : null);
            if (!claims.isEmpty()) {
                md.append("\nPeriods and rates that do not match the data (treat with care):\n\n");
                for (String c : claims) md.append("- ").append(c).append('\n');
            }
        } else {
            md.append(String.format("*Written offline: %s. Figures of run %d, as of %s.*%n%n", reason, run.id(), run.asOf()));
            md.append(OfflineSummary.write(headline, currency(run)));
        }
        // raw HTML in the model's text (or in a name from the data) stays text in any Markdown viewer
        String text = SafeMarkdown.neutralise(md.toString());
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(text);
        // the dashboard section has its own heading: leave out the file's title
        run.put("summaryMarkdown", text.replaceFirst("^# Executive summary\\s*", ""));
        run.put("summaryWriter", byClaude ? "claude" : "offline");
        // a claim of change that the data does not support counts as a figure not found
        Integer checked = figures == null ? null : figures.checked() + changes.checked();
        Integer unmatched = figures == null ? null : figures.unmatched().size() + changes.unmatched().size();
        record(run.id(), byClaude, byClaude ? null : reason, call, exchange.getProperty(PROMPT_PROPERTY, String.class), checked, unmatched, headline);
        Stage stage = exchange.getProperty(STAGE_PROPERTY, Stage.class);
        if (stage != null) {
            run.endStage(stage, -1, byClaude ? String.format("Claude, %d attempt(s), %d of %d figures found, %d of %d claims of change supported", call.attempts,
                    figures.found(), figures.checked(), changes.checked() - changes.unmatched().size(), changes.checked())
                    : "offline: " + reason);
        }
    }

    /** The run's currency symbol: the loaded data's currency, else the setting. */
    private String currency(PipelineRun run) {
        return io.ecombi.report.Formats.symbol(io.ecombi.report.Formats.currencyCode(run, defaultCurrency));
    }

    private void offline(Exchange exchange, String reason) {
        exchange.setProperty(ONLINE_PROPERTY, false);
        exchange.setProperty(REASON_PROPERTY, reason);
    }

    private static void readAnswer(ClaudeCall call, String body) {
        try {
            JsonNode root = JSON.readTree(body);
            StringBuilder text = new StringBuilder();
            for (JsonNode block : root.path("content")) {
                if ("text".equals(block.path("type").asText())) text.append(block.path("text").asText());
            }
            call.stopReason = root.path("stop_reason").asText(null);
            call.model = root.path("model").asText(null);
            JsonNode usage = root.path("usage");
            if (usage.has("input_tokens")) call.inputTokens = usage.get("input_tokens").asInt();
            if (usage.has("output_tokens")) call.outputTokens = usage.get("output_tokens").asInt();
            if ("refusal".equals(call.stopReason)) {
                call.problem = "Claude declined to answer (stop_reason refusal)";
            } else if (text.toString().isBlank()) {
                call.problem = "Claude's answer had no text (stop_reason " + call.stopReason + ")";
            } else {
                call.text = text.toString();
                call.problem = null;
            }
        } catch (Exception e) {
            call.problem = "Claude's answer was not the expected JSON: " + e.getMessage();
        }
    }

    private static String errorType(String body) {
        try {
            JsonNode err = JSON.readTree(body).path("error");
            String type = err.path("type").asText("");
            return type.isEmpty() ? "error" : type;
        } catch (Exception e) {
            return "error";
        }
    }

    /** retry-after-ms, else retry-after (seconds or an HTTP date), when sensible. */
    private java.util.Optional<Long> serverWait(Exchange exchange) {
        String ms = exchange.getMessage().getHeader("retry-after-ms", String.class);
        String after = exchange.getMessage().getHeader("retry-after", String.class);
        Long wait = null;
        try {
            if (ms != null) wait = (long) Double.parseDouble(ms.trim());
            else if (after != null) {
                try {
                    wait = (long) (Double.parseDouble(after.trim()) * 1000);
                } catch (NumberFormatException notSeconds) {
                    wait = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(after.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)).toMillis();
                }
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            wait = null;
        }
        return wait != null && wait >= 0 && wait <= maxServerWaitMs ? java.util.Optional.of(wait) : java.util.Optional.empty();
    }

    /** min(0.5 * 2^n, 8) seconds, times a random factor in [0.75, 1]. */
    static long backoff(int retry) {
        double seconds = Math.min(0.5 * Math.pow(2, retry), 8.0);
        return Math.round(seconds * 1000 * (1 - 0.25 * ThreadLocalRandom.current().nextDouble()));
    }

    private Map<String, Object> previousHeadline(long runId) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT s.headline FROM bi.run_summaries s JOIN bi.pipeline_runs r USING (run_id) "
                     + "WHERE s.run_id < ? AND r.status = 'succeeded' AND s.headline IS NOT NULL ORDER BY s.run_id DESC LIMIT 1")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return null;
                @SuppressWarnings("unchecked") Map<String, Object> m = JSON.readValue(rs.getString(1), Map.class);
                return m;
            }
        } catch (Exception e) {
            LOG.warn("could not read the previous run's headline: {}", e.getMessage());
            return null;
        }
    }

    private void record(long runId, boolean byClaude, String reason, ClaudeCall call, String prompt, Integer figuresChecked, Integer figuresUnmatched,
                        Map<String, Object> headline) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO bi.run_summaries (run_id, writer, reason, model, request_id, input_tokens, output_tokens, attempts, stop_reason, "
                        + "prompt_chars, figures_checked, figures_unmatched, headline) VALUES (?,?,?,?,?,?,?,?,?,?,?,?, CAST(? AS jsonb))")) {
            ps.setLong(1, runId);
            ps.setString(2, byClaude ? "claude" : "offline");
            ps.setString(3, reason);
            ps.setString(4, call == null ? null : call.model == null ? model : call.model);
            ps.setString(5, call == null ? null : call.requestId);
            ps.setObject(6, call == null ? null : call.inputTokens);
            ps.setObject(7, call == null ? null : call.outputTokens);
            ps.setInt(8, call == null ? 0 : call.attempts);
            ps.setString(9, call == null ? null : call.stopReason);
            ps.setObject(10, prompt == null ? null : prompt.length());
            ps.setObject(11, figuresChecked);
            ps.setObject(12, figuresUnmatched);
            ps.setString(13, JSON.writeValueAsString(headline));
            ps.executeUpdate();
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
            LOG.warn("could not record the summary of run {}: {}", runId, e.getMessage());
        }
    }

    private static PipelineRun run(Exchange exchange) {
        return exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
    }
}
