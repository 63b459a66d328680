package io.ecombi.summary;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ecombi.EcombiRuntime;
import io.ecombi.run.PipelineRun;
import io.ecombi.summary.ClaudeStubServer.Reply;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The summary step against a local server that enforces the Claude API contract. */
class ExecutiveSummaryTest {
    /** Grounded in the fixture: 12-month revenue 40 + 220 + 180 + 20 = 460; June revenue 20. */
    static final String GROUNDED = "## Revenue\nRevenue over the last 12 months was $460, with June at $20.00.\n\n## Recommended actions\n1. Keep going.";

    @TempDir
    static Path work;
    static ClaudeStubServer claude;
    static EcombiRuntime rt;
    static final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        claude = new ClaudeStubServer();
        Map<String, String> o = TestRuntime.overrides(TestDatabase.newDatabase(), work);
        o.put("ecombi.claude.base-url", claude.baseUrl());
        o.put("ecombi.claude.timeout-ms", "1500");
        o.put("ecombi.claude.circuit.window", "1000");          // these tests look at single calls, not the breaker
        o.put("ecombi.claude.circuit.minimum-calls", "1000");
        rt = TestRuntime.start(o, Map.of("ANTHROPIC_API_KEY", ClaudeStubServer.KEY));
        Sql.loadKpiFixture(rt.database().dataSource());
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        ((Logger) LoggerFactory.getLogger("io.ecombi")).setLevel(ch.qos.logback.classic.Level.DEBUG);
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        if (rt != null) rt.close();
        if (claude != null) claude.close();
    }

    int before;

    @BeforeEach
    void mark() {
        before = claude.requests().size();
    }

    PipelineRun run() throws Exception {
        Exchange result = rt.runOnce("test", LocalDate.of(2026, 6, 30));
        assertThat(result.getException()).as("the summary step never fails the run").isNull();
        return EcombiRuntime.runOf(result);
    }

    List<ClaudeStubServer.Recorded> calls() {
        List<ClaudeStubServer.Recorded> all = claude.requests();
        return all.subList(before, all.size());
    }

    static String summary(PipelineRun run) throws Exception {
        return Files.readString(run.dir().resolve("executive_summary.md"));
    }

    static Map<String, Object> record(PipelineRun run) {
        return Sql.rows(rt.database().dataSource(), "SELECT * FROM bi.run_summaries WHERE run_id = ?", run.id()).get(0);
    }

    @Test
    void successSendsTheContractsRequestAndWritesClaudesTextThroughTheFileEndpoint() throws Exception {
        claude.enqueue(Reply.text(GROUNDED));
        PipelineRun run = run();

        assertThat(calls()).hasSize(1);
        ClaudeStubServer.Recorded req = calls().get(0);
        assertThat(req.answeredStatus()).isEqualTo(200);
        assertThat(req.headers()).containsEntry("anthropic-version", "2023-06-01").containsKey("x-api-key");
        // nothing of the exchange leaks upstream: no ecombi or Camel headers
        assertThat(req.headers().keySet()).noneMatch(h -> h.startsWith("ecombi") || h.startsWith("camel") || h.equals("asof") || h.equals("runid"));
        assertThat(req.body()).contains("\"model\":\"claude-sonnet-4-5\"").contains("\"system\":").contains("\"role\":\"user\"")
                .contains("# Shop figures as of 2026-06-30");
        String md = summary(run);
        assertThat(md).startsWith("# Executive summary").contains("*Written by Claude (claude-sonnet-4-5, request req_")
                .contains("Revenue over the last 12 months was $460").contains("## Figures checked").contains("2 of 2 figures");
        assertThat(work.resolve("reports/default/executive_summary.md")).hasContent(md.strip());
        assertThat(Files.readString(work.resolve("reports/default/index.html"))).contains("<h2>Executive summary</h2>").contains("Revenue over the last 12 months was $460");
        Map<String, Object> rec = record(run);
        assertThat(rec).containsEntry("writer", "claude").containsEntry("attempts", 1).containsEntry("input_tokens", 1234)
                .containsEntry("output_tokens", 567).containsEntry("figures_unmatched", 0);
        assertThat((String) rec.get("request_id")).startsWith("req_");
    }

    @Test
    void a429WithRetryAfterIsWaitedOutThenSucceeds() throws Exception {
        claude.enqueue(Reply.error(429, "rate_limit_error", Map.of("retry-after", "1")), Reply.text(GROUNDED));
        PipelineRun run = run();

        assertThat(calls()).extracting(ClaudeStubServer.Recorded::answeredStatus).containsExactly(429, 200);
        long waitedMs = (calls().get(1).arrivedNanos() - calls().get(0).arrivedNanos()) / 1_000_000;
        assertThat(waitedMs).as("retry-after: 1 second honoured").isBetween(1000L, 2500L);
        assertThat(summary(run)).contains("Written by Claude");
        assertThat(record(run)).containsEntry("attempts", 2);
    }

    @Test
    void overloadedThreeTimesFallsBackWithTheReasonAfterBackingOff() throws Exception {
        Reply overloaded = Reply.error(529, "overloaded_error", Map.of());
        claude.enqueue(overloaded, overloaded, overloaded);
        PipelineRun run = run();

        assertThat(calls()).hasSize(3);
        long first = (calls().get(1).arrivedNanos() - calls().get(0).arrivedNanos()) / 1_000_000;
        long second = (calls().get(2).arrivedNanos() - calls().get(1).arrivedNanos()) / 1_000_000;
        // backoff min(0.5 * 2^n, 8) s times [0.75, 1]: 375-500 ms, then 750-1000 ms (plus scheduling slack)
        assertThat(first).isBetween(375L, 900L);
        assertThat(second).isBetween(750L, 1500L);
        String md = summary(run);
        assertThat(md).contains("*Written offline: Claude unavailable: 529 overloaded_error after 3 attempts").contains("## Recommended actions");
        assertThat(record(run)).containsEntry("writer", "offline").containsEntry("attempts", 3);
    }

    @Test
    void aServerErrorThatSaysDoNotRetryIsNotRetried() throws Exception {
        claude.enqueue(Reply.error(500, "api_error", Map.of("x-should-retry", "false")));
        PipelineRun run = run();

        assertThat(calls()).hasSize(1);
        assertThat(summary(run)).contains("Claude unavailable: 500 api_error after 1 attempt (not retryable)");
    }

    @Test
    void anAuthenticationErrorIsNotRetriedAndTheKeyIsNeverLoggedOrWritten() throws Exception {
        claude.enqueue(Reply.error(401, "authentication_error", Map.of()));
        logs.list.clear();
        PipelineRun run = run();

        assertThat(calls()).hasSize(1);
        assertThat(summary(run)).contains("Claude unavailable: 401 authentication_error after 1 attempt (not retryable)");
        assertThat(logs.list).anyMatch(e -> e.getFormattedMessage().contains("401 authentication_error"));
        assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains(ClaudeStubServer.KEY)
                || (e.getThrowableProxy() != null && String.valueOf(e.getThrowableProxy().getMessage()).contains(ClaudeStubServer.KEY)));
        assertThat(summary(run)).doesNotContain(ClaudeStubServer.KEY);
        assertThat(Files.readString(run.dir().resolve("index.html"))).doesNotContain(ClaudeStubServer.KEY);
        assertThat(record(run).toString()).doesNotContain(ClaudeStubServer.KEY);
    }

    @Test
    void aSlowAnswerBeyondTheTimeoutCountsAsAFailedAttempt() throws Exception {
        Reply slow = Reply.text(GROUNDED).delayed(3000);
        claude.enqueue(slow, slow, slow);
        PipelineRun run = run();

        assertThat(calls()).hasSize(3);
        assertThat(summary(run)).contains("Claude unavailable: no answer").contains("after 3 attempts");
    }

    @Test
    void anAnswerCutOffAtMaxTokensIsMarked() throws Exception {
        claude.enqueue(Reply.message(List.of(Map.of("type", "text", "text", GROUNDED)), "max_tokens"));
        PipelineRun run = run();

        assertThat(summary(run)).contains("> Cut off: the answer reached the token limit").contains("Written by Claude");
        assertThat(record(run)).containsEntry("stop_reason", "max_tokens");
    }

    @Test
    void aNonTextBlockBeforeTheTextIsSkipped() throws Exception {
        claude.enqueue(Reply.message(List.of(Map.of("type", "thinking", "thinking", "secret reasoning 123,456"),
                Map.of("type", "text", "text", GROUNDED)), "end_turn"));
        PipelineRun run = run();

        assertThat(summary(run)).contains("Revenue over the last 12 months was $460").doesNotContain("secret reasoning");
    }

    @Test
    void anInventedFigureIsListedUnderFiguresChecked() throws Exception {
        claude.enqueue(Reply.text(GROUNDED + "\n2. Revenue will reach $987,654 next year."));
        PipelineRun run = run();

        String md = summary(run);
        assertThat(md).contains("2 of 3 figures in this summary were found in the data").contains("- $987,654");
        assertThat(record(run)).containsEntry("figures_checked", 3).containsEntry("figures_unmatched", 1);
    }

    @Test
    void aClaimOfDoublingWithoutAPriorYearIsFlaggedLikeAWrongFigure() throws Exception {
        // the fixture's first sale is on 2025-06-15, after 2024-07-01 where the 12 months before the window start:
        // kpi_cards says the previous window is not comparable, so no sentence may say how revenue changed
        claude.enqueue(Reply.text("## Revenue\nNet revenue doubled over the last 12 months, to $445.\n\n## Recommended actions\n1. Keep going."));
        PipelineRun run = run();

        assertThat(calls().get(0).body()).doesNotContain("- net_revenue_change_pct").doesNotContain("- net_revenue_prev_12m");
        String md = summary(run);
        assertThat(md).contains("1 of 1 figures in this summary were found in the data")   // $445; "12 months" is a period, checked by the period check
                .contains("0 of 1 claims of change without figures (grew, fell, doubled, record, ...) match the data's comparisons.")
                .contains("Claims of change that the data does not support (treat with care):\n\n- \"Net revenue doubled\": no like-for-like comparison: "
                        + "the data starts on 2025-06-15, so it does not cover the 12 months before 2025-07-01 in full");
        // counted with the figures: 2 figures and 1 claim checked, the claim not supported
        assertThat(record(run)).containsEntry("figures_checked", 2).containsEntry("figures_unmatched", 1);
        // the page shows the same flag
        assertThat(Files.readString(run.dir().resolve("index.html"))).contains("Claims of change that the data does not support");
    }

    @Test
    void rawHtmlFromTheModelIsTextInTheMarkdownFile() throws Exception {
        claude.enqueue(Reply.text(GROUNDED + "\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> and `<b>` in code"));
        PipelineRun run = run();

        String md = summary(run);
        assertThat(md).doesNotContain("<script").doesNotContain("<img").contains("&lt;script>alert(1)&lt;/script>")
                .contains("&lt;img src=x onerror=alert(1)>").contains("`<b>`");
        // opened in a Markdown viewer that renders HTML: nothing runs, the reader sees the text
        org.jsoup.nodes.Document viewed = SafeMarkdownTest.viewed(md);
        SafeMarkdownTest.assertInert(viewed);
        assertThat(viewed.text()).contains("<script>alert(1)</script>").contains("<img src=x onerror=alert(1)>");
        // the page and the file read the same text
        assertThat((String) run.get("summaryMarkdown")).contains("&lt;script>alert(1)&lt;/script>");
        org.jsoup.nodes.Document page = org.jsoup.Jsoup.parse(run.dir().resolve("index.html").toFile(), "UTF-8");
        assertThat(page.select("div.summary script, div.summary img")).isEmpty();
        assertThat(page.select("div.summary").text()).contains("<script>alert(1)</script>");
    }

    @Test
    void aRefusalFallsBackToTheOfflineSummary() throws Exception {
        claude.enqueue(Reply.message(List.of(Map.of("type", "text", "text", "I can't help with that.")), "refusal"));
        PipelineRun run = run();

        assertThat(summary(run)).contains("Claude unavailable: Claude declined to answer (stop_reason refusal)");
    }
}
