package io.ecombi.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.ecombi.run.PipelineRun;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestRuntime;
import io.ecombi.testing.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

import static io.ecombi.api.ApiTest.JSON;
import static io.ecombi.api.ApiTest.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * GET /api/customers/{id} and POST /api/churn/predict over real HTTP, on the hand-made shop of
 * KpiQueriesTest as of 2026-06-30. Its churn model has too few customers to train (no usable model);
 * a published model with hand-picked terms is then stored for the same run, so every probability
 * below is worked out by hand.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScoringApiTest {
    @TempDir
    static Path work;
    static TestService svc;
    static PipelineRun run;

    @BeforeAll
    static void start() throws Exception {
        svc = TestService.start(work, "kpi_fixture.sql", Map.of(), Map.of());
        run = TestRuntime.succeededRun(svc.rt, LocalDate.of(2026, 6, 30));
    }

    @AfterAll
    static void stop() {
        if (svc != null) svc.rt.close();
    }

    static JsonNode ok(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    @Order(1)
    void aCustomerWithRfmAndLifetimeValueAndNoUsableModel() throws Exception {
        JsonNode alice = ok(svc.get("/api/customers/1"));
        assertThat(alice.get("run").asLong()).isEqualTo(run.id());
        // RFM over the three customers with a sale in the 12 months (Alice, Bob, Cara), 1 + floor(5 x percent_rank), at most 5:
        // recency (days since the last sale): Alice 29 (06-01), Cara 89, Bob 90 -> Alice the most recent: R 5;
        // frequency: Alice 3 (109, 100, 101), Bob 2, Cara 2 -> F 5; monetary: Alice 100 + 170 + 20 = 290, Cara 140, Bob 115 -> M 5
        JsonNode rfm = alice.get("rfm");
        assertThat(rfm.get("segment").asText()).isEqualTo("Champions");
        assertThat(rfm.get("recencyDays").asInt()).isEqualTo(29);
        assertThat(rfm.get("frequency").asInt()).isEqualTo(3);
        assertThat(rfm.get("monetary").decimalValue()).isEqualByComparingTo("290");
        assertThat(rfm.get("r").asInt()).isEqualTo(5);
        assertThat(rfm.get("f").asInt()).isEqualTo(5);
        assertThat(rfm.get("m").asInt()).isEqualTo(5);
        // Bob: R: percent_rank 0 (the least recent) -> 1; F: tied with Cara at the lowest -> 1; M: 115 the lowest -> 1
        JsonNode bob = ok(svc.get("/api/customers/2")).get("rfm");
        assertThat(bob.get("r").asInt()).isEqualTo(1);
        assertThat(bob.get("f").asInt()).isEqualTo(1);
        assertThat(bob.get("m").asInt()).isEqualTo(1);
        // lifetime value: net 290 since 2025-06-15, tenure 380 days, projected 290 / 380 x 365 x 3 = 835.66
        JsonNode clv = alice.get("lifetimeValue");
        assertThat(clv.get("net_revenue").decimalValue()).isEqualByComparingTo("290.00");
        assertThat(clv.get("tenure_days").asInt()).isEqualTo(380);
        assertThat(clv.get("clv_score").decimalValue()).isEqualByComparingTo("835.66");
        // one customer active at the cutoff: too few to train on, so no churn probability, and the answer says why
        assertThat(alice.get("churn").get("note").asText()).startsWith("no usable model");
        assertThat(alice.get("churn").has("probability")).isFalse();
        // Dan never ordered: known, but neither scored nor valued
        JsonNode dan = ok(svc.get("/api/customers/4"));
        assertThat(dan.get("rfm").get("note").asText()).contains("not scored");
        assertThat(dan.get("lifetimeValue").get("note").asText()).contains("no sale");
        // unknown and malformed ids
        assertThat(problem(svc.get("/api/customers/999"), 404).get("error").asText()).contains("customer 999 is not in the shop's customers");
        assertThat(problem(svc.get("/api/customers/abc"), 400).get("error").asText()).contains("customer id 'abc' is not a whole number");
    }

    @Test
    @Order(2)
    void predictWithoutAPublishedModelSaysSo() throws Exception {
        assertThat(problem(svc.post("/api/churn/predict", "{\"features\": {\"total_orders\": 1}}"), 409).get("error").asText())
                .startsWith("no usable model");
    }

    @Test
    @Order(3)
    void predictFromThePublishedModelsTerms() throws Exception {
        // a published model for the run: intercept -1; total_orders mean 2, sd 1, coefficient 0.5;
        // days_since_last_order mean 30, sd 15, coefficient 1.0 (per standard deviation)
        Sql.exec(svc.rt.database().dataSource(), "INSERT INTO bi.churn_models (run_id, cutoff_date, as_of, train_rows, metadata, published, verdict) VALUES ("
                + run.id() + ", '2026-04-01', '2026-06-30', 400, '{\"cv_auc_mean\": 0.75, \"cv_auc_sd\": 0.02, \"cv_folds\": 10}', true, 'published: test model');"
                + "INSERT INTO bi.churn_model_terms (run_id, feature, mean, std_dev, coefficient) VALUES (" + run.id() + ", '(intercept)', 0, 1, -1), ("
                + run.id() + ", 'total_orders', 2, 1, 0.5), (" + run.id() + ", 'days_since_last_order', 30, 15, 1.0);"
                // Alice's score as the run would have stored it: p 0.3, expected window revenue 100
                + "INSERT INTO bi.churn_scores (run_id, customer_id, churn_probability, risk_band, customer_value, expected_window_revenue) VALUES ("
                + run.id() + ", 1, 0.3, 'medium', 190, 100);"
                // and its one reason as sql/churn/reasons.sql would have stored it (6 orders: 0.5 x (6 - 2) / 1 = +2.0)
                + "INSERT INTO bi.churn_reasons (run_id, customer_id, rank, feature, value, average, contribution, reason) VALUES ("
                + run.id() + ", 1, 1, 'total_orders', 6, 2, 2.0, '6 orders in all (average customer 2.0): raises the risk');");
        // 4 orders, 30 days: -1 + 0.5 x (4 - 2) / 1 + 1.0 x (30 - 30) / 15 = 0 -> p = 1 / (1 + e^0) = 0.5: high (>= ecombi.churn.band-high 0.5)
        JsonNode a = ok(svc.post("/api/churn/predict", "{\"features\": {\"total_orders\": 4, \"days_since_last_order\": 30}}"));
        assertThat(a.get("probability").asDouble()).isEqualTo(0.5);
        assertThat(a.get("band").asText()).isEqualTo("high");
        assertThat(a.get("model").get("id").asLong()).isEqualTo(run.id());
        assertThat(a.get("model").get("cvAuc").asDouble()).isEqualTo(0.75);
        // the push: total_orders +1.0 first, days 0
        assertThat(a.get("pushes").get(0).get("feature").asText()).isEqualTo("total_orders");
        assertThat(a.get("pushes").get(0).get("contribution").asDouble()).isEqualTo(1.0);
        assertThat(a.get("pushes").get(0).get("direction").asText()).isEqualTo("towards churn");
        // in words, as a stored reason reads; the days' push is 0: no reason
        assertThat(a.get("reasons")).extracting(JsonNode::asText).containsExactly("4 orders in all (average customer 2.0): raises the risk");
        // 1 order, 0 days: -1 + 0.5 x (1 - 2) + 1.0 x (0 - 30) / 15 = -1 - 0.5 - 2 = -3.5 -> p = 1 / (1 + e^3.5) = 0.029312; low
        JsonNode b = ok(svc.post("/api/churn/predict", "{\"total_orders\": 1, \"days_since_last_order\": 0}"));
        assertThat(b.get("probability").asDouble()).isCloseTo(0.0293122308, within(1e-9));
        assertThat(b.get("band").asText()).isEqualTo("low");
        assertThat(b.get("pushes").get(0).get("feature").asText()).isEqualTo("days_since_last_order");
        assertThat(b.get("pushes").get(0).get("direction").asText()).isEqualTo("away from churn");
        // days -2.0 first, then orders -0.5 (no avg_days_per_order given: no usual gap, the average customer's instead)
        assertThat(b.get("reasons")).extracting(JsonNode::asText).containsExactly(
                "no order for 0 days (average customer 30): lowers the risk", "1 order in all (average customer 2.0): lowers the risk");
        // a feature missing, negative, not a number, unknown: 422 naming it
        assertThat(problem(svc.post("/api/churn/predict", "{\"features\": {\"total_orders\": 4}}"), 422).get("error").asText())
                .contains("[days_since_last_order] missing");
        assertThat(problem(svc.post("/api/churn/predict", "{\"features\": {\"total_orders\": -1, \"days_since_last_order\": 3}}"), 422).get("error").asText())
                .contains("feature 'total_orders' is -1: out of range");
        assertThat(problem(svc.post("/api/churn/predict", "{\"features\": {\"total_orders\": \"four\", \"days_since_last_order\": 3}}"), 422).get("error").asText())
                .contains("feature 'total_orders' is \"four\", not a number");
        assertThat(problem(svc.post("/api/churn/predict", "{\"features\": {\"total_orders\": 4, \"days_since_last_order\": 3, \"shoe_size\": 9}}"), 422)
                .get("error").asText()).contains("feature 'shoe_size' is not one the model takes");
        assertThat(problem(svc.post("/api/churn/predict", "[1, 2]"), 400).get("error").asText()).contains("JSON object");
        // the customer now has the model id, its CV AUC, the band and the retention expected value:
        // 0.3 x 100 x ecombi.churn.win-back-rate 0.2 - ecombi.churn.contact-cost 5 = 1.00
        JsonNode churn = ok(svc.get("/api/customers/1")).get("churn");
        assertThat(churn.get("model").get("id").asLong()).isEqualTo(run.id());
        assertThat(churn.get("model").get("cvAuc").asDouble()).isEqualTo(0.75);
        assertThat(churn.get("probability").asDouble()).isEqualTo(0.3);
        assertThat(churn.get("band").asText()).isEqualTo("medium");
        assertThat(churn.get("retentionExpectedValue").decimalValue()).isEqualByComparingTo("1.00");
        assertThat(churn.get("reasons").get(0).get("reason").asText()).isEqualTo("6 orders in all (average customer 2.0): raises the risk");
        assertThat(churn.get("reasons").get(0).get("contribution").asDouble()).isEqualTo(2.0);
    }

    @Test
    @Order(4)
    void scoringLatency() throws Exception {
        // not a timed test (the machine is shared): measures and reports, for the README's note
        int n = 300;
        long[] customer = new long[n], predict = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            svc.get("/api/customers/" + (1 + i % 3));
            customer[i] = System.nanoTime() - t;
            t = System.nanoTime();
            svc.post("/api/churn/predict", "{\"total_orders\": " + (i % 7) + ", \"days_since_last_order\": " + (i % 90) + "}");
            predict[i] = System.nanoTime() - t;
        }
        java.util.Arrays.sort(customer);
        java.util.Arrays.sort(predict);
        System.out.printf("SCORING-LATENCY over %d requests each: GET /api/customers p50 %.1f ms p95 %.1f ms; POST /api/churn/predict p50 %.1f ms p95 %.1f ms%n",
                n, customer[n / 2] / 1e6, customer[n * 95 / 100] / 1e6, predict[n / 2] / 1e6, predict[n * 95 / 100] / 1e6);
    }

    @Test
    @Order(5)
    void anUnstableTermScoresButIsNoReason() throws Exception {
        // the same model with days_since_last_order marked unstable (as the model report would not call it a driver):
        // 1 order, 0 days still scores -3.5 with its -2.0 push first, but the only reason is the orders' -0.5
        Sql.exec(svc.rt.database().dataSource(), "UPDATE bi.churn_model_terms SET stable = false WHERE run_id = " + run.id()
                + " AND feature = 'days_since_last_order'");
        JsonNode b = ok(svc.post("/api/churn/predict", "{\"total_orders\": 1, \"days_since_last_order\": 0}"));
        assertThat(b.get("probability").asDouble()).isCloseTo(0.0293122308, within(1e-9));
        assertThat(b.get("pushes").get(0).get("feature").asText()).isEqualTo("days_since_last_order");
        assertThat(b.get("reasons")).extracting(JsonNode::asText).containsExactly("1 order in all (average customer 2.0): lowers the risk");
        assertThat(b.get("unstablePush").asDouble()).isEqualTo(-2.0);
    }
}
