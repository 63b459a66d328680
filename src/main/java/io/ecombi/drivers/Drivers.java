package io.ecombi.drivers;

import io.ecombi.kpi.KpiTable;
import io.ecombi.report.Formats;
import io.ecombi.report.Labels;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The drivers of a run's moves as readers show them: per move and metric (key "wow/net_revenue"),
 * the change, the top three drivers (the largest contribution of each dimension, the three largest
 * of those) and the main driver (the SQL's main row) or, when no member explains the move, that it
 * is spread evenly; each move's price-volume-mix split; and the net revenue drivers of each day of
 * the anomaly section's recent list against the same weekday a week earlier (anomalyDays, latest
 * first). Figures written by {@link Formats}.
 */
public record Drivers(Map<String, Metric> byMove, Map<String, Split> splits, List<Metric> anomalyDays) {

    /** A driver: the dimension's label, the member, its contribution and share of the change as written. */
    public record Line(String dimension, String member, String contribution, String share) {}

    /** One metric of one move: main is null when nothing explains it (spread is then true, unless it did not move). */
    public record Metric(String move, String label, String metric, String change, List<Line> top, Line main, boolean spread, String csv) {}

    /** The net revenue change of a move split into volume, price and mix, as written. */
    public record Split(String change, String volume, String price, String mix) {}

    static Drivers of(List<DriversStep.Move> moves, Map<String, KpiTable> tables, KpiTable split, KpiTable days, String currency, Labels labels) {
        Map<String, Metric> out = new LinkedHashMap<>();
        for (DriversStep.Move m : moves) {
            for (String metric : DriversStep.METRICS) {
                Metric x = metric(tables.get(m.key()), r -> true, m, metric, "data/drivers_" + m.key() + ".csv", currency, labels);
                if (x != null) out.put(m.key() + "/" + metric, x);
            }
        }
        Map<String, Split> splits = new LinkedHashMap<>();
        for (int r = 0; r < split.rows().size(); r++) {
            splits.put(String.valueOf(split.value(r, "comparison")), new Split(amount("net_revenue", split.value(r, "change"), currency),
                    amount("net_revenue", split.value(r, "volume"), currency), amount("net_revenue", split.value(r, "price"), currency),
                    amount("net_revenue", split.value(r, "mix"), currency)));
        }
        List<Metric> byDay = new ArrayList<>();
        if (days != null) {
            java.util.Set<String> seen = new java.util.LinkedHashSet<>();
            for (Object[] row : days.rows()) seen.add(String.valueOf(row[days.column("anomaly_day")]));
            for (String day : seen) {
                java.time.LocalDate d = java.time.LocalDate.parse(day);
                DriversStep.Move m = DriversStep.Move.day(d);
                Metric x = metric(days, r -> day.equals(String.valueOf(days.value(r, "anomaly_day"))), m, "net_revenue", DriversStep.DAYS_CSV, currency, labels);
                if (x != null) byDay.add(x);
            }
        }
        return new Drivers(Map.copyOf(out), Map.copyOf(splits), List.copyOf(byDay));
    }

    /** One metric of a move from the rows of its driver table that the filter keeps; null when it has none. */
    private static Metric metric(KpiTable t, java.util.function.IntPredicate keep, DriversStep.Move m, String metric, String csv, String currency, Labels labels) {
        List<Integer> rows = new ArrayList<>();
        for (int r = 0; r < t.rows().size(); r++) if (keep.test(r) && metric.equals(t.value(r, "metric"))) rows.add(r);
        if (rows.isEmpty()) return null;
        BigDecimal change = (BigDecimal) t.value(rows.get(0), "change");
        List<Line> top = rows.stream()
                .filter(r -> ((Number) t.value(r, "rank")).intValue() == 1 && !"other".equals(t.value(r, "member"))
                        && ((BigDecimal) t.value(r, "contribution")).signum() != 0)
                .sorted(Comparator.comparing((Integer r) -> ((BigDecimal) t.value(r, "contribution")).abs()).reversed())
                .limit(3).map(r -> line(t, r, metric, currency, labels)).toList();
        Line main = rows.stream().filter(r -> Boolean.TRUE.equals(t.value(r, "main"))).findFirst()
                .map(r -> line(t, r, metric, currency, labels)).orElse(null);
        return new Metric(m.key(), m.label(), metric, amount(metric, change, currency), top, main, main == null && change.signum() != 0, csv);
    }

    private static Line line(KpiTable t, int r, String metric, String currency, Labels labels) {
        Object share = t.value(r, "share_pct");
        return new Line(labels.of(String.valueOf(t.value(r, "dimension"))), String.valueOf(t.value(r, "member")),
                amount(metric, t.value(r, "contribution"), currency), share == null ? null : Formats.cell("share_pct", share, currency));
    }

    /** A change or contribution, signed: money, orders, or margin points. */
    static String amount(String metric, Object v, String currency) {
        if (!(v instanceof Number n)) return null;
        String sign = n.doubleValue() > 0 ? "+" : "";
        return switch (metric) {
            case "gross_margin_pct" -> sign + Formats.decimal(n, 2) + " pts";
            case "orders" -> sign + Formats.cell("orders", n, currency);
            default -> sign + Formats.money(currency, n.doubleValue());
        };
    }

    /** The metric of a move, or null when the run has no such move. */
    public Metric of(String move, String metric) {
        return byMove.get(move + "/" + metric);
    }
}
