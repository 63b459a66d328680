package io.ecombi.summary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A local server that speaks and enforces the Claude Messages API contract (shared/claude-api.md):
 * it checks path, method, headers and body, answers in the API's shapes, can be scripted to fail,
 * and records every request with its arrival time. Listens on 127.0.0.1 only.
 */
final class ClaudeStubServer implements AutoCloseable {
    static final String KEY = "sk-ant-test-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> STOP_REASONS = Set.of("end_turn", "max_tokens", "stop_sequence", "tool_use", "pause_turn", "refusal");

    /** One scripted answer. */
    record Reply(int status, Map<String, String> headers, String body, long delayMs) {
        static Reply text(String text) { return message(List.of(Map.of("type", "text", "text", text)), "end_turn"); }

        static Reply message(List<Map<String, Object>> content, String stopReason) {
            if (!STOP_REASONS.contains(stopReason)) throw new IllegalArgumentException(stopReason);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", "msg_test");
            m.put("type", "message");
            m.put("role", "assistant");
            m.put("content", content);
            m.put("model", "claude-sonnet-4-5");
            m.put("stop_reason", stopReason);
            m.put("stop_sequence", null);
            m.put("usage", Map.of("input_tokens", 1234, "output_tokens", 567));
            return new Reply(200, Map.of(), write(m), 0);
        }

        static Reply error(int status, String type, Map<String, String> headers) {
            return new Reply(status, headers, write(Map.of("type", "error", "error", Map.of("type", type, "message", type + " (scripted)"),
                    "request_id", "req_err")), 0);
        }

        Reply delayed(long ms) { return new Reply(status, headers, body, ms); }
    }

    /** A request as it arrived. */
    record Recorded(long arrivedNanos, String method, String path, Map<String, String> headers, String body, int answeredStatus) {}

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());
    private volatile Reply fallback = Reply.text("## Revenue\nAll good.");
    private int requestCounter;

    ClaudeStubServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    String baseUrl() { return "http://127.0.0.1:" + server.getAddress().getPort(); }

    /** Next answers, in order; after them every request gets the default answer. */
    void enqueue(Reply... replies) { script.addAll(List.of(replies)); }

    void setDefault(Reply reply) { fallback = reply; }

    List<Recorded> requests() { return List.copyOf(requests); }

    private void handle(HttpExchange ex) throws IOException {
        long arrived = System.nanoTime();
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
        Reply reply = contractViolation(ex, headers, body);
        if (reply == null) {
            Reply next = script.poll();
            reply = next != null ? next : fallback;
        }
        requests.add(new Recorded(arrived, ex.getRequestMethod(), ex.getRequestURI().getPath(), headers, body, reply.status()));
        if (reply.delayMs() > 0) {
            try {
                Thread.sleep(reply.delayMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("content-type", "application/json");
        synchronized (this) {
            ex.getResponseHeaders().set("request-id", "req_" + (++requestCounter));
        }
        reply.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        try {
            ex.sendResponseHeaders(reply.status(), out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        } catch (IOException clientGaveUp) {
            // the client timed out first: that is what a slow-answer test wants
        }
    }

    /** The contract's checks, in its order; null when the request is fine. */
    private static Reply contractViolation(HttpExchange ex, Map<String, String> h, String body) {
        if (!ex.getRequestMethod().equals("POST") || !ex.getRequestURI().getPath().equals("/v1/messages")) {
            return Reply.error(404, "not_found_error", Map.of());
        }
        if (!KEY.equals(h.get("x-api-key"))) return Reply.error(401, "authentication_error", Map.of());
        if (!"2023-06-01".equals(h.get("anthropic-version"))) return Reply.error(400, "invalid_request_error", Map.of());
        if (h.get("content-type") == null || !h.get("content-type").startsWith("application/json")) return Reply.error(400, "invalid_request_error", Map.of());
        try {
            JsonNode req = JSON.readTree(body);
            if (!req.path("model").isTextual() || req.path("model").asText().isEmpty()) return Reply.error(400, "invalid_request_error", Map.of());
            if (!req.path("max_tokens").isInt() || req.path("max_tokens").asInt() < 1) return Reply.error(400, "invalid_request_error", Map.of());
            if (!req.path("messages").isArray() || req.path("messages").isEmpty()) return Reply.error(400, "invalid_request_error", Map.of());
            for (JsonNode m : req.path("messages")) {
                String role = m.path("role").asText();
                if (!role.equals("user") && !role.equals("assistant")) return Reply.error(400, "invalid_request_error", Map.of());
            }
            if (req.has("temperature") && (req.get("temperature").asDouble() < 0 || req.get("temperature").asDouble() > 1)) {
                return Reply.error(400, "invalid_request_error", Map.of());
            }
        } catch (IOException e) {
            return Reply.error(400, "invalid_request_error", Map.of());
        }
        return null;
    }

    private static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
