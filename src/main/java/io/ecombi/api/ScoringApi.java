package io.ecombi.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.ecombi.Settings;
import io.ecombi.churn.ChurnScorer;
import io.ecombi.db.SqlFile;
import org.apache.camel.Exchange;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GET /api/customers/{id} and POST /api/churn/predict: answers from the latest succeeded run's own
 * tables (bi.rfm_customers, bi.churn_scores, bi.churn_models and its terms, its lifetime-value KPI
 * rows), so a customer's figures are the ones that run's page and CSV files show. The churn model is
 * the run's only when it was published (it beat its baselines); otherwise the answer says there is
 * no usable model and why, rather than a probability nobody should act on.
 */
public final class ScoringApi {
    private final DataSource ds;
    private final Path sqlDir;
    private final double bandHigh, bandMedium, winBackRate, contactCost;
    private final Set<String> nonNegative;
    private final int topFeatures;

    public ScoringApi(DataSource ds, Settings settings) {
        this.ds = ds;
        this.sqlDir = settings.path("ecombi.sql.dir");
        this.bandHigh = settings.getDouble("ecombi.churn.band-high");
        this.bandMedium = settings.getDouble("ecombi.churn.band-medium");
        this.winBackRate = settings.getDouble("ecombi.churn.win-back-rate");
        this.contactCost = settings.getDouble("ecombi.churn.contact-cost");
        this.nonNegative = Set.of(settings.get("ecombi.api.predict.non-negative-features").split("\\s*,\\s*"));
        this.topFeatures = settings.getInt("ecombi.api.predict.top-features");
    }

