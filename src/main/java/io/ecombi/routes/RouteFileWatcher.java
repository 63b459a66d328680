package io.ecombi.routes;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reloads an edited routes/*.camel.yaml only after checking it, instead of Camel 4.18's own reload,
 * which drops a file's routes (and a trigger's schedule) when a save has a YAML error.
 *
 * A changed file must parse as YAML, hold exactly one route whose id is the file name, and load
 * as Camel routes in a scratch context; only then does it replace the running route. If it is
 * refused, or fails while replacing, the last good definition stays (or is put back) and the log
 * says which file, which line and what is wrong: lines start with "ROUTE-RELOAD".
 */
public final class RouteFileWatcher extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger(RouteFileWatcher.class);
    private static final String SUFFIX = ".camel.yaml";

    /** What happened to the last change of a file. */
    public record Outcome(Path file, boolean applied, String message) {}

    private final CamelContext context;
    private final Path dir;
    private final long intervalMs;
    private final Map<Path, String> lastGood = new HashMap<>();
    private final Map<Path, String> lastSeen = new HashMap<>();
    private final List<Outcome> outcomes = new ArrayList<>();
    private ScheduledExecutorService timer;

    public RouteFileWatcher(CamelContext context, Path dir, long intervalMs) {
        this.context = context;
        this.dir = dir;
        this.intervalMs = intervalMs;
    }

    @Override
    protected void doStart() throws Exception {
        // the files as Camel loaded them at start are the last good definitions
        for (Path f : routeFiles()) {
            String content = Files.readString(f, StandardCharsets.UTF_8);
            lastGood.put(f, content);
            lastSeen.put(f, content);
        }
        if (intervalMs > 0) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ecombi-route-watcher");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(this::checkQuietly, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        }
        LOG.info("ROUTE-RELOAD watching {} for edits of *{} ({})", dir, SUFFIX, intervalMs > 0 ? "every " + intervalMs + " ms" : "checked on demand");
    }

    @Override
    protected void doStop() {
        if (timer != null) timer.shutdownNow();
    }

    private void checkQuietly() {
        try {
            checkNow();
        } catch (Exception e) {
            LOG.warn("ROUTE-RELOAD could not check {}: {}", dir, e.getMessage());
        }
    }

    /** Looks at every route file once and applies or refuses what changed; returns what it did. */
    public synchronized List<Outcome> checkNow() throws IOException {
        List<Outcome> done = new ArrayList<>();
        for (Path f : routeFiles()) {
            String content = Files.readString(f, StandardCharsets.UTF_8);
            if (content.equals(lastSeen.get(f))) continue;
            lastSeen.put(f, content);
            done.add(apply(f, content));
        }
        for (Path gone : new ArrayList<>(lastSeen.keySet())) {
            if (!Files.exists(gone)) {
                lastSeen.remove(gone);
                done.add(record(new Outcome(gone, false, "file deleted; its route keeps running until ecombi restarts")));
            }
        }
        return done;
    }

    public synchronized List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    private Outcome apply(Path file, String content) {
        String problem = validate(file, content);
        if (problem != null) {
            return record(new Outcome(file, false, problem + "; the previous definition keeps running"));
        }
        String location = "file:" + file;
        try {
            PluginHelper.getRoutesLoader(context).updateRoutes(ResourceHelper.fromString(location, content));
            lastGood.put(file, content);
            return record(new Outcome(file, true, "applied (route " + routeId(file) + ")"));
        } catch (Exception e) {
            String why = e.getMessage();
            String previous = lastGood.get(file);
            if (previous != null) {
                try {
                    PluginHelper.getRoutesLoader(context).updateRoutes(ResourceHelper.fromString(location, previous));
                } catch (Exception restore) {
                    return record(new Outcome(file, false, "failed to start (" + why + ") and the previous definition could not be restored: "
                            + restore.getMessage()));
                }
            }
            return record(new Outcome(file, false, "failed to start: " + why + "; the previous definition was restored"));
        }
    }

    /** Null when the file is fit to replace its route, else what is wrong and where. */
    static String validate(Path file, String content) {
        String expectedId = routeId(file);
        Object doc;
        try {
            doc = new Load(LoadSettings.builder().setLabel(file.toString()).build()).loadFromString(content);
        } catch (MarkedYamlEngineException e) {
            String where = e.getProblemMark().map(m -> "line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1)).orElse("unknown position");
            return "YAML error at " + where + ": " + e.getProblem();
        } catch (RuntimeException e) {
            return "YAML error: " + e.getMessage();
        }
        if (!(doc instanceof List<?> items)) return "a route file must be a YAML list holding one '- route:'";
        long routes = items.stream().filter(i -> i instanceof Map<?, ?> m && m.containsKey("route")).count();
        if (routes != 1 || items.size() != 1) {
            return "a route file must hold exactly one route (found " + items.size() + " item(s), " + routes + " route(s))";
        }
        Object route = ((Map<?, ?>) items.get(0)).get("route");
        Object id = route instanceof Map<?, ?> m ? m.get("id") : null;
        if (!expectedId.equals(id)) return "route id must be the file name '" + expectedId + "', found '" + id + "'";
        try (DefaultCamelContext scratch = new DefaultCamelContext()) {
            PluginHelper.getRoutesLoader(scratch).loadRoutes(ResourceHelper.fromString("file:" + file, content));
        } catch (Exception e) {
            return "not a valid Camel route: " + oneLine(e);
        }
        return null;
    }

    private Outcome record(Outcome o) {
        outcomes.add(o);
        if (o.applied()) LOG.info("ROUTE-RELOAD applied {}: {}", o.file(), o.message());
        else LOG.error("ROUTE-RELOAD REFUSED {}: {}", o.file(), o.message());
        return o;
    }

    private List<Path> routeFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) return files;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            ds.forEach(files::add);
        }
        files.sort(null);
        return files;
    }

    static String routeId(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - SUFFIX.length());
    }

    private static String oneLine(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && (sb.length() == 0 || !sb.toString().contains(t.getMessage()))) {
                if (sb.length() > 0) sb.append(" <- ");
                sb.append(t.getMessage().replaceAll("\\s*\\R\\s*", " "));
            }
        }
        return sb.toString();
    }
}
