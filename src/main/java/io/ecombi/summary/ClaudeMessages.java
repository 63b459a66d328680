package io.ecombi.summary;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecombi.Settings;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * Claude's Messages API as the summary speaks it, without the transport: the request body and
 * headers, what an answer or an error says (read into a {@link ClaudeCall}), and whether and when
 * to try again, by the official SDKs' rules (408, 409, 429 and 5xx are retried, x-should-retry
 * overrides; the server's retry-after when sensible, else an exponential backoff with jitter).
 */
final class ClaudeMessages {
    static final String API_VERSION = "2023-06-01";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Integer> RETRY_STATUSES = List.of(408, 409, 429);

    private final String apiKey;
    private final String model;
    private final int maxTokens;
    private final double temperature;
    private final int maxAttempts;
    private final long maxServerWaitMs;

    ClaudeMessages(Settings s) {
        this.apiKey = s.secret("ANTHROPIC_API_KEY");
        this.model = s.get("ecombi.claude.model");
        this.maxTokens = s.getInt("ecombi.claude.max-tokens");
        this.temperature = s.getDouble("ecombi.claude.temperature");
        this.maxAttempts = Math.max(1, s.getInt("ecombi.claude.max-attempts"));
        this.maxServerWaitMs = s.getInt("ecombi.claude.max-retry-after-seconds") * 1000L;
    }

    /** Whether there is a key to call Claude with. */
    boolean hasKey() {
        return apiKey != null;
    }

    /** The model asked for (an answer names the model that wrote it). */
    String model() {
        return model;
    }

    int maxAttempts() {
        return maxAttempts;
    }

    /** The request body: the system prompt and one user message. */
    String request(String prompt) throws JsonProcessingException {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        body.put("max_tokens", maxTokens);
        body.put("temperature", temperature);
        body.put("system", Prompt.SYSTEM);
        body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        return JSON.writeValueAsString(body);
    }

    /** The request headers the contract asks for, the key among them. */
    Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("x-api-key", apiKey);
        h.put("anthropic-version", API_VERSION);
        h.put("content-type", "application/json");
        return h;
    }

    /** An attempt that got no answer (connection refused, reset, timed out): retryable, after the backoff. */
    boolean noAnswer(ClaudeCall call, String error) {
        call.problem = "no answer (" + error + ")";
        call.nextWaitMs = backoff(call.attempts - 1);
        return true;
    }

    /**
     * An attempt's HTTP answer, read into the call: its text when usable (then {@link ClaudeCall#succeeded()}),
     * else the problem and the wait before the next attempt. Returns whether the attempt may be retried.
     * {@code header} gives a response header's value by name, or null.
     */
    boolean answered(ClaudeCall call, int status, String body, UnaryOperator<String> header) {
        String requestId = header.apply("request-id");
        if (requestId != null) call.requestId = requestId;
        boolean retryable;
        if (status == 200) {
            readAnswer(call, body);
            if (call.text != null) return false;
            retryable = false;
        } else {
            call.problem = status + " " + errorType(body);
            retryable = RETRY_STATUSES.contains(status) || status >= 500;
        }
        String shouldRetry = header.apply("x-should-retry");
        if ("true".equalsIgnoreCase(shouldRetry)) retryable = true;
        if ("false".equalsIgnoreCase(shouldRetry)) retryable = false;
        call.nextWaitMs = serverWait(header.apply("retry-after-ms"), header.apply("retry-after")).orElse(backoff(call.attempts - 1));
        return retryable;
    }

    /** Whether a failed attempt is followed by another: retryable, and attempts left. */
    boolean tryAgain(ClaudeCall call, boolean retryable) {
        return retryable && call.attempts < maxAttempts;
    }

    /** Why Claude gave no usable answer, once there is no attempt left (never holding the key). */
    static ClaudeUnavailableException unavailable(ClaudeCall call, boolean retryable) {
        return new ClaudeUnavailableException(call.problem + " after " + call.attempts + (call.attempts == 1 ? " attempt" : " attempts")
                + (retryable ? "" : " (not retryable)"));
    }

    /** A 200 answer: its text blocks joined, stop reason, model and usage; a refusal or no text is a problem. */
    static void readAnswer(ClaudeCall call, String body) {
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

    /** An error answer's error.type, else "error". */
    static String errorType(String body) {
        try {
            JsonNode err = JSON.readTree(body).path("error");
            String type = err.path("type").asText("");
            return type.isEmpty() ? "error" : type;
        } catch (Exception e) {
            return "error";
        }
    }

    /** retry-after-ms, else retry-after (seconds or an HTTP date), when sensible (0 to the configured maximum). */
    Optional<Long> serverWait(String ms, String after) {
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
        return wait != null && wait >= 0 && wait <= maxServerWaitMs ? Optional.of(wait) : Optional.empty();
    }

    /** min(0.5 * 2^n, 8) seconds, times a random factor in [0.75, 1]. */
    static long backoff(int retry) {
        double seconds = Math.min(0.5 * Math.pow(2, retry), 8.0);
        return Math.round(seconds * 1000 * (1 - 0.25 * ThreadLocalRandom.current().nextDouble()));
    }
}
