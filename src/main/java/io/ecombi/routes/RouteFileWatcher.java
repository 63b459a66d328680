package io.ecombi.routes;

import io.ecombi.run.RunGate;
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
 * A changed file must parse as YAML, hold exactly one route (or routeConfiguration) whose id is the file name, and load
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
    private final RunGate gate;
    /** Files whose valid edit waits for the run in progress (logged once per edit). */
    private final Map<Path, String> waiting = new HashMap<>();
    private final Map<Path, String> lastGood = new HashMap<>();
    private final Map<Path, String> lastSeen = new HashMap<>();
    private final List<Outcome> outcomes = new ArrayList<>();
    private ScheduledExecutorService timer;
    /** Runs after the gate is taken and before the swap: the tests' way into the moment a race would need. */
    private volatile Runnable beforeSwap = () -> {};

    public RouteFileWatcher(CamelContext context, Path dir, long intervalMs) {
        this(context, dir, intervalMs, new RunGate());
    }

    /** With the run gate shared with the runs: an edit is applied between runs, never under one. */
    public RouteFileWatcher(CamelContext context, Path dir, long intervalMs, RunGate gate) {
        this.context = context;
        this.dir = dir;
        this.intervalMs = intervalMs;
        this.gate = gate;
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
            Outcome o = apply(f, content);
            if (o == null) {
                // valid, but a run is in progress: tried again at the next check
                if (!content.equals(waiting.get(f))) {
                    waiting.put(f, content);
                    done.add(record(new Outcome(f, false, WAITING)));
                }
                continue;
            }
            waiting.remove(f);
            lastSeen.put(f, content);
            done.add(o);
        }
        for (Path gone : new ArrayList<>(lastSeen.keySet())) {
            if (!Files.exists(gone)) {
                lastSeen.remove(gone);
                Map<Path, String> left = new HashMap<>();
                for (Path f : routeFiles()) left.put(f, Files.readString(f, StandardCharsets.UTF_8));
                String problem = directTargetProblem(left, null);
                // the running route stays until a restart; a start without it is refused, so say so now
                done.add(record(new Outcome(gone, false, "file deleted; its route keeps running until ecombi restarts"
                        + (problem == null ? "" : ", and then ecombi refuses to start: " + problem + ": put the file back"))));
            }
        }
        return done;
    }

    void beforeSwapForTest(Runnable r) {
        beforeSwap = r;
    }

    public synchronized List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /** The message of an edit that waits for the run in progress. */
    public static final String WAITING = "valid; waits for the run in progress to end, then applies (an edit never lands under a running pipeline)";

    /** Applies, refuses, or returns null when a run is in progress (the edit then waits). */
    private Outcome apply(Path file, String content) {
        String problem = validate(file, content);
        if (problem == null) problem = checkDirectTargets(file, content);
        if (problem != null) {
            return record(new Outcome(file, false, problem + "; the previous definition keeps running"));
        }
        Outcome[] result = new Outcome[1];
        // no exchange anywhere, and no run, poll, cron fire or command-line run under way; new ones wait outside the routes until the swap is done
        boolean applied = gate.applyBetweenRuns(() -> context.getInflightRepository().size() == 0, () -> {
            beforeSwap.run();
            result[0] = swap(file, content);
        });
        return applied ? result[0] : null;
    }

    private Outcome swap(Path file, String content) {
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
        long configurations = items.stream().filter(i -> i instanceof Map<?, ?> m && m.containsKey("routeConfiguration")).count();
        if (routes + configurations != 1 || items.size() != 1) {
            return "a route file must hold exactly one route (found " + items.size() + " item(s), " + routes + " route(s))";
        }
        String kind = routes == 1 ? "route" : "routeConfiguration";
        Object route = ((Map<?, ?>) items.get(0)).get(kind);
        Object id = route instanceof Map<?, ?> m ? m.get("id") : null;
        if (!expectedId.equals(id)) return kind + " id must be the file name '" + expectedId + "', found '" + id + "'";
        try (DefaultCamelContext scratch = new DefaultCamelContext()) {
            PluginHelper.getRoutesLoader(scratch).loadRoutes(ResourceHelper.fromString("file:" + file, content));
        } catch (Exception e) {
            return "not a valid Camel route: " + oneLine(e);
        }
        return null;
    }

    /**
     * Every {@code direct:} endpoint the routes send to must have a route behind it, in the set of
     * routes the edit would leave running (the edited file plus the other files as last applied);
     * else every run would hang and fail until the file is fixed. Null when all is well.
     */
    String checkDirectTargets(Path file, String content) {
        Map<Path, String> files = new HashMap<>(lastGood);
        files.put(file, content);
        return directTargetProblem(files, file);
    }

    /**
     * At start, the check a reload makes: every {@code direct:} endpoint the route files send to has
     * a route among them. A deleted or renamed file otherwise starts without complaint and every run
     * fails after 30 s with "No consumers available on endpoint: direct://anomaly".
     */
    public static void requireDirectTargets(Path dir) throws IOException {
        Map<Path, String> files = new HashMap<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
                for (Path f : ds) files.put(f, Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        String problem = directTargetProblem(files, null);
        if (problem != null) {
            throw new IllegalStateException("the routes in " + dir + " cannot run: " + problem
                    + ". Restore the missing route file (git checkout " + dir.getFileName() + "/), or fix the sending route");
        }
    }

    /** What is missing among these files' direct: endpoints, or null; edited (may be null) is named "this file". */
    static String directTargetProblem(Map<Path, String> files, Path file) {
        java.util.Set<String> consumed = new java.util.TreeSet<>();
        Map<String, Path> targets = new java.util.TreeMap<>();
        for (Map.Entry<Path, String> e : files.entrySet()) {
            Object doc;
            try {
                doc = new Load(LoadSettings.builder().build()).loadFromString(e.getValue());
            } catch (RuntimeException ex) {
                continue;   // an unparseable file of the last good set cannot be: it was checked when applied
            }
            collectDirect(doc, false, consumed, targets, e.getKey());
        }
        java.util.List<String> missing = new java.util.ArrayList<>();
        for (Map.Entry<String, Path> t : targets.entrySet()) {
            if (!consumed.contains(t.getKey())) {
                missing.add("'direct:" + t.getKey() + "' (sent to by " + (t.getValue().equals(file) ? "this file" : t.getValue().getFileName()) + ")");
            }
        }
        if (missing.isEmpty()) return null;
        return "no route consumes " + String.join(", ", missing) + "; routes consume " + consumed.stream().map(x -> "direct:" + x).toList();
    }

    private static void collectDirect(Object node, boolean underFrom, java.util.Set<String> consumed, Map<String, Path> targets, Path file) {
        if (node instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                boolean from = underFrom || "from".equals(e.getKey());
                if (from && "uri".equals(e.getKey()) && e.getValue() instanceof String uri) {
                    String name = directName(uri);
                    if (name != null) consumed.add(name);
                } else if ("steps".equals(e.getKey())) {
                    collectDirect(e.getValue(), false, consumed, targets, file);
                } else {
                    collectDirect(e.getValue(), from, consumed, targets, file);
                }
            }
        } else if (node instanceof List<?> l) {
            for (Object o : l) collectDirect(o, underFrom, consumed, targets, file);
        } else if (node instanceof String str && !underFrom) {
            String name = directName(str);
            if (name != null) targets.putIfAbsent(name, file);
        }
    }

    private static String directName(String uri) {
        String u = uri.trim();
        if (!u.startsWith("direct:")) return null;
        u = u.substring("direct:".length());
        if (u.startsWith("//")) u = u.substring(2);
        int q = u.indexOf('?');
        return q < 0 ? u : u.substring(0, q);
    }

    private Outcome record(Outcome o) {
        outcomes.add(o);
        if (o.applied()) LOG.info("ROUTE-RELOAD applied {}: {}", o.file(), o.message());
        else if (WAITING.equals(o.message())) LOG.info("ROUTE-RELOAD waiting {}: {}", o.file(), o.message());
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
