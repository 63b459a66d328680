package io.ecombi.summary;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

/**
 * The summaries in bi.run_summaries: one row a run (who wrote it and why, the Claude call's model,
 * request, tokens and attempts, the figures checked, and the headline as jsonb), and the headline
 * of the last succeeded run before this one. Neither ever fails the run: a database problem is logged.
 */
final class SummaryStore {
    private static final Logger LOG = LoggerFactory.getLogger(SummaryStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource ds;
    /** The model asked for: recorded when the answer names none. */
    private final String model;

    SummaryStore(DataSource ds, String model) {
        this.ds = ds;
        this.model = model;
    }

    /**
     * The run's summary row. {@code call} is null when no call was made; {@code reason} says why
     * Claude did not write it (null when it did); the figure counts are null for an offline summary.
     */
    void record(long runId, boolean byClaude, String reason, ClaudeCall call, String prompt, Integer figuresChecked, Integer figuresUnmatched,
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
        } catch (SQLException | JsonProcessingException e) {
            LOG.warn("could not record the summary of run {}: {}", runId, e.getMessage());
        }
    }
}
