package io.ecombi.api;

import io.ecombi.Settings;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The HTTP servers' front door, in front of every Camel route: the bearer-token check (every path of
 * the API server, and the metrics of the management server; health stays open for probes), the
 * body size limit, and JSON for the answers Vert.x gives itself (404 unknown path, 405, 413).
 * Installed before the routes start, so no request ever reaches a route unchecked; if a server's
 * router cannot be found, ecombi does not start (fail closed).
 */
public final class HttpFront {
    private static final Logger LOG = LoggerFactory.getLogger(HttpFront.class);
    /** Paths under the management server that need no token: liveness and readiness probes. */
    static final String HEALTH_PATH = "/observe/health";

    private HttpFront() {}

    /** Whether the API server is on: serve (ecombi.service.enabled) and a port other than 0. */
    public static boolean apiOn(Settings s) {
        return s.getBoolean("ecombi.service.enabled") && s.getInt("ecombi.api.port") > 0;
    }

    public static boolean managementOn(Settings s) {
        return s.getBoolean("ecombi.service.enabled") && s.getInt("ecombi.management.port") > 0;
    }

    /** Camel Main's settings for the two servers, the REST DSL and metrics, derived from ecombi's. */
    public static Properties camelProperties(Settings s) {
        Properties p = new Properties();
        if (apiOn(s)) {
            p.setProperty("camel.server.enabled", "true");
            p.setProperty("camel.server.host", s.get("ecombi.api.host"));
            p.setProperty("camel.server.port", s.get("ecombi.api.port"));
            p.setProperty("camel.server.maxBodySize", s.get("ecombi.api.max-body-bytes"));
            p.setProperty("camel.server.fileUploadEnabled", "false");
            p.setProperty("camel.rest.component", "platform-http");
            p.setProperty("camel.rest.apiContextPath", "/api/openapi.json");
            p.setProperty("camel.rest.bindingMode", "off");
            // each verb's handler stays a route of its own, with its routeConfigurationId (api-errors)
            p.setProperty("camel.rest.inlineRoutes", "false");
            p.setProperty("camel.rest.apiContextRouteId", "api-openapi");
            p.setProperty("camel.rest.apiProperties[api.title]", "ecombi");
            p.setProperty("camel.rest.apiProperties[api.version]", new io.ecombi.cli.Version().getVersion()[0].replace("ecombi ", ""));
            // the service's routes (REST DSL and their handlers), read at start
            p.setProperty("camel.main.routes-include-pattern", s.get("camel.main.routes-include-pattern")
                    + ",file:" + s.get("ecombi.routes.dir") + "/service/*.camel.yaml");
        }
        if (managementOn(s)) {
            p.setProperty("camel.management.enabled", "true");
            p.setProperty("camel.management.host", s.get("ecombi.management.host"));
            p.setProperty("camel.management.port", s.get("ecombi.management.port"));
            p.setProperty("camel.management.healthCheckEnabled", "true");
            p.setProperty("camel.management.metricsEnabled", "true");
            p.setProperty("camel.metrics.enabled", "true");
            p.setProperty("camel.health.exposureLevel", "full");
        }
        return p;
    }

    /** Puts the checks in front of the servers' routers; call after Camel created them, before routes start. */
    public static void install(CamelContext context, Settings s, BearerAuth auth) {
        if (!auth.configured() && (apiOn(s) || managementOn(s))) {
            LOG.warn("no API token is set (environment variable ECOMBI_API_TOKENS): every request but health is refused with 401");
        }
        long maxBody = s.getLong("ecombi.api.max-body-bytes");
        if (apiOn(s)) {
            var server = context.hasService(org.apache.camel.component.platform.http.main.MainHttpServer.class);
            VertxPlatformHttpRouter router = router(server == null ? null : server.getRouter(), "API");
            router.route().order(-1000).handler(guard(auth, maxBody, false));
            jsonErrors(router);
        }
        if (managementOn(s)) {
            var server = context.hasService(org.apache.camel.component.platform.http.main.ManagementHttpServer.class);
            VertxPlatformHttpRouter router = router(server == null ? null : server.getRouter(), "management");
            router.route().order(-1000).handler(guard(auth, maxBody, true));
            jsonErrors(router);
        }
    }

    private static VertxPlatformHttpRouter router(VertxPlatformHttpRouter r, String name) {
        if (r == null) {
            // fail closed: a server without the token check must not serve
            throw new IllegalStateException("the " + name + " server's HTTP router was not found: the API cannot be protected, so ecombi does not start");
        }
        return r;
    }

    static Handler<RoutingContext> guard(BearerAuth auth, long maxBody, boolean management) {
        return ctx -> {
            String path = ctx.normalizedPath();
            if (management && (path.equals(HEALTH_PATH) || path.startsWith(HEALTH_PATH + "/"))) {
                // open to probes, so without the stack traces Camel would add on request
                if (ctx.request().getParam("stackTrace") != null) end(ctx, 400, "stackTrace is not offered on the open health endpoint");
                else ctx.next();
                return;
            }
            if (!auth.allows(ctx.request().getHeader("Authorization"))) {
                ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"ecombi\"");
                end(ctx, 401, auth.configured() ? "missing or unknown bearer token: send 'Authorization: Bearer <token>'"
                        : "no API token is configured on the server: set ECOMBI_API_TOKENS and restart");
                return;
            }
            String length = ctx.request().getHeader("Content-Length");
            if (length != null) {
                try {
                    if (Long.parseLong(length.trim()) > maxBody) {
                        end(ctx, 413, "the request body of " + length.trim() + " bytes is over the limit of " + maxBody + " bytes (ecombi.api.max-body-bytes)");
                        return;
                    }
                } catch (NumberFormatException e) {
                    end(ctx, 400, "Content-Length '" + length + "' is not a number");
                    return;
                }
            }
            ctx.next();
        };
    }

    private static void jsonErrors(VertxPlatformHttpRouter router) {
        // after every route (platform-http consumers add theirs with lower orders as they start): an unknown path
        router.route().order(Integer.MAX_VALUE).handler(ctx -> end(ctx, 404, "no such endpoint: " + ctx.request().method() + " "
                + ctx.normalizedPath() + " (GET /api/openapi.json lists them)"));
        router.errorHandler(404, ctx -> end(ctx, 404, "no such endpoint: " + ctx.request().method() + " " + ctx.normalizedPath()
                + " (GET /api/openapi.json lists them)"));
        router.errorHandler(405, ctx -> end(ctx, 405, "method " + ctx.request().method() + " is not allowed on " + ctx.normalizedPath()));
        router.errorHandler(413, ctx -> end(ctx, 413, "the request body is over the limit (ecombi.api.max-body-bytes)"));
        router.errorHandler(500, ctx -> {
            LOG.error("HTTP {} {} failed", ctx.request().method(), ctx.normalizedPath(), ctx.failure());
            end(ctx, 500, "ecombi could not answer (the log has the details)");
        });
    }

    static void end(RoutingContext ctx, int status, String message) {
        if (ctx.response().ended()) return;
        Map<String, Object> body = new LinkedHashMap<>(Json.error(status, message));
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8").end(Json.write(body));
    }
}
