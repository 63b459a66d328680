package io.ecombi.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.ecombi.Settings;
import io.ecombi.db.SqlFile;
import org.apache.camel.Exchange;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * POST /api/runs, GET /api/runs, GET /api/runs/{id}: runs from the run record (bi.pipeline_runs,
 * bi.run_stages), the same rows the run's page and `ecombi shops` read. The SQL is in sql/api/.
 */
public final class RunsApi {
    private final DataSource ds;
    private final Path sqlDir;
    private final String shop;
    private final int maxList;
    private final RunQueue queue;

    public RunsApi(DataSource ds, Settings settings, RunQueue queue) {
        this.ds = ds;
        this.sqlDir = settings.path("ecombi.sql.dir");
        this.shop = io.ecombi.shop.Shop.of(settings).name();
        this.maxList = settings.getInt("ecombi.api.max-list");
        this.queue = queue;
    }

    /** POST /api/runs {"asOf": "YYYY-MM-DD", "shop": "name"} (both optional): 202, the run's id and its Location. */
    public void start(Exchange exchange) throws Exception {
        JsonNode body = Json.body(exchange);
        if (!body.isObject()) throw ApiProblem.badRequest("the request body must be a JSON object such as {\"asOf\": \"2026-10-31\"}");
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("asOf") && !f.equals("shop")) throw ApiProblem.badRequest("unknown field '" + f + "': a run takes asOf and shop");
        }
        LocalDate asOf = null;
        if (body.hasNonNull("asOf")) asOf = date("asOf", body.get("asOf").asText());
        if (body.hasNonNull("shop") && !shop.equals(body.get("shop").asText())) {
            // one ecombi serves one shop (its database): another shop is another `serve --shop NAME`
            throw ApiProblem.conflict("this ecombi serves the shop '" + shop + "', not '" + body.get("shop").asText()
                    + "': start `bin/ecombi serve --shop " + body.get("shop").asText() + "` (on another port) for that shop");
        }
        long id = queue.submit(asOf);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        answer.put("status", "queued");
        answer.put("shop", shop);
        answer.put("asOf", asOf == null ? null : asOf.toString());
        answer.put("location", "/api/runs/" + id);
        Json.answer(exchange, 202, answer);
        exchange.getMessage().setHeader("Location", "/api/runs/" + id);
    }

    /** GET /api/runs?limit=n: the latest runs, newest first. */
    public void list(Exchange exchange) throws Exception {
        int limit = Math.min(maxList, positive("limit", exchange.getMessage().getHeader("limit", String.class), 20));
        List<Object> runs = new ArrayList<>();
        for (Map<String, Object> r : sql("runs.sql").rows(ds, Map.of("limit", limit))) runs.add(Json.MAPPER.readTree(String.valueOf(r.get("run"))));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("shop", shop);
        answer.put("runs", runs);
        Json.answer(exchange, 200, answer);
    }

    /** GET /api/runs/{id}: status, trigger, stages with rows and timings, error. */
    public void get(Exchange exchange) throws Exception {
        long id = runId("id", exchange.getMessage().getHeader("id", String.class));
        List<Map<String, Object>> rows = sql("run.sql").rows(ds, Map.of("runId", id));
        if (rows.isEmpty()) throw ApiProblem.notFound("run " + id + " does not exist (GET /api/runs lists the runs)");
        Json.answer(exchange, 200, String.valueOf(rows.get(0).get("run")));
    }

    private SqlFile sql(String name) throws java.io.IOException {
        return SqlFile.read(sqlDir.resolve("api").resolve(name));
    }

    static LocalDate date(String name, String value) {
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest(name + " '" + value + "' is not a date: expected YYYY-MM-DD, e.g. 2026-10-31");
        }
    }

    /** A run id: a positive whole number. */
    static long runId(String name, String value) {
        try {
            long id = Long.parseLong(value == null ? "" : value.trim());
            if (id > 0) return id;
        } catch (NumberFormatException e) {
            // named below
        }
        throw ApiProblem.badRequest(name + " '" + value + "' is not a run id: expected a positive whole number");
    }

    static int positive(String name, String value, int otherwise) {
        if (value == null || value.isBlank()) return otherwise;
        try {
            int n = Integer.parseInt(value.trim());
            if (n > 0) return n;
        } catch (NumberFormatException e) {
            // named below
        }
        throw ApiProblem.badRequest(name + " '" + value + "' is not a positive whole number");
    }
}
