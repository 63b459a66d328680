package io.ecombi.api;

import io.ecombi.Settings;
import org.apache.camel.Exchange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * GET / and GET /reports/...: the shop's reports folder over HTTP, behind the API's token. / sends
 * the browser to /reports/index.html, the latest dashboard (a link through reports/latest), so the
 * page's relative links (visualizations/..., data/...) resolve; /reports/runs/&lt;id&gt;/ has the kept
 * runs. Only files inside the shop's folder are served: a path that leaves it (.., a link out) is a 404.
 */
public final class ReportFiles {
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "png", "image/png",
            "csv", "text/csv; charset=utf-8", "md", "text/markdown; charset=utf-8", "txt", "text/plain; charset=utf-8",
            "json", "application/json; charset=utf-8", "svg", "image/svg+xml");
    private final Path root;

    public ReportFiles(Settings settings) {
        this.root = io.ecombi.shop.Shop.of(settings).reportsDir();
    }

    /** GET /: to the latest dashboard. */
    public void home(Exchange exchange) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 302);
        exchange.getMessage().setHeader("Location", "/reports/index.html");
        exchange.getMessage().setBody("");
    }

    /** GET /reports/{path}: a file of the shop's reports folder. */
    public void serve(Exchange exchange) throws IOException {
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
        String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class);
        String rel = relative(path, uri);
        if (rel.isEmpty() || rel.endsWith("/")) rel = rel + "index.html";
        Path base = root.toAbsolutePath().normalize();
        Path file = base.resolve(rel).normalize();
        if (!file.startsWith(base) || !Files.isRegularFile(file) || !file.toRealPath().startsWith(base.toRealPath())) {
            throw ApiProblem.notFound("no report file /reports/" + rel + (Files.exists(base.resolve("latest")) ? ""
                    : " (no run has published a dashboard yet: POST /api/runs starts one)"));
        }
        String name = file.getFileName().toString();
        String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "";
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, TYPES.getOrDefault(ext, "application/octet-stream"));
        // the latest page changes with every run: a browser asks again rather than show an old one
        exchange.getMessage().setHeader("Cache-Control", "no-cache");
        exchange.getMessage().setBody(Files.readAllBytes(file));
    }

    /** The part of the request path after /reports/. */
    static String relative(String path, String uri) {
        String p = path != null && !path.isEmpty() ? path : uri == null ? "" : uri;
        int q = p.indexOf('?');
        if (q >= 0) p = p.substring(0, q);
        if (p.startsWith("/reports")) p = p.substring("/reports".length());
        while (p.startsWith("/")) p = p.substring(1);
        return java.net.URLDecoder.decode(p, java.nio.charset.StandardCharsets.UTF_8);
    }
}
