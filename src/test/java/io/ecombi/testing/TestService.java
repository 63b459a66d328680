package io.ecombi.testing;

import io.ecombi.EcombiRuntime;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** ecombi as `serve` runs it (API and management servers on free ports, a token in the environment), and an HTTP client for it. */
public final class TestService {
    public static final String TOKEN = "test-token-7f3c";
    public final EcombiRuntime rt;
    public final int apiPort;
    public final int managementPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestService(EcombiRuntime rt, int apiPort, int managementPort) {
        this.rt = rt;
        this.apiPort = apiPort;
        this.managementPort = managementPort;
    }

    /** On a fresh database with a fixture of src/test/resources/fixtures/, extra settings and environment. */
    public static TestService start(Path work, String fixture, Map<String, String> extra, Map<String, String> environment) throws Exception {
        Map<String, String> o = TestRuntime.overrides(TestDatabase.newDatabase(), work);
        int api = freePort(), management = freePort();
        o.put("ecombi.service.enabled", "true");
        o.put("ecombi.api.port", String.valueOf(api));
        o.put("ecombi.management.port", String.valueOf(management));
        o.putAll(extra);
        Map<String, String> env = new HashMap<>(environment);
        env.putIfAbsent("ECOMBI_API_TOKENS", "other-token," + TOKEN);
        EcombiRuntime rt = TestRuntime.start(o, env);
        if (fixture != null) Sql.loadFixture(rt.database().dataSource(), fixture);
        return new TestService(rt, api, management);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public HttpRequest.Builder api(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN);
    }

    public HttpRequest.Builder management(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path)).timeout(Duration.ofSeconds(30));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<byte[]> bytes(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(api(path).GET());
    }

    public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return send(api(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }
}
