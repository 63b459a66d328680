package io.ecombi.delivery;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * A JSON POST with a time-out, for Slack and webhooks. The URL is a secret (a Slack webhook URL is
 * its own credential): errors name its host only, never the URL.
 */
final class HttpPost {
    private final HttpClient client;
    private final Duration timeout;

    HttpPost(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    void post(String url, String json, String idempotencyKey) throws Exception {
        URI uri = URI.create(url);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                // the same key on every attempt: a receiver that got a timed-out attempt drops the repeat
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<String> r;
        try {
            r = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new DeliveryFailed("no answer from " + uri.getHost() + " within " + timeout.toMillis() + " ms (ecombi.delivery.timeout-ms)");
        } catch (java.io.IOException e) {
            throw new DeliveryFailed("cannot reach " + uri.getHost() + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        if (r.statusCode() / 100 != 2) {
            String body = r.body() == null ? "" : r.body().strip();
            throw new DeliveryFailed("HTTP " + r.statusCode() + " from " + uri.getHost() + (body.isEmpty() ? "" : ": " + (body.length() > 200 ? body.substring(0, 200) + "..." : body)));
        }
    }

    /** A failure whose message is safe to log and store. */
    static final class DeliveryFailed extends Exception {
        DeliveryFailed(String message) { super(message, null, false, false); }
    }
}
