package io.ecombi.provenance;

import io.ecombi.Settings;
import io.ecombi.db.SqlFile;
import io.ecombi.report.Dashboard;
import io.ecombi.run.PipelineRun;
import io.ecombi.run.Stage;
import org.apache.camel.Exchange;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every figure traceable: after the KPI tables are in bi.kpi_tables (route step kpiHistory), stores
 * each recorded {@link Provenance} in bi.kpi_provenance with the run's own parameters (fact.params
 * and the report window) and the loaded files that fed the run in bi.run_inputs, and writes a page
 * per KPI, provenance/&lt;kpi&gt;.html in the run folder (templates/provenance.ftlh): the query as it
 * ran, its checksum, its parameters, its rows and the files. The dashboard links every card and
 * table that has one.
 */
public final class ProvenanceStep {
    /** A loaded file of the shop (ingest.files) as the page and `ecombi explain` show it. */
    public record Input(long fileId, String fileName, String sha256, Long rows) {}

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final DataSource ds;
    private final Path sqlDir;
    private final Path template;
    private final Dashboard dashboard;

    public ProvenanceStep(DataSource ds, Settings settings, Dashboard dashboard) {
        this.ds = ds;
        this.sqlDir = settings.path("ecombi.sql.dir").resolve("provenance");
        this.template = settings.path("ecombi.report.provenance-template");
        this.dashboard = dashboard;
    }

    public void write(Exchange exchange) throws Exception {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        Stage stage = run.beginStage("provenance");
        Map<String, Provenance> all = Provenance.of(run);
        String runParameters = SqlFile.read(sqlDir.resolve("run_parameters.sql")).rows(ds, Map.of()).stream()
                .map(r -> String.valueOf(r.get("parameters"))).findFirst().orElse("{}");
        List<Input> inputs = new ArrayList<>();
        for (Map<String, Object> r : SqlFile.read(sqlDir.resolve("loaded_files.sql")).rows(ds, Map.of())) {
            inputs.add(new Input(((Number) r.get("file_id")).longValue(), String.valueOf(r.get("file_name")), String.valueOf(r.get("sha256")),
                    r.get("rows_loaded") == null ? null : ((Number) r.get("rows_loaded")).longValue()));
        }
        SqlFile storeKpi = SqlFile.read(sqlDir.resolve("store_kpi.sql")), storeInput = SqlFile.read(sqlDir.resolve("store_input.sql"));
        SqlFile.inTransaction(ds, c -> {
            for (Input i : inputs) {
                storeInput.execute(c, Map.of("runId", run.id(), "fileId", i.fileId(), "fileName", i.fileName(), "sha256", i.sha256(),
                        "rows", i.rows() == null ? -1L : i.rows()));
            }
            for (Provenance p : all.values()) {
                storeKpi.execute(c, Map.of("runId", run.id(), "kpi", p.kpi(), "sqlFile", p.sqlFile(), "sha256", p.sha256(), "sqlText", p.sql(),
                        "parameters", parameters(p, runParameters), "rows", p.rows()));
            }
        });
        Path dir = run.dir().resolve("provenance");
        Files.createDirectories(dir);
        for (Provenance p : all.values()) {
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("p", p);
            page.put("bound", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(p.parameters()));
            page.put("runParameters", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(runParameters)));
            page.put("inputs", inputs);
            Path tmp = dir.resolve(".part-" + p.kpi() + ".html");
            Files.writeString(tmp, dashboard.render(run, template, page), StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(p.kpi() + ".html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        run.endStage(stage, all.size(), all.size() + " KPI tables traced to their SQL; " + inputs.size() + " loaded files");
    }

    /** The parameters bound to the file and the run's own, as one JSON object. */
    static String parameters(Provenance p, String runParameters) {
        try {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("bound", p.parameters());
            m.put("run", JSON.readTree(runParameters));
            return JSON.writeValueAsString(m);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
