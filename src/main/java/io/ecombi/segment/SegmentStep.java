package io.ecombi.segment;

import io.ecombi.Settings;
import io.ecombi.kpi.KpiTable;
import io.ecombi.report.Formats;
import io.ecombi.result.Column;
import io.ecombi.result.Kind;
import io.ecombi.result.Table;
import io.ecombi.run.PipelineRun;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.List;

/**
 * Who the customers are: RFM segments (sql/kpi/rfm_*.sql), where they buy (geography_countries,
 * geography_regions) and how they pay (payment_methods). {@link #parameters} gives the KPI queries their settings as
 * typed headers; {@link #report} puts the sections' results on the run ("segments", "geography",
 * "payments"), which templates/sections/ lay out. The rules and figures are in the SQL files.
 */
public final class SegmentStep {
    private final int windowMonths;
    private final int topCountries;
    private final int topRegions;

    public SegmentStep(Settings settings) {
        this.windowMonths = settings.getInt("ecombi.rfm.window-months");
        this.topCountries = settings.getInt("ecombi.geography.top-countries");
        this.topRegions = settings.getInt("ecombi.geography.top-regions");
        if (windowMonths < 1) throw new IllegalArgumentException("ecombi.rfm.window-months must be 1 or more, not " + windowMonths);
        if (topCountries < 1) throw new IllegalArgumentException("ecombi.geography.top-countries must be 1 or more, not " + topCountries);
        if (topRegions < 1) throw new IllegalArgumentException("ecombi.geography.top-regions must be 1 or more, not " + topRegions);
    }

    /** The section results "segments", "geography" and "payments", from this run's KPI tables. */
    public void report(Exchange exchange) {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        Segments segments = segments(run);
        if (segments != null) run.put("segments", segments);
        Geography geography = geography(run);
        if (geography != null) run.put("geography", geography);
        Payments payments = payments(run);
        if (payments != null) run.put("payments", payments);
    }

    /**
     * Who the best customers are: how many were scored over which window, the segments with their
     * actions, and the movement since the last run that scored customers (null when none did).
     */
    public record Segments(String scored, int windowMonths, String asOf, boolean churnScored, Table segments, MovementView movement) {}

    /** The movement matrix: rows = segment then, columns = segment now, customers in each cell ("·" for none). */
    public record MovementView(String previousRunId, String previousAsOf, List<String> columns, List<MovementRow> rows) {}

    public record MovementRow(String segment, List<MovementCell> cells) {}

    /** A cell of the movement matrix; moved = a customer changed segment (shown in bold). */
    public record MovementCell(String text, boolean moved) {}

    Segments segments(PipelineRun run) {
        KpiTable seg = run.kpi("rfm_segments");
        if (seg == null) return null;
        long scored = 0;
        boolean churn = false;
        List<String> order = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        for (int r = 0; r < seg.rows().size(); r++) {
            scored += (long) seg.number(r, "customers");
            churn |= seg.value(r, "avg_churn_probability") != null;
            order.add(String.valueOf(seg.value(r, "segment")));
            rows.add(java.util.Arrays.asList(seg.value(r, "segment"), seg.value(r, "customers"), seg.value(r, "action")));
        }
        Table table = Table.of("rfm_segments", null, List.of(Column.text("segment"), Column.count("customers"), Column.text("action")),
                rows, "data/rfm_segments.csv");
        KpiTable mv = run.kpi("rfm_movement");
        MovementView movement = null;
        if (mv != null && !mv.rows().isEmpty() && mv.value(0, "previous_run_id") != null) {
            Movement m = Movement.of(order, mv.rows(), mv.column("previous_segment"), mv.column("current_segment"), mv.column("customers"));
            List<MovementRow> mrows = new ArrayList<>();
            for (int r = 0; r < m.rows().size(); r++) {
                List<MovementCell> cells = new ArrayList<>();
                for (int c = 0; c < m.columns().size(); c++) {
                    long n = m.counts()[r][c];
                    cells.add(new MovementCell(n == 0 ? "·" : Formats.value(Kind.COUNT, n, "", true), n > 0 && !m.rows().get(r).equals(m.columns().get(c))));
                }
                mrows.add(new MovementRow(m.rows().get(r), cells));
            }
            movement = new MovementView(String.valueOf(mv.value(0, "previous_run_id")), String.valueOf(mv.value(0, "previous_as_of")), m.columns(), mrows);
        }
        return new Segments(Formats.value(Kind.COUNT, scored, "", true), windowMonths, String.valueOf(run.asOf()), churn, table, movement);
    }

