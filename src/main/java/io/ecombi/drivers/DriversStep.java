package io.ecombi.drivers;

import io.ecombi.Settings;
import io.ecombi.anomaly.AnomalySection;
import io.ecombi.anomaly.AnomalyStep;
import io.ecombi.db.SqlFile;
import io.ecombi.kpi.KpiTable;
import io.ecombi.provenance.Provenance;
import io.ecombi.report.Formats;
import io.ecombi.report.Labels;
import io.ecombi.result.Table;
import io.ecombi.run.PipelineRun;
import io.ecombi.run.Stage;
import org.apache.camel.Exchange;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Why did it move? For each headline move of the run (the period cards of period_comparisons: wow,
 * mtd, yoy, when the data covers the earlier period; and the 12-month cards of kpi_cards, "12m",
 * when comparable) sql/drivers/contributions.sql gives each member's contribution to the change
 * of net revenue, orders, AOV and gross margin, per dimension, and sql/drivers/price_volume_mix.sql
 * splits the net revenue change. Each move's driver table is the KPI table drivers_&lt;move&gt;
 * (data/drivers_&lt;move&gt;.csv, and bi.kpi_tables with every KPI table); the splits are the table
 * price_volume_mix. The page's and the summary's result is "drivers" ({@link Drivers}).
 * Runs after the branches: the RFM segment of a customer is this run's bi.rfm_customers.
 */
public final class DriversStep {
    public static final String KEY = "drivers";
    /** The metrics of a move, in the order readers show them. */
    static final List<String> METRICS = List.of("net_revenue", "orders", "avg_order_value", "gross_margin_pct");
    /** The drivers of the anomaly section's recent days, one file. */
    static final String DAYS_CSV = "data/drivers_anomalies.csv";

    private final DataSource ds;
    private final Path sqlDir;
    private final int keepRows;
    private final String defaultCurrency;
    private final Path labels;

    public DriversStep(DataSource ds, Settings settings) {
        this.ds = ds;
        this.sqlDir = settings.path("ecombi.sql.dir").resolve("drivers");
        this.keepRows = settings.getInt("ecombi.kpi.keep-rows");
        this.defaultCurrency = settings.get("ecombi.report.currency");
        this.labels = settings.path("ecombi.report.labels");
    }

    /** A move: its key, what it compares, and the two date ranges (both ends included). */
    public record Move(String key, String label, LocalDate periodStart, LocalDate periodEnd, LocalDate compareStart, LocalDate compareEnd) {
        /** An anomaly's day against the same weekday a week earlier: one day, as the anomaly baseline compares weekdays. */
        static Move day(LocalDate d) {
            return new Move(d.toString(), d + " vs " + d.minusDays(7), d, d, d.minusDays(7), d.minusDays(7));
        }

        public Map<String, Object> params() {
            return Map.of("periodStart", periodStart, "periodEnd", periodEnd, "compareStart", compareStart, "compareEnd", compareEnd);
        }
    }

    public void run(Exchange exchange) throws IOException, SQLException {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        Stage stage = run.beginStage("drivers");
        List<Move> moves = moves(run.kpi("period_comparisons"), run.kpi("kpi_cards"));
        Path data = run.dir().resolve("data");
        SqlFile contributions = SqlFile.read(sqlDir.resolve("contributions.sql")), pvm = SqlFile.read(sqlDir.resolve("price_volume_mix.sql"));
        Map<String, KpiTable> tables = new LinkedHashMap<>();
        long rows = 0;
        try (KpiTable.Writer splits = new KpiTable.Writer("price_volume_mix", data.resolve("price_volume_mix.csv"), keepRows)) {
            for (Move m : moves) {
                KpiTable t = query(contributions, m, "drivers_" + m.key(), data);
                run.addKpi(t);
                Provenance.record(run, Provenance.of(t.name(), contributions, m.params(), t.rowCount()));
                tables.put(m.key(), t);
                rows += t.rowCount();
                pvm.query(ds, m.params(), row -> {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("comparison", m.key());
                    r.putAll(row);
                    write(splits, r);
                });
            }
            KpiTable split = splits.finish();
            run.addKpi(split);
            Map<String, Object> each = new LinkedHashMap<>();
            for (Move m : moves) each.put(m.key(), m.params());
            Provenance.record(run, Provenance.of(split.name(), pvm, each, split.rowCount()));
            KpiTable days = anomalyDays(contributions, run, data);
            String currency = Formats.symbol(Formats.currencyCode(run, defaultCurrency));
            run.put(KEY, Drivers.of(moves, tables, split, days, currency, Labels.load(labels)));
        }
        run.endStage(stage, rows, moves.size() + " moves: " + String.join(", ", moves.stream().map(Move::key).toList()));
    }

