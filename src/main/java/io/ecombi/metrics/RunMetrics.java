package io.ecombi.metrics;

import io.ecombi.Settings;
import io.ecombi.db.SqlFile;
import io.ecombi.kpi.KpiTable;
import io.ecombi.run.PipelineRun;
import io.ecombi.run.Stage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * ecombi's Prometheus metrics (at /observe/metrics with camel-micrometer-prometheus, beside Camel's
 * own): taken from the run object when a run ends (route run-pipeline calls record), so they count
 * exactly what the run record says. Without a meter registry (the service is off) it does nothing.
 * <pre>
 * ecombi_runs_total{status}                 runs ended, by status
 * ecombi_stage_seconds{stage}               stage durations (a timer: count, sum, max)
 * ecombi_kpi_rows{kpi}                      rows of each KPI table of the latest run
 * ecombi_claude_attempts_total              Claude calls made for executive summaries (retries included)
 * ecombi_claude_seconds                     time the summary stage took when Claude wrote it
 * ecombi_anomalies_new{severity}            anomalies the latest run raised as new, by severity
 * ecombi_ingest_rows{outcome}               rows of the loaded files: loaded, rejected, set_aside
 * ecombi_deliveries_total{channel,outcome}  delivery attempts, by channel and outcome (sent, failed, skipped)
 * </pre>
 */
public final class RunMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(RunMetrics.class);
    private final DataSource ds;
    private final Path sqlDir;
    private volatile MeterRegistry registry;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

    public RunMetrics(DataSource ds, Settings settings) {
        this.ds = ds;
        this.sqlDir = settings.path("ecombi.sql.dir");
    }

    /** Once Camel runs: its meter registry, when metrics are on. */
    public void attach(CamelContext context) {
        this.registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (registry != null) refreshIngest();
    }

    /** A run ended (succeeded, failed, interrupted): count it and what it did. Never fails the run. */
    public void record(Exchange exchange) {
        MeterRegistry r = registry;
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        if (r == null || run == null) return;
        try {
            Counter.builder("ecombi_runs_total").description("pipeline runs ended, by status").tag("status", run.status()).register(r).increment();
            for (Stage s : run.stages()) {
                if ("running".equals(s.status())) continue;
                Timer.builder("ecombi_stage_seconds").description("duration of a run's stage").tag("stage", s.name()).register(r)
                        .record(Duration.ofNanos((long) (s.seconds() * 1e9)));
                if ("executive summary".equals(s.name()) && "claude".equals(run.get("summaryWriter"))) {
                    Timer.builder("ecombi_claude_seconds").description("executive summaries written by Claude: time taken, retries included")
                            .register(r).record(Duration.ofNanos((long) (s.seconds() * 1e9)));
                }
            }
            if (run.get("claudeAttempts") instanceof Number n) {
                Counter.builder("ecombi_claude_attempts_total").description("Claude calls made (retries included)").register(r).increment(n.doubleValue());
            }
            for (KpiTable t : run.kpis().values()) gauge("ecombi_kpi_rows", "rows of each KPI table of the latest run", "kpi", t.name()).set(t.rowCount());
            if ("succeeded".equals(run.status())) {
                for (String sev : java.util.List.of("Critical", "High", "Medium", "Low")) gauge("ecombi_anomalies_new", "anomalies the latest run raised as new", "severity", sev).set(0);
                for (Map<String, Object> row : SqlFile.read(sqlDir.resolve("metrics/run_anomalies.sql")).rows(ds, Map.of("runId", run.id()))) {
                    gauge("ecombi_anomalies_new", "anomalies the latest run raised as new", "severity", String.valueOf(row.get("severity")))
                            .set(((Number) row.get("anomalies")).longValue());
                }
            }
            refreshIngest();
        } catch (Exception e) {
            LOG.warn("run {}: metrics not recorded: {}", run.id(), e.getMessage());
        }
    }

    /** A delivery attempt ended. */
    public void delivery(String channel, String outcome) {
        MeterRegistry r = registry;
        if (r == null) return;
        Counter.builder("ecombi_deliveries_total").description("delivery attempts by channel and outcome").tag("channel", channel).tag("outcome", outcome)
                .register(r).increment();
    }

    private void refreshIngest() {
        try {
            Map<String, Object> row = SqlFile.read(sqlDir.resolve("metrics/ingest_rows.sql")).rows(ds, Map.of()).get(0);
            for (String outcome : java.util.List.of("loaded", "rejected", "set_aside")) {
                gauge("ecombi_ingest_rows", "rows of the files loaded into the shop, by outcome", "outcome", outcome).set(((Number) row.get(outcome)).longValue());
            }
        } catch (Exception e) {
            LOG.warn("ingest metrics not read: {}", e.getMessage());
        }
    }

    private AtomicLong gauge(String name, String description, String tag, String value) {
        return gauges.computeIfAbsent(name + "|" + tag + "=" + value, k -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder(name, v, AtomicLong::get).description(description).tag(tag, value).register(registry);
            return v;
        });
    }
}