    /**
     * Where they buy: the leading country and its share, the countries folded into "other", and
     * below the country one level per kind of area the data has (region, state); hasRegions false
     * when the data gives a country only.
     */
    public record Geography(String window, boolean anySales, Share leader, List<Folded> folded, boolean regionsComputed,
                            List<AreaLevel> levels, int topCountries, int topRegions) {}

    /** A place and its share of net revenue, written by the report's rules ("43.0%"). */
    public record Share(String name, String share) {}

    /** A row that folds the places after the top N: its name, how many it folds and their share. */
    public record Folded(String name, long count, String share) {}

    public record AreaLevel(String level, String plural, Share leader, List<Folded> folded, Table table) {}

    Geography geography(PipelineRun run) {
        KpiTable t = run.kpi("geography_countries");
        if (t == null) return null;
        String window = window(run);
        if (t.rows().isEmpty()) return new Geography(window, false, null, List.of(), false, List.of(), topCountries, topRegions);
        Share leader = new Share(String.valueOf(t.value(0, "country")), pct(t.value(0, "revenue_share_pct")));
        List<Folded> folded = new ArrayList<>();
        for (int r = 0; r < t.rows().size(); r++) {
            if (t.value(r, "countries_folded") instanceof Number n && n.longValue() > 0) {
                folded.add(new Folded(String.valueOf(t.value(r, "country")), n.longValue(), pct(t.value(r, "revenue_share_pct"))));
            }
        }
        KpiTable g = run.kpi("geography_regions");
        List<AreaLevel> levels = new ArrayList<>();
        if (g != null) {
            for (String level : List.of("region", "state")) {
                List<Object[]> rows = g.rows().stream().filter(r -> level.equals(r[g.column("level")])).toList();
                if (rows.isEmpty()) continue;
                List<String> cols = g.columns().stream().filter(c -> !c.equals("level") && !c.equals("areas_folded")).toList();
                List<List<Object>> shown = rows.stream().map(r -> cols.stream().map(c -> r[g.column(c)]).toList()).toList();
                KpiTable part = KpiTable.of("geography_regions", cols, shown.stream().map(List::toArray).toList());
                List<Folded> areaFolded = new ArrayList<>();
                for (Object[] r : rows) {
                    if (r[g.column("areas_folded")] instanceof Number n && n.longValue() > 0) {
                        areaFolded.add(new Folded(String.valueOf(r[g.column("area")]), n.longValue(), pct(r[g.column("revenue_share_pct")])));
                    }
                }
                Table table = Table.of(part, null);
                table = new Table(table.name(), null, table.columns(), table.rows(), table.totalRows(), "data/geography_regions.csv");
                levels.add(new AreaLevel(level, level.equals("region") ? "regions" : "states",
                        new Share(String.valueOf(part.value(0, "area")), pct(part.value(0, "revenue_share_pct"))), areaFolded, table));
            }
        }
        return new Geography(window, true, leader, folded, g != null, levels, topCountries, topRegions);
    }

    /** How they pay: sale orders of the window by payment method; recorded false when the data records none. */
    public record Payments(String window, boolean recorded, String orders, String notRecorded, String notRecordedShare, Table table) {}

    Payments payments(PipelineRun run) {
        KpiTable t = run.kpi("payment_methods");
        if (t == null) return null;
        long orders = 0, notRecorded = 0;
        for (int r = 0; r < t.rows().size(); r++) {
            long n = (long) t.number(r, "orders");
            orders += n;
            if ("not recorded".equals(t.value(r, "payment_method"))) notRecorded = n;
        }
        return new Payments(window(run), orders != notRecorded, Formats.value(Kind.COUNT, orders, "", true),
                notRecorded == 0 ? null : Formats.value(Kind.COUNT, notRecorded, "", true),
                notRecorded == 0 ? null : Formats.value(Kind.PERCENT, 100.0 * notRecorded / orders, "", true),
                Table.of(t, null));
    }

    private static String pct(Object v) {
        return Formats.value(Kind.PERCENT, v, "", true);
    }

    private static String window(PipelineRun run) {
        KpiTable scope = run.kpi("data_scope");
        if (scope == null || scope.rows().isEmpty()) return "";
        return scope.value(0, "window_start") + " to " + scope.value(0, "window_end");
    }
}
