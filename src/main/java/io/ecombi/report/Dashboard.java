package io.ecombi.report;

import io.ecombi.Settings;
import io.ecombi.chart.ChartFile;
import io.ecombi.kpi.KpiTable;
import io.ecombi.run.PipelineRun;
import io.ecombi.run.Stage;
import org.apache.camel.Exchange;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The dashboard page, index.html: one self-contained file (inline CSS, charts embedded as data
 * URIs) that opens from disk or as an e-mail attachment. It renders what the run produced and
 * nothing else; every piece of data is HTML-escaped.
 */
public final class Dashboard {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.US).withZone(ZoneId.systemDefault());
    private final String defaultCurrency;
    private String currency;   // the run's, set by html(run): pages are rendered one at a time
    private final int tableRows;
    private final List<String> extraTables;

    public Dashboard(Settings settings) {
        this.defaultCurrency = settings.get("ecombi.report.currency", "USD");
        this.tableRows = settings.getInt("ecombi.report.table-rows", 10);
        this.extraTables = List.of(settings.get("ecombi.report.extra-tables", "revenue_by_country").split("\\s*,\\s*"));
    }

    /** Puts the page in the message body, for the file endpoint that writes it. */
    public void render(Exchange exchange) throws IOException {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        Stage stage = run.beginStage("dashboard");
        String html = html(run);
        exchange.getMessage().setBody(html);
        run.endStage(stage, -1, html.length() + " characters");
    }

    synchronized String html(PipelineRun run) throws IOException {
        currency = Formats.symbol(Formats.currencyCode(run, defaultCurrency));
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>ecombi report as of ").append(Html.esc(run.asOf())).append("</title>\n<style>").append(CSS).append("</style>\n</head>\n<body>\n");
        h.append("<header><h1>Shop performance</h1><p class=\"sub\">as of <b>").append(Html.esc(run.asOf()))
                .append("</b> · run ").append(run.id()).append(" · generated ").append(Html.esc(WHEN.format(Instant.now()))).append("</p></header>\n<main>\n");
        cards(h, run.kpi("kpi_cards"), run.kpi("data_scope"));
        Object summary = run.get("summaryHtml");
        if (summary != null) h.append("<section><h2>Executive summary</h2>").append(summary).append("</section>\n");
        for (ChartFile c : run.charts()) chart(h, c, run.kpi(c.kpi()));
        for (String name : extraTables) {
            KpiTable t = run.kpi(name);
            if (t == null) continue;
            h.append("<section><h2>").append(Html.esc(title(name))).append("</h2>\n");
            table(h, t);
            h.append("</section>\n");
        }
        Object model = run.get("modelHtml");
        if (model != null) h.append("<section><h2>Churn model</h2>").append(model).append("</section>\n");
        if (run.get("anomalyHtml") != null) h.append("<section id=\"anomalies\"><h2>Did something break?</h2>").append(run.get("anomalyHtml")).append("</section>\n");
        if (run.get("forecastHtml") != null) h.append("<section id=\"forecast\"><h2>What to expect next week</h2>").append(run.get("forecastHtml")).append("</section>\n");
        Object trend = run.get("trendHtml"); if (trend != null) h.append("<section><h2>Is this week better than last?</h2>").append(trend).append("</section>\n");
        Object segments = run.get("segmentsHtml"); if (segments != null) h.append("<section><h2>Who are our best customers? RFM segments</h2>").append(segments).append("</section>\n");
        Object cohorts = run.get("cohortsHtml"); if (cohorts != null) h.append("<section><h2>Do the customers we win come back? Cohorts</h2>").append(cohorts).append("</section>\n");
        Object geography = run.get("geographyHtml"); if (geography != null) h.append("<section><h2>Where do they buy? Geography</h2>").append(geography).append("</section>\n");
        Object payments = run.get("paymentsHtml"); if (payments != null) h.append("<section><h2>How do they pay?</h2>").append(payments).append("</section>\n");
        Object quality = run.get("qualityHtml");
        if (quality != null) h.append("<section><h2>Data quality checks</h2>").append(quality).append("</section>\n");
        runDetails(h, run);
        h.append("</main>\n<footer>ecombi · figures from completed orders unless stated · tables show the top ")
                .append(tableRows).append(" rows; the full tables are in data/</footer>\n</body>\n</html>\n");
        return h.toString();
    }

    private void cards(StringBuilder h, KpiTable t, KpiTable scope) {
        if (t == null || t.rows().isEmpty()) return;
        String[][] metrics = {{"net_revenue", "Net revenue"}, {"orders", "Orders"}, {"avg_order_value", "Average order value (net)"},
                {"customers", "Customers with a purchase"}, {"gross_margin_pct", "Gross margin on net sales"}};
        int current = rowOf(t, "current"), previous = rowOf(t, "previous");
        if (current < 0) return;
        h.append("<section><h2>The last 12 months <span class=\"muted\">").append(Html.esc(t.value(current, "window_start")))
                .append(" to ").append(Html.esc(t.value(current, "window_end"))).append("</span></h2>\n<div class=\"cards\">\n");
        String against = previous < 0 ? "" : "vs " + t.value(previous, "window_start") + " to " + t.value(previous, "window_end");
        // compare only with a window the data covers in full: else it compares 12 months with a few
        Object first = scope == null || scope.rows().isEmpty() ? null : scope.value(0, "first_sale_day");
        if (previous >= 0 && (first == null || first.toString().compareTo(t.value(previous, "window_start").toString()) > 0)) {
            against = "no like-for-like comparison: the data starts on " + first;
            previous = -1;
        }
        for (String[] m : metrics) {
            Object v = t.value(current, m[0]);
            if ("gross_margin_pct".equals(m[0]) && (v == null || ((Number) t.value(current, "cost_coverage_pct")).doubleValue() == 0)) {
                h.append("<div class=\"card\"><div class=\"label\">").append(Html.esc(m[1]))
                        .append("</div><div class=\"value\">n/a</div><div class=\"delta\"><span class=\"muted\">the data has no cost</span></div></div>\n");
                continue;
            }
            h.append("<div class=\"card\"><div class=\"label\">").append(Html.esc(m[1])).append("</div><div class=\"value\">")
                    .append(Html.esc(Formats.cell(m[0], v, currency))).append("</div>");
            h.append(previous < 0 ? "<div class=\"delta\"><span class=\"muted\">" + Html.esc(against) + "</span></div>" : delta(t, m[0], current, previous, against));
            h.append("</div>\n");
        }
        h.append("</div>\n<p class=\"muted\">Net revenue = every completed sale after discounts, less credit notes (cancellations); shipping is not revenue. Gross revenue ")
                .append(Html.esc(Formats.cell("gross_revenue", t.value(current, "gross_revenue"), currency)));
        List<String> less = new java.util.ArrayList<>();
        for (String[] part : new String[][]{{"discounts", "of discounts"}, {"credit_notes", "of credit notes"}}) {
            Object v = t.value(current, part[0]);
            if (v instanceof Number n && n.doubleValue() != 0) less.add(Formats.cell(part[0], v, currency) + " " + part[1]);
        }
        if (!less.isEmpty()) h.append(", less ").append(Html.esc(String.join(" and ", less)));
        h.append('.');
        Object anonymous = t.value(current, "anonymous_net_revenue");
        if (anonymous instanceof Number n && n.doubleValue() != 0) {
            h.append(" Of the net revenue, ").append(Html.esc(Formats.cell("anonymous_net_revenue", anonymous, currency)))
                    .append(" is from sales without a known customer: customer figures leave it out.");
        }
        h.append("</p></section>\n");
    }

    private String delta(KpiTable t, String column, int now, int then, String label) {
        if (then < 0) return "";
        Object a = t.value(now, column), b = t.value(then, column);
        if (a == null || b == null || ((Number) b).doubleValue() == 0) {
            return "<div class=\"delta\"><span class=\"muted\">no data " + Html.esc(label) + "</span></div>";
        }
        double x = ((Number) a).doubleValue(), y = ((Number) b).doubleValue();
        boolean points = column.endsWith("_pct");
        double d = points ? x - y : 100 * (x - y) / Math.abs(y);
        String cls = d > 0.05 ? "up" : d < -0.05 ? "down" : "flat";
        String arrow = d > 0.05 ? "▲" : d < -0.05 ? "▼" : "■";
        return String.format(Locale.US, "<div class=\"delta %s\">%s %+.1f%s <span class=\"muted\">%s</span></div>",
                cls, arrow, d, points ? " pts" : "%", Html.esc(label));
    }

    private void chart(StringBuilder h, ChartFile c, KpiTable t) throws IOException {
        String png = Base64.getEncoder().encodeToString(Files.readAllBytes(c.file()));
        h.append("<section><h2>").append(Html.esc(c.title())).append("</h2>\n<figure><img src=\"data:image/png;base64,").append(png)
                .append("\" alt=\"").append(Html.esc(c.altText())).append("\" width=\"1200\" height=\"700\"></figure>\n");
        if (t != null) table(h, t);
        h.append("</section>\n");
    }

    void table(StringBuilder h, KpiTable t) {
        List<Object[]> rows = t.rows();
        int shown = Math.min(tableRows, rows.size());
        h.append("<table><thead><tr>");
        for (String c : t.columns()) h.append("<th>").append(Html.esc(c.replace('_', ' '))).append("</th>");
        h.append("</tr></thead><tbody>\n");
        for (int r = 0; r < shown; r++) {
            h.append("<tr>");
            for (int c = 0; c < t.columns().size(); c++) {
                Object v = rows.get(r)[c];
                h.append(v instanceof Number ? "<td class=\"num\">" : "<td>").append(Html.esc(Formats.cell(t.columns().get(c), v, currency))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table>\n");
        if (t.rowCount() > shown) {
            h.append(String.format(Locale.US, "<p class=\"muted\">%,d of %,d rows shown; all in data/%s.csv</p>\n", shown, t.rowCount(), Html.esc(t.name())));
        }
    }

    private void runDetails(StringBuilder h, PipelineRun run) {
        h.append("<section><h2>About this run</h2>\n<table class=\"meta\"><tbody>\n");
        meta(h, "Run", run.id() + " (trigger " + run.trigger() + ")");
        meta(h, "As of", run.asOf());
        KpiTable scope = run.kpi("data_scope");
        if (scope != null && !scope.rows().isEmpty()) {
            meta(h, "Report window", scope.value(0, "window_start") + " to " + scope.value(0, "window_end")
                    + " (trailing 12 months: cards, margins, countries, products); the monthly trend shows calendar months");
            meta(h, "Data", "sales from " + scope.value(0, "first_sale_day") + " to " + scope.value(0, "last_sale_day"));
            meta(h, "Currency", scope.value(0, "currency") + " (" + scope.value(0, "currency_note") + ")");
        }
        meta(h, "Started", WHEN.format(run.startedAt()));
        meta(h, "Took so far", String.format(Locale.US, "%.1f s", Duration.between(run.startedAt(), Instant.now()).toMillis() / 1000.0));
        h.append("</tbody></table>\n<table><thead><tr><th>stage</th><th>rows</th><th>seconds</th></tr></thead><tbody>\n");
        for (Stage s : run.stages()) {
            h.append("<tr><td>").append(Html.esc(s.name())).append("</td><td class=\"num\">")
                    .append(s.rows() < 0 ? "–" : String.format(Locale.US, "%,d", s.rows())).append("</td><td class=\"num\">")
                    .append(String.format(Locale.US, "%.2f", s.seconds())).append("</td></tr>\n");
        }
        h.append("</tbody></table></section>\n");
    }

    private static void meta(StringBuilder h, String k, Object v) {
        h.append("<tr><th>").append(Html.esc(k)).append("</th><td>").append(Html.esc(v)).append("</td></tr>\n");
    }

    private static String title(String kpi) {
        String s = kpi.replace('_', ' ');
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static int rowOf(KpiTable t, String period) {
        for (int r = 0; r < t.rows().size(); r++) if (period.equals(t.value(r, "period"))) return r;
        return -1;
    }

    private static final String CSS = """
            :root{--ink:#222;--muted:#6b6b6b;--line:#e3e3e3;--up:#009E73;--down:#D55E00;--accent:#0072B2}
            *{box-sizing:border-box}
            body{margin:0;font:15px/1.5 "DejaVu Sans",-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--ink);background:#f6f7f9}
            header{background:#fff;border-bottom:3px solid var(--accent);padding:20px 32px}
            h1{margin:0;font-size:28px}
            h2{font-size:20px;margin:0 0 12px}
            .sub,.muted{color:var(--muted)}
            .muted{font-weight:normal;font-size:13px}
            main{max-width:1280px;margin:0 auto;padding:16px 24px}
            section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:18px 22px;margin:18px 0}
            .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:12px}
            .card{border:1px solid var(--line);border-radius:8px;padding:12px 14px}
            .card .label{color:var(--muted);font-size:13px;text-transform:uppercase;letter-spacing:.04em}
            .card .value{font-size:26px;font-weight:bold;margin:4px 0}
            .delta{font-size:14px}.up{color:var(--up)}.down{color:var(--down)}.flat{color:var(--muted)}
            figure{margin:0 0 12px}
            img{max-width:100%;height:auto;border:1px solid var(--line);border-radius:6px}
            table{border-collapse:collapse;width:100%;font-size:13px;margin:8px 0}
            th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
            th{background:#fafafa;font-weight:600}
            td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            table.meta{width:auto}
            .summary h3{margin:14px 0 6px}
            .note{background:#fff8e6;border-left:4px solid #E69F00;padding:8px 12px}
            footer{color:var(--muted);font-size:12px;text-align:center;padding:20px}
            """;
}
