package io.ecombi.provenance;

import io.ecombi.db.SqlFile;
import io.ecombi.run.PipelineRun;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a KPI table of a run comes from: the SQL file and a SHA-256 of the text that ran, the text
 * itself, the parameters bound to it (the run's own, fact.params and the report window, are added by
 * {@link ProvenanceStep}), and its row count. Steps record one per table on the run (result
 * "provenance", KPI name to Provenance); {@link ProvenanceStep} stores them in bi.kpi_provenance with
 * the loaded files that fed the run and writes a page per KPI.
 */
public record Provenance(String kpi, String sqlFile, String sha256, String sql, Map<String, Object> parameters, long rows) {
    public static final String KEY = "provenance";

    public Provenance {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** A table from one file; sqlDir's parent is the project folder the file is named from. */
    public static Provenance of(String kpi, SqlFile file, Map<String, ?> parameters, long rows) {
        Path p = file.path().toAbsolutePath().normalize(), cwd = Path.of("").toAbsolutePath();
        String name = p.startsWith(cwd) ? cwd.relativize(p).toString() : p.toString();
        return new Provenance(kpi, name, file.sha256(), file.text(), plain(parameters), rows);
    }

    /** Parameters as JSON writes them: dates as yyyy-mm-dd, nested maps kept. */
    private static Map<String, Object> plain(Map<String, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v instanceof Map<?, ?> inner ? plain(cast(inner)) : v instanceof Number || v instanceof Boolean || v == null ? v : v.toString()));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> cast(Map<?, ?> m) {
        return (Map<String, ?>) m;
    }

    /** Records a table's provenance on the run (KPIs run in parallel: the map is made once, under the run's lock). */
    @SuppressWarnings("unchecked")
    public static void record(PipelineRun run, Provenance p) {
        Map<String, Provenance> all;
        synchronized (run) {
            all = (Map<String, Provenance>) run.get(KEY);
            if (all == null) {
                all = Collections.synchronizedMap(new LinkedHashMap<>());
                run.put(KEY, all);
            }
        }
        all.put(p.kpi(), p);
    }

    /** The run's provenance by KPI name (empty when none was recorded). */
    @SuppressWarnings("unchecked")
    public static Map<String, Provenance> of(PipelineRun run) {
        Object m = run.get(KEY);
        if (m == null) return Map.of();
        synchronized (m) {
            return Map.copyOf((Map<String, Provenance>) m);
        }
    }
}
