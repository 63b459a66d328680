package io.ecombi.run;

import io.ecombi.chart.ChartFile;
import io.ecombi.kpi.KpiTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one run computes. It travels on the exchange as the property {@link #PROPERTY};
 * every step reads what earlier steps left here and adds its own.
 */
public final class PipelineRun {
    public static final String PROPERTY = "ecombiRun";
    private static final Logger LOG = LoggerFactory.getLogger(PipelineRun.class);

    private final long id;
    private final String trigger;
    private final LocalDate asOf;
    private final Instant startedAt = Instant.now();
    private final Path dir;
    private final RunRecorder recorder;
    private final List<Stage> stages = new ArrayList<>();
    private final Map<String, KpiTable> kpis = new LinkedHashMap<>();
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final List<ChartFile> charts = new ArrayList<>();
    private String status = "running";
    private String error;
    private volatile Instant finishedAt;

    PipelineRun(long id, String trigger, LocalDate asOf, Path dir, RunRecorder recorder) {
        this.id = id;
        this.trigger = trigger;
        this.asOf = asOf;
        this.dir = dir;
        this.recorder = recorder;
    }

    public long id() { return id; }
    public String trigger() { return trigger; }
    public LocalDate asOf() { return asOf; }
    public Instant startedAt() { return startedAt; }
    /** When the run ended (succeeded, failed, interrupted); null while it goes on. */
    public Instant finishedAt() { return finishedAt; }
    /** The run's wall time: start to end, or to now while it goes on (its stages overlap: their sum is more). */
    public double wallSeconds() {
        Instant end = finishedAt;
        return java.time.Duration.between(startedAt, end == null ? Instant.now() : end).toNanos() / 1e9;
    }
    /** The run's own output folder, reports/runs/<id>; published whole when the run succeeds. */
    public Path dir() { return dir; }
    public String status() { return status; }
    public String error() { return error; }
    public List<Stage> stages() { return Collections.unmodifiableList(stages); }

    public synchronized Stage beginStage(String name) {
        if ("interrupted".equals(status)) throw new PipelineFailedException("Run " + id + " interrupted before stage '" + name + "': " + error, null);
        Stage s = new Stage(stages.size() + 1, name, Instant.now());
        stages.add(s);
        LOG.info("run {} | {} started", id, name);
        recorder.stageStarted(id, s);
        return s;
    }

    public synchronized void endStage(Stage s, long rows, String detail) {
        s.finishedAt = Instant.now();
        s.rows = rows;
        s.detail = detail;
        s.status = "succeeded";
        LOG.info("run {} | {} done: {} rows in {} s", id, s.name, rows < 0 ? "-" : rows, String.format("%.2f", s.seconds()));
        recorder.stageFinished(id, s);
    }


    /** The stage still running when an error struck is marked failed with the error. */
    synchronized void failOpenStages(String message) {
        for (Stage s : stages) {
            if ("running".equals(s.status)) {
                s.finishedAt = Instant.now();
                s.status = "failed";
                s.detail = message;
                recorder.stageFinished(id, s);
            }
        }
    }

    // synchronized: independent KPI queries run in parallel and add their tables from several threads
    public synchronized void addKpi(KpiTable table) { kpis.put(table.name(), table); }
    public synchronized KpiTable kpi(String name) { return kpis.get(name); }
    public synchronized Map<String, KpiTable> kpis() { return Collections.unmodifiableMap(new LinkedHashMap<>(kpis)); }

    public synchronized void addChart(ChartFile chart) { charts.add(chart); }
    public synchronized List<ChartFile> charts() { return List.copyOf(charts); }

    /** Results of later steps (model metrics, summary outcome, ...) by name. */
    public synchronized void put(String key, Object value) { results.put(key, value); }
    public synchronized Object get(String key) { return results.get(key); }
    /** The names of those results, in the order they were first put. */
    public synchronized List<String> resultNames() { return List.copyOf(results.keySet()); }

    /** ecombi stopped under this run: it and its open stages end 'interrupted'. */
    synchronized void interrupt(String reason) {
        for (Stage s : stages) {
            if ("running".equals(s.status)) {
                s.finishedAt = Instant.now();
                s.status = "interrupted";
                s.detail = reason;
            }
        }
        finish("interrupted", reason);
    }

    void finish(String status, String error) {
        this.status = status;
        this.error = error;
        this.finishedAt = Instant.now();
    }
}
