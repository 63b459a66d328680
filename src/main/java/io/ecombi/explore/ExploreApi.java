package io.ecombi.explore;

import io.ecombi.Settings;
import io.ecombi.api.ApiProblem;
import io.ecombi.api.Json;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.camel.Exchange;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Explore page's API, behind the API's token like every path (io.ecombi.api.HttpFront):
 * GET /api/explore/options (what each filter can take), /api/explore/results (KPI and quality files
 * over the filtered fact layer) and /api/explore/lines (the sale lines behind a figure, paged, or as
 * CSV). A filter the page cannot apply is a 400 with a sentence the page shows; never a stack trace.
 */
public final class ExploreApi {
    /** The figures a drill-down can start from: the key of a bar, a row or a card ("all"). */
    static final List<String> DRILLS = List.of("all", "month", "day", "category", "country", "region", "state", "product", "payment");
    private static final Pattern VIEW = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private final ExploreData data;
    private final int pageRows;
    private final int csvMaxRows;

    public ExploreApi(ExploreData data, Settings settings) {
        this.data = data;
        this.pageRows = settings.getInt("ecombi.explore.page-rows");
        this.csvMaxRows = settings.getInt("ecombi.explore.csv-max-rows");
    }

    /** GET /api/explore/options[?view=]: {run, asOf, queries, filters: {name: [{value, label, lines}]}}. */
    public void options(Exchange exchange) throws Exception {
        answer(exchange, () -> {
            Map<String, String> q = query(exchange);
            Filters.parse(q, Set.of("view"));
            Map<String, Object> out = new LinkedHashMap<>();
            Map<String, List<Map<String, Object>>> options = data.options(view(q));
            ExploreData.Run run = data.latest();
            out.put("run", run.id());
            out.put("asOf", run.asOf().toString());
            out.put("queries", data.queries());
            out.put("filters", options);
            return out;
        });
    }

    /** GET /api/explore/results?q=kpi/kpi_cards,kpi/monthly_revenue&amp;country=...: {run, asOf, filters, results: {file: {columns, rows}}}. */
    public void results(Exchange exchange) throws Exception {
        answer(exchange, () -> {
            Map<String, String> q = query(exchange);
            Filters f = Filters.parse(q, Set.of("q", "view"));
            List<String> files = new ArrayList<>();
            for (String name : Filters.text(q, "q") == null ? new String[0] : q.get("q").split(",")) {
                String file = name.strip();
                if (!data.queries().contains(file)) {
                    throw ApiProblem.badRequest("'" + Filters.shorten(file) + "' is not one of Explore's queries: " + String.join(", ", data.queries()));
                }
                files.add(file);
            }
            if (files.isEmpty()) throw ApiProblem.badRequest("q names no query: ask for some of " + String.join(", ", data.queries()));
            data.check(f, view(q));
            return data.within(f, view(q), files, (c, run) -> {
                Map<String, Object> results = new LinkedHashMap<>();
                for (String file : files) results.put(file, table(data.rows(c, file, Map.of())));
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("run", run.id());
                out.put("asOf", run.asOf().toString());
                out.put("filters", filtersGiven(f));
                out.put("results", results);
                return out;
            });
        });
    }