    /**
     * The contributions of each day in the anomaly section's recent list (latest first) against the
     * same weekday a week earlier, in one table with the day first; null when the run has no anomalies.
     */
    private KpiTable anomalyDays(SqlFile file, PipelineRun run, Path data) throws IOException, SQLException {
        if (!(run.get(AnomalyStep.ANOMALIES_KEY) instanceof AnomalySection a)) return null;
        java.util.Set<LocalDate> days = new java.util.TreeSet<>(java.util.Comparator.reverseOrder());
        for (Table t : a.recent()) {
            int c = t.columns().stream().map(io.ecombi.result.Column::key).toList().indexOf("day");
            if (c >= 0) for (List<Object> row : t.rows()) if (row.get(c) != null) days.add(date(row.get(c)));
        }
        if (days.isEmpty()) return null;
        try (KpiTable.Writer w = new KpiTable.Writer("drivers_anomalies", run.dir().resolve(DAYS_CSV), keepRows)) {
            for (LocalDate d : days) {
                file.query(ds, Move.day(d).params(), row -> {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("anomaly_day", d);
                    r.putAll(row);
                    write(w, r);
                });
            }
            KpiTable t = w.finish();
            run.addKpi(t);
            Map<String, Object> each = new LinkedHashMap<>();
            for (LocalDate d : days) each.put(d.toString(), Move.day(d).params());
            Provenance.record(run, Provenance.of(t.name(), file, each, t.rowCount()));
            return t;
        }
    }

    /** One move's contributions as a KPI table and its CSV. */
    KpiTable query(SqlFile file, Move m, String name, Path data) throws IOException, SQLException {
        try (KpiTable.Writer w = new KpiTable.Writer(name, data.resolve(name + ".csv"), keepRows)) {
            file.query(ds, m.params(), row -> write(w, row));
            return w.finish();
        }
    }

    private static void write(KpiTable.Writer w, Map<String, Object> row) {
        try {
            w.row(row);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The run's moves: each period card the data covers, then the 12 months against the 12 before when comparable. */
    static List<Move> moves(KpiTable periods, KpiTable cards) {
        List<Move> out = new ArrayList<>();
        if (periods != null) {
            for (int r = 0; r < periods.rows().size(); r++) {
                if (!Boolean.TRUE.equals(periods.value(r, "covered"))) continue;
                String key = String.valueOf(periods.value(r, "comparison"));
                out.add(new Move(key, String.valueOf(periods.value(r, "compares")), date(periods.value(r, "period_start")), date(periods.value(r, "period_end")),
                        date(periods.value(r, "compare_start")), date(periods.value(r, "compare_end"))));
            }
        }
        if (cards != null && cards.rows().size() == 2 && Boolean.TRUE.equals(cards.value(1, "comparable"))) {
            out.add(new Move("12m", "the last 12 months vs the 12 before", date(cards.value(0, "window_start")), date(cards.value(0, "window_end")),
                    date(cards.value(1, "window_start")), date(cards.value(1, "window_end"))));
        }
        return out;
    }

    private static LocalDate date(Object v) {
        return v instanceof java.sql.Date d ? d.toLocalDate() : v instanceof LocalDate l ? l : LocalDate.parse(String.valueOf(v));
    }
}
