package io.ecombi.summary;

import io.ecombi.Settings;
import io.ecombi.run.ErrorText;
import io.ecombi.run.PipelineRun;
import io.ecombi.run.Stage;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.util.List;
import java.util.Map;

/**
 * The executive-summary step (route executive-summary): builds the prompt, has the route speak the
 * Claude Messages API over the Camel HTTP component ({@link ClaudeMessages}: the request, the answer,
 * the retry rules), checks the figures of the answer, and falls back to the offline narrative when
 * there is no key, the circuit is open or Claude fails. The summary is kept in bi.run_summaries
 * ({@link SummaryStore}). It never fails the run.
 */
public final class SummaryStep {
    public static final String CALL_PROPERTY = "claudeCall";
    static final String ONLINE_PROPERTY = "summaryOnline";
    static final String RETRY_PROPERTY = "claudeRetry";
    static final String CONNECTION_ERROR_PROPERTY = "claudeConnectionError";
    private static final String REQUEST_PROPERTY = "claudeRequest";
    private static final String PROMPT_PROPERTY = "summaryPrompt";
    private static final String REASON_PROPERTY = "summaryOfflineReason";
    private static final String STAGE_PROPERTY = "ecombiSummaryStage";
    private static final String HEADLINE_PROPERTY = "summaryHeadline";
    /** What the step puts on the run: the summary's Markdown without its title (the dashboard section), and who wrote it. */
    public static final String MARKDOWN_KEY = "summaryMarkdown";
    public static final String WRITER_KEY = "summaryWriter";
    private static final Logger LOG = LoggerFactory.getLogger(SummaryStep.class);

    private final ClaudeMessages claude;
    private final SummaryStore store;
    private final String defaultCurrency;
    private final int promptRows;

    public SummaryStep(DataSource ds, Settings s) {
        this.claude = new ClaudeMessages(s);
        this.store = new SummaryStore(ds, claude.model());
        this.defaultCurrency = s.get("ecombi.report.currency");
        this.promptRows = s.getInt("ecombi.claude.prompt-table-rows");
    }

    public void prepare(Exchange exchange) throws Exception {
        PipelineRun run = run(exchange);
        exchange.setProperty(STAGE_PROPERTY, run.beginStage("executive summary"));
        Map<String, Object> headline = Headline.of(run);
        String prompt = Prompt.user(run, headline, currency(run), promptRows);
        exchange.setProperty(HEADLINE_PROPERTY, headline);
        exchange.setProperty(PROMPT_PROPERTY, prompt);
        LOG.info("run {} | summary prompt: {} characters, about {} tokens (system prompt {} characters)", run.id(), prompt.length(),
                (prompt.length() + Prompt.SYSTEM.length()) / 4, Prompt.SYSTEM.length());
        if (!claude.hasKey()) {
            offline(exchange, "no API key configured (set ANTHROPIC_API_KEY to have Claude write it)");
            return;
        }
        String request = claude.request(prompt);
        exchange.getMessage().setBody(request);
        exchange.setProperty(REQUEST_PROPERTY, request);
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
        claude.headers().forEach(exchange.getMessage()::setHeader);
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
        exchange.getMessage().setBody(exchange.getProperty(REQUEST_PROPERTY, String.class));
    }

    /** After each attempt: a usable answer, a retry after the right wait, or (last attempt, or not retryable) a failure. */
    public void afterAttempt(Exchange exchange) throws Exception {
        exchange.getMessage().removeHeader("x-api-key");
        ClaudeCall call = exchange.getProperty(CALL_PROPERTY, ClaudeCall.class);
        String connectionError = exchange.getProperty(CONNECTION_ERROR_PROPERTY, String.class);
        boolean retryable = connectionError != null ? claude.noAnswer(call, connectionError)
                : claude.answered(call, exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class),
                        exchange.getMessage().getBody(String.class), name -> exchange.getMessage().getHeader(name, String.class));
        if (call.succeeded()) {
            exchange.setProperty(RETRY_PROPERTY, false);
            return;
        }
        if (claude.tryAgain(call, retryable)) {
            LOG.warn("Claude attempt {} of {}: {}; retrying in {} ms", call.attempts, claude.maxAttempts(), call.problem, call.nextWaitMs);
            exchange.setProperty(RETRY_PROPERTY, true);
            return;
        }
        exchange.setProperty(RETRY_PROPERTY, false);
        throw ClaudeMessages.unavailable(call, retryable);
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
        run.put(MARKDOWN_KEY, text.replaceFirst("^# Executive summary\\s*", ""));
        run.put(WRITER_KEY, byClaude ? "claude" : "offline");
        // Claude calls made, retries included: the metrics count them (io.ecombi.metrics.RunMetrics)
        if (call != null) run.put("claudeAttempts", call.attempts);
        // a claim of change that the data does not support counts as a figure not found
        Integer checked = figures == null ? null : figures.checked() + changes.checked();
        Integer unmatched = figures == null ? null : figures.unmatched().size() + changes.unmatched().size();
        store.record(run.id(), byClaude, byClaude ? null : reason, call, exchange.getProperty(PROMPT_PROPERTY, String.class), checked, unmatched, headline);
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

    private static PipelineRun run(Exchange exchange) {
        return exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
    }
}
