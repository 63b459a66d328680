package io.ecombi.api;

import io.ecombi.Settings;
import io.ecombi.db.SqlFile;
import org.apache.camel.Exchange;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * GET /api/kpis/{name}[?run=id]: a KPI table of the latest succeeded run (or of the run asked for),
 * as that run stored it. JSON from bi.kpi_tables / bi.kpi_rows; with Accept: text/csv the run's own
 * data/&lt;name&gt;.csv, the file the dashboard links. Both were written from the one table the run
 * computed, so the API, the CSV and the page cannot disagree.
 */
public final class KpiApi {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private final DataSource ds;
    private final Path sqlDir;

    public KpiApi(DataSource ds, Settings settings) {
        this.ds = ds;
        this.sqlDir = settings.path("ecombi.sql.dir");
    }

    public void kpi(Exchange exchange) throws Exception {
        String name = exchange.getMessage().getHeader("name", String.class);
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiProblem.badRequest("'" + name + "' is not a KPI name: lower-case letters, digits and _ (the file name of sql/kpi/<name>.sql)");
        }
        Run run = run(ds, sqlDir, exchange.getMessage().getHeader("run", String.class));
        List<Map<String, Object>> rows = SqlFile.read(sqlDir.resolve("api/kpi.sql")).rows(ds, Map.of("runId", run.id(), "kpi", name));
        if (rows.isEmpty()) {
            List<Object> names = SqlFile.read(sqlDir.resolve("api/kpi_names.sql")).rows(ds, Map.of("runId", run.id())).stream().map(r -> r.get("kpi")).toList();
            throw ApiProblem.notFound("unknown KPI '" + name + "': run " + run.id() + " has " + names);
        }
        Map<String, Object> t = rows.get(0);
        String accept = exchange.getMessage().getHeader("Accept", String.class);
        if (accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("text/csv")) {
            Path csv = run.dir() == null ? null : Path.of(run.dir()).resolve("data").resolve(name + ".csv");
            if (csv == null || !Files.isRegularFile(csv)) {
                throw new ApiProblem(410, "run " + run.id() + "'s folder no longer has data/" + name + ".csv (the last ecombi.reports.keep-runs runs keep theirs): ask for JSON");
            }
            exchange.getMessage().removeHeaders("*");
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/csv; charset=utf-8");
            exchange.getMessage().setHeader("Content-Disposition", "attachment; filename=\"" + name + "-run" + run.id() + ".csv\"");
            exchange.getMessage().setBody(Files.readAllBytes(csv));
            return;
        }
        if (!Boolean.TRUE.equals(t.get("stored"))) {
            throw ApiProblem.conflict("KPI '" + name + "' of run " + run.id() + " has " + t.get("row_count") + " rows, more than bi.kpi_rows keeps ("
                    + t.get("note") + "): ask for it with Accept: text/csv");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("run", run.id());
        answer.put("asOf", String.valueOf(t.get("as_of")));
        answer.put("kpi", name);
        Object columns = t.get("columns");
        answer.put("columns", columns instanceof java.sql.Array a ? List.of((Object[]) a.getArray()) : columns);
        answer.put("rowCount", t.get("row_count"));
        answer.put("rows", Json.MAPPER.readTree(String.valueOf(t.get("rows"))));
        Json.answer(exchange, 200, answer);
    }

    /** A run whose results an answer reads: its id, as-of date and folder. */
    record Run(long id, String asOf, String dir) {}

    /** The run asked for (?run=), which must exist and have succeeded; by default the latest succeeded run. */
    static Run run(DataSource ds, Path sqlDir, String requested) throws Exception {
        if (requested == null || requested.isBlank()) {
            List<Map<String, Object>> latest = SqlFile.read(sqlDir.resolve("api/latest_succeeded_run.sql")).rows(ds, Map.of());
            if (latest.isEmpty()) throw ApiProblem.notFound("no run has succeeded yet: POST /api/runs starts one");
            Map<String, Object> r = latest.get(0);
            return new Run(((Number) r.get("run_id")).longValue(), String.valueOf(r.get("as_of")), (String) r.get("report_dir"));
        }
        long id = RunsApi.runId("run", requested);
        List<Map<String, Object>> rows = SqlFile.read(sqlDir.resolve("api/run.sql")).rows(ds, Map.of("runId", id));
        if (rows.isEmpty()) throw ApiProblem.notFound("run " + id + " does not exist (GET /api/runs lists the runs)");
        String status = String.valueOf(rows.get(0).get("status"));
        if (!"succeeded".equals(status)) throw ApiProblem.conflict("run " + id + " is " + status + ": only a succeeded run has results");
        return new Run(id, null, (String) rows.get(0).get("report_dir"));
    }
}
