package io.ecombi.segment;

import io.ecombi.Settings;
import io.ecombi.kpi.KpiTable;
import io.ecombi.report.Formats;
import io.ecombi.report.Html;
import io.ecombi.run.PipelineRun;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Who the customers are: RFM segments (sql/kpi/rfm_*.sql), where they buy (geography_countries,
 * geography_regions) and how they pay (payment_methods). {@link #parameters} gives the KPI queries their settings as
 * typed headers; {@link #report} turns the tables into the dashboard's fragments (segmentsHtml,
 * geographyHtml, paymentsHtml). The rules and figures are in the SQL files.
 */
public final class SegmentStep {
    private final int windowMonths;
    private final int topCountries;
    private final int topRegions;
    private final String defaultCurrency;

    public SegmentStep(Settings settings) {
        this.windowMonths = settings.getInt("ecombi.rfm.window-months", 12);
        this.topCountries = settings.getInt("ecombi.geography.top-countries", 10);
        this.topRegions = settings.getInt("ecombi.geography.top-regions", 10);
        this.defaultCurrency = settings.get("ecombi.report.currency", "USD");
        if (windowMonths < 1) throw new IllegalArgumentException("ecombi.rfm.window-months must be 1 or more, not " + windowMonths);
        if (topCountries < 1) throw new IllegalArgumentException("ecombi.geography.top-countries must be 1 or more, not " + topCountries);
        if (topRegions < 1) throw new IllegalArgumentException("ecombi.geography.top-regions must be 1 or more, not " + topRegions);
    }

    /** Headers :#rfmWindowMonths, :#geoTopCountries and :#geoTopRegions for the KPI queries that follow. */
    public void parameters(Exchange exchange) {
        exchange.getMessage().setHeader("rfmWindowMonths", windowMonths);
        exchange.getMessage().setHeader("geoTopCountries", topCountries);
        exchange.getMessage().setHeader("geoTopRegions", topRegions);
    }

    public void report(Exchange exchange) {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        String currency = Formats.symbol(Formats.currencyCode(run, defaultCurrency));
        String segments = segmentsHtml(run);
        if (segments != null) run.put("segmentsHtml", segments);
        String geography = geographyHtml(run, currency);
        if (geography != null) run.put("geographyHtml", geography);
        String payments = paymentsHtml(run, currency);
        if (payments != null) run.put("paymentsHtml", payments);
    }

    String segmentsHtml(PipelineRun run) {
        KpiTable seg = run.kpi("rfm_segments");
        if (seg == null) return null;
        StringBuilder h = new StringBuilder();
        long scored = 0;
        boolean churn = false;
        List<String> order = new ArrayList<>();
        for (int r = 0; r < seg.rows().size(); r++) {
            scored += (long) seg.number(r, "customers");
            churn |= seg.value(r, "avg_churn_probability") != null;
            order.add(String.valueOf(seg.value(r, "segment")));
        }
        h.append(String.format(Locale.US, "<p>%,d customers scored: the known customers with a sale in the last %d months to %s. "
                        + "Recency (days since the last order), frequency (orders) and monetary value (net revenue) over all history, "
                        + "each scored 1–5 by rank percentile among them (equal values, equal scores). Segments and actions: "
                        + "<code>sql/kpi/rfm_segment_rules.sql</code>; the list per customer for a CRM: <code>bi.rfm_customers_latest</code> "
                        + "and <code>data/rfm_customers.csv</code>.</p>\n",
                scored, windowMonths, Html.esc(run.asOf())));
        if (!churn) {
            h.append("<p class=\"muted\">No churn probabilities: the churn model published no scores in this run.</p>\n");
        }
        h.append("<table><thead><tr><th>segment</th><th>customers</th><th>recommended action</th></tr></thead><tbody>\n");
        for (int r = 0; r < seg.rows().size(); r++) {
            h.append("<tr><td>").append(Html.esc(seg.value(r, "segment"))).append("</td><td class=\"num\">")
                    .append(Html.esc(Formats.cell("customers", seg.value(r, "customers"), ""))).append("</td><td>")
                    .append(Html.esc(seg.value(r, "action"))).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
        KpiTable mv = run.kpi("rfm_movement");
        if (mv == null) return h.toString();
        if (mv.rows().isEmpty() || mv.value(0, "previous_run_id") == null) {
            h.append("<h3>Movement</h3><p class=\"muted\">No earlier successful run scored customers: movement starts with the next run.</p>\n");
            return h.toString();
        }
        Movement m = Movement.of(order, mv.rows(), mv.column("previous_segment"), mv.column("current_segment"), mv.column("customers"));
        h.append("<h3>Movement since run ").append(Html.esc(mv.value(0, "previous_run_id"))).append(" (as of ")
                .append(Html.esc(mv.value(0, "previous_as_of"))).append(")</h3>\n")
                .append("<p class=\"muted\">Rows: segment at that run; columns: segment now. Customers.</p>\n<table><thead><tr><th>then \\ now</th>");
        for (String c : m.columns()) h.append("<th>").append(Html.esc(c)).append("</th>");
        h.append("</tr></thead><tbody>\n");
        for (int r = 0; r < m.rows().size(); r++) {
            h.append("<tr><th>").append(Html.esc(m.rows().get(r))).append("</th>");
            for (int c = 0; c < m.columns().size(); c++) {
                long n = m.counts()[r][c];
                boolean same = m.rows().get(r).equals(m.columns().get(c));
                h.append("<td class=\"num\">").append(n == 0 ? "·" : same ? String.format(Locale.US, "%,d", n)
                        : String.format(Locale.US, "<b>%,d</b>", n)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table>\n");
        return h.toString();
    }

    String geographyHtml(PipelineRun run, String currency) {
        KpiTable t = run.kpi("geography_countries");
        if (t == null) return null;
        StringBuilder h = new StringBuilder();
        if (t.rows().isEmpty()) return "<p class=\"muted\">No sales in the last 12 months.</p>\n";
        String window = window(run);
        h.append("<p><b>").append(Html.esc(t.value(0, "country"))).append("</b> makes ")
                .append(Html.esc(Formats.cell("revenue_share_pct", t.value(0, "revenue_share_pct"), ""))).append(" of net revenue")
                .append(Html.esc(window)).append(".");
        for (int r = 0; r < t.rows().size(); r++) {
            Object folded = t.value(r, "countries_folded");
            if (folded instanceof Number n && n.longValue() > 0) {
                h.append(" ").append(Html.esc(t.value(r, "country"))).append(" folds the ").append(n.longValue())
                        .append(" countries after the top ").append(topCountries).append(" (")
                        .append(Html.esc(Formats.cell("revenue_share_pct", t.value(r, "revenue_share_pct"), ""))).append(" of net revenue); all of them are in <code>data/revenue_by_country.csv</code>.");
            }
        }
        h.append("</p>\n");
        regionsHtml(h, run, currency, window);
        return h.toString();
    }

    /** Below the country (geography_regions): one table per level the data has, or a note that it has none. */
    private void regionsHtml(StringBuilder h, PipelineRun run, String currency, String window) {
        KpiTable t = run.kpi("geography_regions");
        if (t == null) return;
        if (t.rows().isEmpty()) {
            h.append("<p class=\"note\">By region or state: this data has none — its orders and customers give a country only "
                    + "(as UCI Online Retail and the demo shop do; Superstore gives Region and State, Olist the customer's state), "
                    + "so there is no breakdown below the country.</p>\n");
            return;
        }
        for (String level : List.of("region", "state")) {
            List<Object[]> rows = t.rows().stream().filter(r -> level.equals(r[t.column("level")])).toList();
            if (rows.isEmpty()) continue;
            List<String> cols = t.columns().stream().filter(c -> !c.equals("level") && !c.equals("areas_folded")).toList();
            List<Object[]> shown = rows.stream().map(r -> cols.stream().map(c -> r[t.column(c)]).toArray()).toList();
            KpiTable part = KpiTable.of("geography_regions", cols, shown);
            h.append("<h3>By ").append(level).append("</h3>\n<p><b>").append(Html.esc(part.value(0, "area"))).append("</b> makes ")
                    .append(Html.esc(Formats.cell("revenue_share_pct", part.value(0, "revenue_share_pct"), ""))).append(" of net revenue")
                    .append(Html.esc(window)).append(".");
            for (Object[] r : rows) {
                if (r[t.column("areas_folded")] instanceof Number n && n.longValue() > 0) {
                    h.append(" ").append(Html.esc(r[t.column("area")])).append(" folds the ").append(n.longValue()).append(' ').append(level.equals("region") ? "regions" : "states")
                            .append(" after the top ").append(topRegions).append(" (")
                            .append(Html.esc(Formats.cell("revenue_share_pct", r[t.column("revenue_share_pct")], ""))).append(" of net revenue).");
                }
            }
            h.append(" Location: the order's own, else the customer's; the table is also <code>data/geography_regions.csv</code>.</p>\n");
            table(h, part, currency);
        }
    }

    String paymentsHtml(PipelineRun run, String currency) {
        KpiTable t = run.kpi("payment_methods");
        if (t == null) return null;
        long orders = 0, notRecorded = 0;
        for (int r = 0; r < t.rows().size(); r++) {
            long n = (long) t.number(r, "orders");
            orders += n;
            if ("not recorded".equals(t.value(r, "payment_method"))) notRecorded = n;
        }
        if (orders == notRecorded) {
            return String.format(Locale.US, "<p class=\"note\">This data records no payment method: none of the %,d orders of the last 12 months%s has one, so there is no payment mix to show.</p>\n",
                    orders, Html.esc(window(run)));
        }
        StringBuilder h = new StringBuilder();
        h.append("<p>Sale orders of the last 12 months").append(Html.esc(window(run))).append(" by payment method").append(notRecorded > 0
                ? String.format(Locale.US, "; %,d orders (%.1f%%) have none recorded", notRecorded, 100.0 * notRecorded / orders) : "")
                .append(". Instalments are not recorded in the shop tables.</p>\n");
        table(h, t, currency);
        return h.toString();
    }

    private static String window(PipelineRun run) {
        KpiTable scope = run.kpi("data_scope");
        if (scope == null || scope.rows().isEmpty()) return "";
        return " (" + scope.value(0, "window_start") + " to " + scope.value(0, "window_end") + ")";
    }

    static void table(StringBuilder h, KpiTable t, String currency) {
        h.append("<table><thead><tr>");
        for (String c : t.columns()) h.append("<th>").append(Html.esc(c.replace('_', ' '))).append("</th>");
        h.append("</tr></thead><tbody>\n");
        for (Object[] row : t.rows()) {
            h.append("<tr>");
            for (int c = 0; c < row.length; c++) {
                h.append(row[c] instanceof Number ? "<td class=\"num\">" : "<td>")
                        .append(Html.esc(Formats.cell(t.columns().get(c), row[c], currency))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table>\n");
    }
}
