package io.ecombi.report;

import freemarker.core.HTMLOutputFormat;
import freemarker.template.TemplateModelException;
import io.ecombi.chart.ChartFile;
import io.ecombi.kpi.KpiTable;
import io.ecombi.run.PipelineRun;
import io.ecombi.result.Table;
import io.ecombi.run.Stage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the dashboard templates get: the run's named results as the steps put them, and the run,
 * its cards, charts and sources turned into plain values (strings formatted by {@link Formats}),
 * with the functions that show a result table or chart as readers see it. Everything is text the
 * template escapes; only markdown(...) returns markup (commonmark, raw HTML shown as text). Nothing
 * here decides the layout; templates/ does.
 */
final class DashboardModel {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.US).withZone(ZoneId.systemDefault());
    private static final String[][] CARD_METRICS = {{"net_revenue", "Net revenue"}, {"orders", "Orders"}, {"avg_order_value", "Average order value (net)"},
            {"customers", "Customers with a purchase"}, {"gross_margin_pct", "Gross margin on net sales"}};

    private final String currency;
    private final int tableRows;
    private final Labels labels;
    private final java.nio.file.Path runDir;

    private DashboardModel(String currency, int tableRows, Labels labels, java.nio.file.Path runDir) {
        this.currency = currency;
        this.tableRows = tableRows;
        this.labels = labels;
        this.runDir = runDir;
    }

    static Map<String, Object> of(PipelineRun run, String currencySymbol, int tableRows, List<String> extraTables, Labels labels,
                                  List<String> warnings) throws IOException {
        DashboardModel m = new DashboardModel(currencySymbol, tableRows, labels, run.dir());
        Map<String, Object> model = new LinkedHashMap<>();
        Tracked charts = new Tracked(), tables = new Tracked();
        Map<String, Object> results = new LinkedHashMap<>();
        for (String key : run.resultNames()) results.put(key, run.get(key));
        try {
            for (ChartFile c : run.charts()) charts.put(chartName(c), m.chart(c, run.kpi(c.kpi())));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        for (String name : extraTables) {
            KpiTable t = name.isBlank() ? null : run.kpi(name);
            if (t != null) tables.put(name, TableView.of(Table.of(t, title(t.name())), labels, currencySymbol, tableRows));
        }
        model.put("run", m.run(run));
        model.put("currency", currencySymbol);
        model.put("tableRows", tableRows);
        model.put("cards", m.cards(run.kpi("kpi_cards"), run.kpi("data_scope")));
        model.put("results", results);
        model.put("sources", m.sources(run));
        // tableView(t [, rows]): a result Table or a KPI table as readers see it (labels, formats, latest first)
        model.put("tableView", (freemarker.template.TemplateMethodModelEx) args -> {
            if (args.isEmpty() || args.size() > 2) throw new TemplateModelException("tableView(t) or tableView(t, rows)");
            Object t = unwrap(args.get(0));
            int rows = args.size() == 2 ? ((freemarker.template.TemplateNumberModel) args.get(1)).getAsNumber().intValue() : tableRows;
            if (t instanceof TableView v) return v;
            if (t instanceof Table r) return TableView.of(r, labels, currencySymbol, rows);
            if (t instanceof KpiTable k) return TableView.of(Table.of(k, title(k.name())), labels, currencySymbol, rows);
            throw new TemplateModelException("tableView(...) takes a result table or a KPI table, not " + (t == null ? "nothing" : t.getClass().getSimpleName()));
        });
        // chartView(c): a chart a step drew (ChartFile) as the page links it
        model.put("chartView", (freemarker.template.TemplateMethodModelEx) args -> {
            if (args.size() != 1 || !(unwrap(args.get(0)) instanceof ChartFile c)) throw new TemplateModelException("chartView(c) takes a drawn chart");
            return m.chart(c, run.kpi(c.kpi()));
        });
        // markdown(text): Markdown (the summary, a model's interpretation) as HTML, raw HTML in it shown as text
        model.put("markdown", (freemarker.template.TemplateMethodModelEx) args -> markup(Markdown.fragment(String.valueOf(unwrap(args.get(0))))));
        model.put("label", (freemarker.template.TemplateMethodModelEx) args -> labels.of(String.valueOf(unwrap(args.get(0)))));
        model.put("charts", charts);
        model.put("tables", tables);
        model.put("unplaced", (freemarker.template.TemplateMethodModelEx) args -> {
            if (args.size() != 1) throw new TemplateModelException("unplaced(\"charts\"|\"tables\") takes one argument");
            return switch (String.valueOf(args.get(0))) {
                case "charts" -> charts.notRead();
                case "tables" -> tables.notRead();
                default -> throw new TemplateModelException("unplaced(\"charts\"|\"tables\"), not unplaced(\"" + args.get(0) + "\")");
            };
        });
        model.put("warnings", List.copyOf(warnings));
        return model;
    }

    private static Object unwrap(Object model) throws TemplateModelException {
        return model instanceof freemarker.template.TemplateModel t ? freemarker.template.utility.DeepUnwrap.unwrap(t) : model;
    }

    /** The files the shop's data came from (data_sources), each with its rows and why rows were not loaded (row_issue_reasons). */
    private List<Map<String, Object>> sources(PipelineRun run) {
        KpiTable t = run.kpi("data_sources"), why = run.kpi("row_issue_reasons");
        List<Map<String, Object>> out = new ArrayList<>();
        if (t == null) return out;
        for (int r = 0; r < t.rows().size(); r++) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("file", String.valueOf(t.value(r, "file_name")));
            f.put("format", String.valueOf(t.value(r, "format")));
            f.put("receivedOn", String.valueOf(t.value(r, "received_on")));
            for (String c : List.of("rows_read", "rows_loaded", "rows_rejected", "rows_set_aside")) {
                f.put(camel(c), Formats.value(io.ecombi.result.Kind.COUNT, t.value(r, c), "", true));
            }
            List<Map<String, Object>> reasons = new ArrayList<>();
            for (int i = 0; why != null && i < why.rows().size(); i++) {
                // by file id: two loads of files with the same name keep their own reasons
                if (!String.valueOf(t.value(r, "file_id")).equals(String.valueOf(why.value(i, "file_id")))) continue;
                Object amount = why.value(i, "amount");
                Map<String, Object> reason = new LinkedHashMap<>();
                reason.put("kind", String.valueOf(why.value(i, "kind")));
                reason.put("reason", String.valueOf(why.value(i, "reason")));
                reason.put("rows", Formats.value(io.ecombi.result.Kind.COUNT, why.value(i, "rows"), "", true));
                reason.put("amount", amount == null ? null : Formats.money(currency, ((Number) amount).doubleValue()));
                reasons.add(reason);
            }
            f.put("reasons", reasons);
            out.add(f);
        }
        return out;
    }

    /** HTML a step rendered (its data escaped there): the template writes it as is. */
    private static Object markup(String html) {
        try {
            return HTMLOutputFormat.INSTANCE.fromMarkup(html);
        } catch (TemplateModelException e) {
            throw new IllegalStateException(e);   // not thrown by the HTML format: it only wraps the string
        }
    }

    /** A chart's name on the page: its file name without .png (the route's last draw argument). */
    static String chartName(ChartFile c) {
        String f = c.file().getFileName().toString();
        return f.endsWith(".png") ? f.substring(0, f.length() - 4) : f;
    }

    private Map<String, Object> chart(ChartFile c, KpiTable t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", chartName(c));
        m.put("title", c.title());
        m.put("alt", c.altText());
        m.put("kpi", c.kpi());
        if (!Files.isRegularFile(c.file())) throw new UncheckedIOException(new java.io.FileNotFoundException("chart " + c.file() + " was not drawn"));
        // linked, not embedded: the page stays light and a phone loads only the charts it scrolls to
        m.put("src", link(c.file()));
        boolean phone = c.phoneFile() != null && Files.isRegularFile(c.phoneFile());
        m.put("phoneSrc", phone ? link(c.phoneFile()) : null);
        // the image's size, so the page keeps its place for a chart not loaded yet instead of jumping
        int[] wide = pngSize(c.file()), narrow = phone ? pngSize(c.phoneFile()) : null;
        m.put("width", wide[0]);
        m.put("height", wide[1]);
        m.put("phoneWidth", narrow == null ? null : narrow[0]);
        m.put("phoneHeight", narrow == null ? null : narrow[1]);
        if (t != null) {
            m.put("table", table(t));
            if (t.csv() != null) m.put("csv", "data/" + t.csv().getFileName());
        } else if (c.kpi() != null && Files.isRegularFile(runDir.resolve("data").resolve(c.kpi() + ".csv"))) {
            m.put("csv", "data/" + c.kpi() + ".csv");   // a table a step wrote itself (forecast.csv, ...)
        }
        return m;
    }

    /** A PNG's width and height, from its IHDR header (bytes 16 to 23). */
    private static int[] pngSize(java.nio.file.Path png) {
        try (var in = Files.newInputStream(png)) {
            byte[] head = in.readNBytes(24);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(head);
            return new int[]{b.getInt(16), b.getInt(20)};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file of the run as the page links it: relative to the run folder, where index.html is. */
    private String link(java.nio.file.Path file) {
        return runDir.toAbsolutePath().relativize(file.toAbsolutePath()).toString().replace(java.io.File.separatorChar, '/');
    }

    /** The top rows of a chart's KPI table as readers see them (the chart's title is its heading). */
    TableView table(KpiTable t) {
        return TableView.of(Table.of(t, null), labels, currency, tableRows);
    }

    /** The headline cards: the trailing 12 months, against the 12 before only when the data covers them in full. */
    private Map<String, Object> cards(KpiTable t, KpiTable scope) {
        if (t == null || t.rows().isEmpty()) return null;
        int current = rowOf(t, "current"), previous = rowOf(t, "previous");
        if (current < 0) return null;
        String against = previous < 0 ? "" : "vs " + t.value(previous, "window_start") + " to " + t.value(previous, "window_end");
        // the SQL decides whether the previous window may be compared (kpi_cards.comparable: the data covers it in full)
        if (previous >= 0 && !Boolean.TRUE.equals(t.value(previous, "comparable"))) {
            Object first = scope == null || scope.rows().isEmpty() ? null : scope.value(0, "first_sale_day");
            against = "no like-for-like comparison: the data starts on " + first;
            previous = -1;
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (String[] metric : CARD_METRICS) {
            Map<String, Object> card = new LinkedHashMap<>();
            card.put("metric", metric[0]);
            card.put("label", metric[1]);
            Object v = t.value(current, metric[0]);
            if ("gross_margin_pct".equals(metric[0]) && (v == null || ((Number) t.value(current, "cost_coverage_pct")).doubleValue() == 0)) {
                card.put("value", "n/a");
                card.put("note", "the data has no cost");
            } else {
                card.put("value", Formats.cell(metric[0], v, currency));
                change(card, t, metric[0], current, previous, against);
            }
            items.add(card);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("windowStart", String.valueOf(t.value(current, "window_start")));
        m.put("windowEnd", String.valueOf(t.value(current, "window_end")));
        m.put("items", items);
        m.put("grossRevenue", Formats.cell("gross_revenue", t.value(current, "gross_revenue"), currency));
        List<String> less = new ArrayList<>();
        for (String[] part : new String[][]{{"discounts", "of discounts"}, {"credit_notes", "of credit notes"}}) {
            Object v = t.value(current, part[0]);
            if (v instanceof Number n && n.doubleValue() != 0) less.add(Formats.cell(part[0], v, currency) + " " + part[1]);
        }
        m.put("less", less);
        Object anonymous = t.value(current, "anonymous_net_revenue");
        m.put("anonymousRevenue", anonymous instanceof Number n && n.doubleValue() != 0 ? Formats.cell("anonymous_net_revenue", anonymous, currency) : null);
        return m;
    }

    private static void change(Map<String, Object> card, KpiTable t, String column, int now, int then, String label) {
        if (then < 0) {
            if (!label.isEmpty()) card.put("note", label);
            return;
        }
        Formats.Change c = Formats.change((Number) t.value(now, column), (Number) t.value(then, column), column.endsWith("_pct"));
        if (c == null) {
            card.put("note", "no data " + label);
            return;
        }
        card.put("direction", c.direction());
        card.put("arrow", c.arrow());
        card.put("change", c.text());
        card.put("note", label);
    }

    private Map<String, Object> run(PipelineRun run) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", String.valueOf(run.id()));
        m.put("trigger", run.trigger());
        m.put("asOf", String.valueOf(run.asOf()));
        m.put("generated", WHEN.format(Instant.now()));
        m.put("started", WHEN.format(run.startedAt()));
        m.put("tookSeconds", String.format(Locale.US, "%.1f", Duration.between(run.startedAt(), Instant.now()).toMillis() / 1000.0));
        KpiTable scope = run.kpi("data_scope");
        if (scope != null && !scope.rows().isEmpty()) {
            Map<String, Object> s = new LinkedHashMap<>();
            for (String c : List.of("window_start", "window_end", "first_sale_day", "last_sale_day", "currency", "currency_note", "demo_data", "today", "data_age_days", "stale")) {
                Object v = scope.columns().contains(c) ? scope.value(0, c) : "";
                s.put(camel(c), v instanceof Number n ? Formats.value(io.ecombi.result.Kind.COUNT, n, "", true) : String.valueOf(v));
            }
            m.put("scope", s);
        }
        List<Map<String, Object>> stages = new ArrayList<>();
        for (Stage s : run.stages()) {
            stages.add(Map.of("name", s.name(), "rows", s.rows() < 0 ? "–" : String.format(Locale.US, "%,d", s.rows()),
                    "seconds", String.format(Locale.US, "%.2f", s.seconds())));
        }
        m.put("stages", stages);
        return m;
    }

    private static String camel(String snake) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char ch : snake.toCharArray()) {
            if (ch == '_') up = true;
            else {
                b.append(up ? Character.toUpperCase(ch) : ch);
                up = false;
            }
        }
        return b.toString();
    }

    private static String title(String kpi) {
        String s = kpi.replace('_', ' ');
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static int rowOf(KpiTable t, String period) {
        for (int r = 0; r < t.rows().size(); r++) if (period.equals(t.value(r, "period"))) return r;
        return -1;
    }

    /**
     * A map that remembers which names the template read, so that unplaced(...) can show what the
     * template does not place (a chart or table a step added after the template was written)
     * instead of leaving it off the page.
     */
    static final class Tracked extends LinkedHashMap<String, Object> {
        private final Set<Object> read = new HashSet<>();

        @Override
        public Object get(Object key) {
            read.add(key);
            return super.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            read.add(key);
            return super.containsKey(key);
        }

        List<Object> notRead() {
            List<Object> out = new ArrayList<>();
            for (Map.Entry<String, Object> e : entrySet()) {
                if (!read.contains(e.getKey())) out.add(Map.of("name", e.getKey(), "value", e.getValue()));
            }
            return out;
        }
    }
}
