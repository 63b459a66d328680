package io.ecombi.explore;

import freemarker.cache.FileTemplateLoader;
import freemarker.core.HTMLOutputFormat;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateExceptionHandler;
import io.ecombi.Settings;
import io.ecombi.api.ApiProblem;
import org.apache.camel.Exchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * GET /explore: the Explore page (templates/explore.ftlh, read afresh at every request), and its
 * chart library from the jar (Apache ECharts' webjar): no CDN, ecombi works offline. GET /api/docs:
 * Swagger UI (its webjar) on the API's /api/openapi.json (templates/api-docs.ftlh). Both behind the
 * API's token like every path.
 */
public final class ExplorePage {
    /** The files served from webjars, by the path they are asked for: nothing else of the jar is. */
    private static final Map<String, String> ASSETS = Map.of(
            "/explore/assets/echarts.min.js", "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js",
            "/api/docs/swagger-ui-bundle.js", "/META-INF/resources/webjars/swagger-ui/5.35.0/swagger-ui-bundle.js",
            "/api/docs/swagger-ui-standalone-preset.js", "/META-INF/resources/webjars/swagger-ui/5.35.0/swagger-ui-standalone-preset.js",
            "/api/docs/swagger-ui.css", "/META-INF/resources/webjars/swagger-ui/5.35.0/swagger-ui.css");
    private final Path template;
    private final Path docsTemplate;
    private final String shop;
    private final Path labels;

    public ExplorePage(Settings settings) {
        this.template = settings.path("ecombi.explore.template");
        this.docsTemplate = settings.path("ecombi.explore.api-docs-template");
        this.shop = settings.get("ecombi.shop");
        this.labels = settings.path("ecombi.report.labels");
    }

    /** GET /explore and /explore/assets/...: the page or one of its assets. */
    public void explore(Exchange exchange) throws Exception {
        String path = path(exchange);
        if (path.equals("/explore") || path.equals("/explore/")) page(exchange, template);
        else asset(exchange, path);
    }

    /** GET /api/docs and its assets: Swagger UI. */
    public void docs(Exchange exchange) throws Exception {
        String path = path(exchange);
        if (path.equals("/api/docs") || path.equals("/api/docs/")) page(exchange, docsTemplate);
        else asset(exchange, path);
    }

    private void page(Exchange exchange, Path file) throws Exception {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("shop", shop);
        model.put("labelsJson", labelsJson());
        String html = render(file, model);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
        exchange.getMessage().setHeader("Cache-Control", "no-cache");
        exchange.getMessage().setBody(html);
    }

    private void asset(Exchange exchange, String path) throws IOException {
        String resource = ASSETS.get(path);
        if (resource == null) throw ApiProblem.notFound("no file " + path + " (Explore is at /explore, Swagger UI at /api/docs)");
        byte[] bytes;
        try (InputStream in = ExplorePage.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException(resource + " is not on the class path (its webjar is missing from the build)");
            bytes = in.readAllBytes();
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, path.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8");
        exchange.getMessage().setHeader("Cache-Control", "max-age=86400");   // versioned library files
        exchange.getMessage().setBody(bytes);
    }

    /** config/labels.properties as JSON, read afresh (an edit counts at the next page load). */
    private String labelsJson() throws IOException {
        java.util.Properties p = new java.util.Properties();
        if (Files.isRegularFile(labels)) {
            try (var r = Files.newBufferedReader(labels, StandardCharsets.UTF_8)) { p.load(r); }
        }
        Map<String, String> m = new java.util.TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return io.ecombi.api.Json.write(m);
    }

    static String render(Path file, Map<String, Object> model) throws Exception {
        Path f = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(f)) throw new IllegalStateException("the page template " + file + " does not exist");
        Configuration cfg = new Configuration(Configuration.VERSION_2_3_35);
        cfg.setDefaultEncoding("UTF-8");
        cfg.setOutputFormat(HTMLOutputFormat.INSTANCE);
        cfg.setLocale(Locale.US);
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);
        cfg.setTemplateUpdateDelayMilliseconds(0);
        cfg.setTemplateLoader(new FileTemplateLoader(f.getParent().toFile()));
        Template t = cfg.getTemplate(f.getFileName().toString());
        if (!t.getAutoEscaping()) throw new IllegalStateException("template " + file + " turns HTML auto-escaping off: it is refused");
        StringWriter out = new StringWriter();
        t.process(model, out);
        return out.toString();
    }

    private static String path(Exchange exchange) {
        String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class);
        String p = uri == null ? "" : uri;
        int q = p.indexOf('?');
        if (q >= 0) p = p.substring(0, q);
        return java.net.URLDecoder.decode(p, StandardCharsets.UTF_8);
    }
}