    /**
     * GET /api/explore/lines?by=category&amp;key=Books[&amp;offset=&amp;limit=][&amp;format=csv] and the filters:
     * the sale lines behind a figure, over the report's window (a month's or a day's when by is one),
     * {total, totalNetRevenue, offset, limit, columns, rows}; as CSV every line (at most ecombi.explore.csv-max-rows).
     */
    public void lines(Exchange exchange) throws Exception {
        answer(exchange, () -> {
            Map<String, String> q = query(exchange);
            Filters f = Filters.parse(q, Set.of("by", "key", "offset", "limit", "format", "view"));
            Map<String, Object> params = drill(Filters.text(q, "by"), Filters.text(q, "key"));
            boolean csv = "csv".equals(Filters.text(q, "format"));
            int offset = csv ? 0 : whole(q, "offset", 0, Integer.MAX_VALUE);
            int limit = csv ? csvMaxRows + 1 : whole(q, "limit", pageRows, 1000);
            params.put("offset", offset);
            params.put("limit", limit);
            data.check(f, view(q));
            List<Map<String, Object>> rows = data.within(f, view(q), List.of("explore/lines"), (c, run) -> data.rows(c, "explore/lines.sql", params));
            long total = rows.isEmpty() ? 0 : ((Number) rows.get(0).get("total_lines")).longValue();
            Object totalNet = rows.isEmpty() ? BigDecimal.ZERO : rows.get(0).get("total_net_revenue");
            for (Map<String, Object> r : rows) { r.remove("total_lines"); r.remove("total_net_revenue"); }
            if (csv) {
                if (rows.size() > csvMaxRows) {
                    throw new ExploreData.ExploreProblem(409, total + " lines are more than a download holds (ecombi.explore.csv-max-rows = "
                            + csvMaxRows + "): narrow the filters");
                }
                return new Csv(csv(rows), "lines-" + Filters.text(q, "by") + ".csv");
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("total", total);
            out.put("totalNetRevenue", totalNet);
            out.put("offset", offset);
            out.put("limit", limit);
            out.put("filters", filtersGiven(f));
            out.putAll(table(rows));
            return out;
        });
    }

    /** lines.sql's parameters for a drill: the window of a month or a day, or the key of a category, country, ... */
    static Map<String, Object> drill(String by, String key) {
        if (by == null || !DRILLS.contains(by)) throw new Filters.FilterProblem("by must be one of " + String.join(", ", DRILLS));
        if (!"all".equals(by) && key == null) throw new Filters.FilterProblem("key is missing: the " + by + " whose lines to show");
        Map<String, Object> p = new LinkedHashMap<>();
        for (String n : List.of("dayFrom", "dayTo", "category", "country", "region", "state", "product", "payment")) p.put(n, null);
        try {
            switch (by) {
                case "month" -> {
                    YearMonth m = YearMonth.parse(key.length() >= 7 ? key.substring(0, 7) : key);
                    p.put("dayFrom", m.atDay(1));
                    p.put("dayTo", m.atEndOfMonth());
                }
                case "day" -> { p.put("dayFrom", LocalDate.parse(key)); p.put("dayTo", LocalDate.parse(key)); }
                case "product" -> p.put("product", Long.parseLong(key));
                case "all" -> { }
                default -> p.put(by, key);
            }
        } catch (RuntimeException e) {
            throw new Filters.FilterProblem("key '" + Filters.shorten(key) + "' is not a " + by + (by.equals("month") ? " (YYYY-MM)" : by.equals("day") ? " (YYYY-MM-DD)" : ""));
        }
        return p;
    }

    private record Csv(String text, String name) { }

    private interface Answer { Object get() throws IOException, SQLException; }

    private static void answer(Exchange exchange, Answer a) throws IOException, SQLException {
        Object out;
        try {
            out = a.get();
        } catch (Filters.FilterProblem e) {
            throw ApiProblem.badRequest(e.getMessage());
        } catch (ExploreData.ExploreProblem e) {
            throw new ApiProblem(e.status(), e.getMessage());
        }
        if (out instanceof Csv c) {
            exchange.getMessage().removeHeaders("*");
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/csv; charset=utf-8");
            exchange.getMessage().setHeader("Content-Disposition", "attachment; filename=\"" + c.name().replaceAll("[^A-Za-z0-9_.-]", "_") + "\"");
            exchange.getMessage().setBody(c.text().getBytes(StandardCharsets.UTF_8));
        } else {
            Json.answer(exchange, 200, out);
        }
    }

    /** The rows as {columns, rows}, values as JSON writes them (dates as text, numbers as numbers). */
    static Map<String, Object> table(List<Map<String, Object>> rows) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("columns", rows.isEmpty() ? List.of() : new ArrayList<>(rows.get(0).keySet()));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            Map<String, Object> o = new LinkedHashMap<>();
            r.forEach((k, v) -> o.put(k, value(v)));
            out.add(o);
        }
        t.put("rows", out);
        return t;
    }

    static Object value(Object v) {
        if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) return v;
        return String.valueOf(v);   // dates, timestamps, PostgreSQL objects: as they read
    }

    /** The rows as CSV; a text cell that a spreadsheet would run as a formula is prefixed with '. */
    static String csv(List<Map<String, Object>> rows) throws IOException {
        StringWriter w = new StringWriter();
        try (CSVPrinter out = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get())) {
            if (!rows.isEmpty()) out.printRecord(rows.get(0).keySet());
            for (Map<String, Object> r : rows) {
                List<Object> cells = new ArrayList<>();
                for (Object v : r.values()) {
                    Object x = value(v);
                    cells.add(x instanceof String s && !s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 ? "'" + s : x);
                }
                out.printRecord(cells);
            }
        }
        return w.toString();
    }

    private static Map<String, Object> filtersGiven(Filters f) {
        Map<String, Object> m = new LinkedHashMap<>();
        f.parameters().forEach((k, v) -> { if (v != null) m.put(k, String.valueOf(v)); });
        return m;
    }

    private static String view(Map<String, String> q) {
        String v = q.get("view");
        return v != null && VIEW.matcher(v).matches() ? v : null;
    }

    private static int whole(Map<String, String> q, String name, int dflt, int max) {
        String v = Filters.text(q, name);
        if (v == null) return dflt;
        try {
            int n = Integer.parseInt(v);
            if (n < 0 || n > max) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest(name + " '" + Filters.shorten(v) + "' is not a whole number from 0 to " + max);
        }
    }

    /** The request's query parameters, decoded; a name given twice is a 400. */
    static Map<String, String> query(Exchange exchange) {
        String raw = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return q;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k, v;
            try {
                k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ApiProblem.badRequest("the query string is not URL-encoded: " + Filters.shorten(pair));
            }
            if (q.put(k, v) != null) throw ApiProblem.badRequest(k + " is given twice");
        }
        return q;
    }
}
