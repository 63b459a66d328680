package io.ecombi.anomaly;

import io.ecombi.Settings;
import io.ecombi.report.Formats;
import io.ecombi.run.PipelineRun;
import io.ecombi.run.Stage;
import org.apache.camel.Exchange;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * The anomaly step (route anomaly): daily net revenue, orders, average order value and the top
 * categories' net revenue ({@link AnomalySeries}: sql/anomaly/*.sql, from the fact layer) against a
 * same-weekday robust baseline ({@link AnomalyScan}, {@link AnomalyDetector}); days without any
 * order on a normal trading weekday are probable data gaps, not drops (sql/quality/data_gaps.sql,
 * the quality gate's check: one definition). {@link AnomalyStore} keeps every anomaly in
 * bi.anomalies, where the run that first finds it raises it as new and later runs do not, and
 * writes data/anomalies.csv. The section's result is on the run as "anomalies"
 * ({@link AnomalySection} from {@link AnomalySectionBuilder}); "anomalyHeadline" is the sentence
 * for the executive summary when a new Critical or High anomaly fell in the last days, else null.
 */
public final class AnomalyStep {
    public static final String ANOMALIES_KEY = "anomalies";
    public static final String HEADLINE_KEY = "anomalyHeadline";

    private final DataSource ds;
    private final Path sqlDir;
    private final String defaultCurrency;
    private final AnomalyScan scan;
    private final AnomalyStore store;
    private final AnomalySectionBuilder sections;

    public AnomalyStep(DataSource ds, Settings s) {
        this.ds = ds;
        this.sqlDir = s.path("ecombi.sql.dir").resolve("anomaly");
        AnomalyDetector detector = detector(s);
        this.sections = AnomalySectionBuilder.of(s);
        String gapSeverity = s.get("ecombi.anomaly.data-gap-severity");
        if (!AnomalyDetector.SEVERITIES.contains(gapSeverity)) {
            throw new IllegalArgumentException("ecombi.anomaly.data-gap-severity must be one of " + AnomalyDetector.SEVERITIES + ", not '" + gapSeverity + "'");
        }
        this.defaultCurrency = s.get("ecombi.report.currency");
        IsolationForestOpinion forest = new IsolationForestOpinion(s.getInt("ecombi.anomaly.iforest.trees"), s.getInt("ecombi.anomaly.iforest.subsample"),
                s.getInt("ecombi.anomaly.iforest.seed"));
        this.scan = new AnomalyScan(detector, forest, sections.historyDays(), gapSeverity, sections.forestThreshold());
        this.store = new AnomalyStore(ds, sections.forestThreshold());
    }

    /** The detector the settings describe (ecombi.anomaly.*). */
    public static AnomalyDetector detector(Settings s) {
        double[] z = new double[4], pct = new double[4];
        for (int i = 0; i < 4; i++) {
            String sev = AnomalyDetector.SEVERITIES.get(i).toLowerCase(Locale.ROOT);
            z[i] = s.getDouble("ecombi.anomaly." + sev + ".z");
            pct[i] = s.getDouble("ecombi.anomaly." + sev + ".pct");
            if (i > 0 && (z[i] > z[i - 1] || pct[i] > pct[i - 1])) {
                throw new IllegalArgumentException("ecombi.anomaly." + sev + ".z/.pct must not exceed the thresholds of the severity above it");
            }
        }
        return new AnomalyDetector(s.getInt("ecombi.anomaly.baseline-weeks"), s.getInt("ecombi.anomaly.min-baseline-weeks"),
                s.getDouble("ecombi.anomaly.min-sigma-pct"), new AnomalyDetector.Thresholds(z, pct));
    }

    /** The run's shop calendar, fact.calendar (sql/anomaly/calendar_days.sql). */
    private io.ecombi.calendar.ShopCalendar calendar() throws IOException, SQLException {
        List<io.ecombi.calendar.ShopCalendar.Day> days = new java.util.ArrayList<>();
        try (java.sql.Connection c = ds.getConnection()) {
            io.ecombi.db.SqlFile.read(sqlDir.resolve("calendar_days.sql")).query(c, java.util.Map.of(), rs -> days.add(new io.ecombi.calendar.ShopCalendar.Day(
                    rs.getDate("day").toLocalDate(), rs.getString("name"), rs.getString("kind"), rs.getDate("event_start").toLocalDate(), rs.getString("expect"))));
        }
        return io.ecombi.calendar.ShopCalendar.of(days);
    }

    public void run(Exchange exchange) throws IOException, SQLException {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        Stage stage = run.beginStage("anomalies");
        AnomalySeries series = AnomalySeries.read(ds, sqlDir);
        AnomalyScan.Result result = scan.scan(series);
        // what the shop's calendar explains (Black Friday, a public holiday) is an expected event, not an alert
        List<AnomalyDetector.Anomaly> found = ExpectedEvents.label(result.found(), calendar(), series);
        List<Found> saved = store.save(run.id(), found, result.forestScores());
        AnomalyStore.writeCsv(run.dir(), saved);
        String currency = Formats.symbol(Formats.currencyCode(run, defaultCurrency));
        List<Found> alerts = sections.alerts(run.asOf(), saved);
        run.put(HEADLINE_KEY, alerts.isEmpty() ? null : sections.headline(alerts, currency));
        run.put(ANOMALIES_KEY, sections.section(run.asOf(), saved, alerts, currency, result.forestOnly()));
        long fresh = saved.stream().filter(Found::isNew).count();
        run.endStage(stage, saved.size(), saved.size() + " anomalies in the last " + sections.historyDays() + " days, " + fresh + " new; "
                + alerts.size() + " new Critical/High in the last " + sections.recentDays() + " days");
    }
}