    /** GET /api/customers/{id}: RFM, churn (with the model and its CV AUC), lifetime value, retention expected value. */
    public void customer(Exchange exchange) throws Exception {
        String raw = exchange.getMessage().getHeader("id", String.class);
        long customerId;
        try {
            customerId = Long.parseLong(raw == null ? "" : raw.trim());
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("customer id '" + raw + "' is not a whole number");
        }
        KpiApi.Run run = KpiApi.run(ds, sqlDir, exchange.getMessage().getHeader("run", String.class));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("runId", run.id());
        p.put("customerId", customerId);
        p.put("winBackRate", winBackRate);
        p.put("contactCost", contactCost);
        Map<String, Object> r = SqlFile.read(sqlDir.resolve("api/customer.sql")).rows(ds, p).get(0);
        boolean scoredAnywhere = r.get("segment") != null || r.get("lifetime_value") != null || r.get("churn_probability") != null;
        if (!Boolean.TRUE.equals(r.get("known")) && !scoredAnywhere) {
            throw ApiProblem.notFound("customer " + customerId + " is not in the shop's customers");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("customerId", customerId);
        answer.put("run", run.id());
        if (r.get("segment") != null) {
            Map<String, Object> rfm = new LinkedHashMap<>();
            rfm.put("segment", r.get("segment"));
            rfm.put("recencyDays", r.get("recency_days"));
            rfm.put("frequency", r.get("frequency"));
            rfm.put("monetary", r.get("monetary"));
            rfm.put("r", r.get("r_score"));
            rfm.put("f", r.get("f_score"));
            rfm.put("m", r.get("m_score"));
            answer.put("rfm", rfm);
        } else {
            answer.put("rfm", Map.of("note", "not scored: no sale in the RFM window (ecombi.rfm.window-months) up to this run's as-of date"));
        }
        answer.put("churn", churn(r));
        answer.put("lifetimeValue", r.get("lifetime_value") == null ? Map.of("note", "no sale on or before this run's as-of date")
                : Json.MAPPER.readTree(String.valueOf(r.get("lifetime_value"))));
        Json.answer(exchange, 200, answer);
    }

    private static Map<String, Object> churn(Map<String, Object> r) throws java.io.IOException {
        Map<String, Object> c = new LinkedHashMap<>();
        if (r.get("model_run_id") == null) {
            c.put("model", null);
            c.put("note", "no usable model: this run trained no churn model");
            return c;
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("id", r.get("model_run_id"));
        model.put("published", r.get("published"));
        model.put("cvAuc", r.get("cv_auc_mean"));
        model.put("cvAucSd", r.get("cv_auc_sd"));
        model.put("cvFolds", r.get("cv_folds"));
        c.put("model", model);
        if (!Boolean.TRUE.equals(r.get("published"))) {
            c.put("note", "no usable model: " + r.get("verdict"));
        } else if (r.get("churn_probability") == null) {
            c.put("note", "not scored: the model scores the customers active on the as-of date (fact.churn_population)");
        } else {
            c.put("probability", r.get("churn_probability"));
            c.put("band", r.get("risk_band"));
            c.put("customerValue", r.get("customer_value"));
            c.put("expectedWindowRevenue", r.get("expected_window_revenue"));
            c.put("retentionExpectedValue", r.get("retention_expected_value"));
            c.put("reasons", r.get("reasons") == null ? List.of() : Json.MAPPER.readTree(String.valueOf(r.get("reasons"))));
        }
        return c;
    }

    /**
     * POST /api/churn/predict {"features": {"total_orders": 3, ...}} (or the features at the top
     * level): the probability from the latest published model, its band, and the features that push
     * it most. A feature missing, unknown, not a number or out of range is a 422 naming it.
     */
    public void predict(Exchange exchange) throws Exception {
        JsonNode body = Json.body(exchange);
        JsonNode features = body.has("features") ? body.get("features") : body;
        if (!features.isObject()) throw ApiProblem.badRequest("the request body must be a JSON object: {\"features\": {\"total_orders\": 3, ...}}");
        KpiApi.Run run = KpiApi.run(ds, sqlDir, null);
        List<Map<String, Object>> rows = SqlFile.read(sqlDir.resolve("api/published_model.sql")).rows(ds, Map.of("runId", run.id()));
        if (rows.isEmpty()) throw ApiProblem.conflict("no usable model: run " + run.id() + " trained no churn model");
        Map<String, Object> first = rows.get(0);
        if (!Boolean.TRUE.equals(first.get("published"))) {
            throw ApiProblem.conflict("no usable model: run " + run.id() + "'s churn model was not published: " + first.get("verdict"));
        }
        ChurnScorer scorer = ChurnScorer.of(rows);
        Map<String, Double> values = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String f : scorer.features()) {
            JsonNode v = features.get(f);
            if (v == null || v.isNull()) { missing.add(f); continue; }
            if (!v.isNumber()) throw ApiProblem.unprocessable("feature '" + f + "' is " + v + ", not a number");
            double d = v.asDouble();
            if (!Double.isFinite(d)) throw ApiProblem.unprocessable("feature '" + f + "' is not a finite number");
            if (d < 0 && nonNegative.contains(f)) throw ApiProblem.unprocessable("feature '" + f + "' is " + v + ": out of range, it is a count or a number of days (0 or more)");
            values.put(f, d);
        }
        if (!missing.isEmpty()) throw ApiProblem.unprocessable("feature" + (missing.size() > 1 ? "s " : " ") + missing + " missing: the model takes " + scorer.features());
        for (Iterator<String> it = features.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!values.containsKey(f)) throw ApiProblem.unprocessable("feature '" + f + "' is not one the model takes: " + scorer.features());
        }
        ChurnScorer.Score s = scorer.score(values, bandHigh, bandMedium);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("id", run.id());
        model.put("cvAuc", first.get("cv_auc_mean"));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("probability", s.probability());
        answer.put("band", s.band());
        answer.put("model", model);
        answer.put("pushes", s.pushes().stream().limit(topFeatures).map(ChurnScorer::describe).toList());
        Set<String> unstable = new java.util.HashSet<>();
        for (Map<String, Object> row : rows) if (Boolean.FALSE.equals(row.get("stable"))) unstable.add(String.valueOf(row.get("feature")));
        answer.put("reasons", reasons(scorer, s, values, unstable));
        // what the unstable terms push together, not stated as reasons (as sql/churn/reasons.sql's last row)
        double unstablePush = s.pushes().stream().filter(p -> unstable.contains(p.feature())).mapToDouble(ChurnScorer.Push::contribution).sum();
        if (!unstable.isEmpty()) answer.put("unstablePush", Math.round(unstablePush * 10000) / 10000.0);
        Json.answer(exchange, 200, answer);
    }

    /**
     * The top three pushes of the stable terms in the words a stored reason has (bi.churn_reason, through
     * sql/api/reason_words.sql): the rule of sql/churn/reasons.sql.
     */
    private List<String> reasons(ChurnScorer scorer, ChurnScorer.Score s, Map<String, Double> values, Set<String> unstable) throws Exception {
        SqlFile words = SqlFile.read(sqlDir.resolve("api/reason_words.sql"));
        List<String> out = new ArrayList<>();
        for (ChurnScorer.Push p : s.pushes()) {
            if (out.size() == 3 || p.contribution() == 0) break;
            if (unstable.contains(p.feature())) continue;
            Map<String, Object> params = new java.util.HashMap<>();
            params.put("feature", p.feature());
            params.put("value", p.value());
            params.put("average", scorer.mean(p.feature()));
            params.put("usualGap", values.get("avg_days_per_order"));
            params.put("contribution", p.contribution());
            out.add(String.valueOf(words.rows(ds, params).get(0).get("reason")));
        }
        return out;
    }
}
