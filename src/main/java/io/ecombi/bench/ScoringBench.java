package io.ecombi.bench;

import io.ecombi.EcombiRuntime;
import io.ecombi.Settings;
import io.ecombi.db.Database;
import io.ecombi.db.SqlFile;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Issue 32, scoring answers from the stored results: GET /api/customers/{id} and POST
 * /api/churn/predict over HTTP against `serve`'s API, on a shop whose latest succeeded run scored
 * N customers (default 1,000,000). The run's tables are written directly with generate_series, at
 * the shape a run leaves them (bi.rfm_customers, bi.churn_models and its terms, bi.churn_scores,
 * the customer_lifetime_value rows of bi.kpi_rows), for the latest run and the one before it, then
 * ANALYZEd; the answers' time depends on those tables' size and indexes, not on how the rows were
 * computed. One client, one request at a time, keep-alive; random customers, uniform; a warm-up
 * first. Each latency is the client's wall time from request to the whole body; the database's
 * share is the same SQL file timed alone over JDBC.
 */
final class ScoringBench {
    private static final String TOKEN = "bench-token";
    private static final String[] FEATURES = {"total_orders", "total_spent", "avg_order_value", "customer_tenure_days", "days_since_last_order",
            "recent_support_tickets", "avg_days_per_order", "ticket_to_order_ratio", "orders_last_window", "orders_prior_window"};

    private ScoringBench() {}

    static StringBuilder run(String base, String superuserPassword, Path work, int customers, int requests, Map<String, String> overrides) throws Exception {
        String db = "bench_scoring_" + customers;
        try (Connection c = DriverManager.getConnection(base + "postgres", "postgres", superuserPassword); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + db);
            s.execute("CREATE DATABASE " + db);
        }
        System.out.printf("%n== scoring API: %,d scored customers ==%n", customers);
        String load0 = IncrementBench.loadAverage();
        int api, management;
        try (ServerSocket a = new ServerSocket(0); ServerSocket m = new ServerSocket(0)) {
            api = a.getLocalPort();
            management = m.getLocalPort();
        }
        Map<String, String> o = new HashMap<>(overrides);
        o.put("ecombi.db.user", "postgres");
        o.put("ecombi.db.url", base + db);
        o.put("ecombi.reports.dir", work.resolve("reports-scoring").toString());
        o.put("ecombi.inbox.dir", work.resolve("inbox-scoring").toString());
        o.put("ecombi.demo.load-if-empty", "false");
        o.put("ecombi.triggers.enabled", "false");
        o.put("ecombi.service.enabled", "true");
        o.put("ecombi.api.port", String.valueOf(api));
        o.put("ecombi.management.port", String.valueOf(management));
        Map<String, String> env = Map.of("ECOMBI_DB_PASSWORD", superuserPassword, "ECOMBI_API_TOKENS", TOKEN);
        Settings settings = Settings.load(Settings.DEFAULT_FILE, env, o);
        double seedSeconds;
        try (Database d = Database.open(settings)) {
            long t = System.nanoTime();
            seed(d, customers);
            seedSeconds = (System.nanoTime() - t) / 1e9;
        }
        System.out.printf("seeded two runs of %,d customers in %.1f s%n", customers, seedSeconds);

        Map<String, double[]> measured = new LinkedHashMap<>();
        SplittableRandom random = new SplittableRandom(42);
        try (EcombiRuntime rt = EcombiRuntime.start(settings)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
            String root = "http://127.0.0.1:" + api;
            HttpResponse<String> sample = http.send(get(root, 1 + random.nextInt(customers)), HttpResponse.BodyHandlers.ofString());
            if (sample.statusCode() != 200 || !sample.body().contains("\"probability\"")) {
                throw new IllegalStateException("the scoring API did not answer as expected: " + sample.statusCode() + " " + sample.body());
            }
            String predictBody = "{\"features\":{\"total_orders\":3,\"total_spent\":240,\"avg_order_value\":80,\"customer_tenure_days\":400,"
                    + "\"days_since_last_order\":75,\"recent_support_tickets\":1,\"avg_days_per_order\":60,\"ticket_to_order_ratio\":0.33,"
                    + "\"orders_last_window\":0,\"orders_prior_window\":1}}";
            for (int i = 0; i < Math.min(2000, requests / 5); i++) {   // warm-up: JIT, connection, PostgreSQL's caches
                http.send(get(root, 1 + random.nextInt(customers)), HttpResponse.BodyHandlers.discarding());
            }
            measured.put("GET /api/customers/{id}", time(requests, () -> {
                HttpResponse<String> r = http.send(get(root, 1 + random.nextInt(customers)), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
            }));
            measured.put("POST /api/churn/predict", time(Math.max(1, requests / 5), () -> {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(root + "/api/churn/predict")).timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(predictBody)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
            }));
            // the database's share: the answer's SQL file alone, through the same connection pool
            SqlFile customer = SqlFile.read(settings.path("ecombi.sql.dir").resolve("api/customer.sql"));
            javax.sql.DataSource ds = rt.database().dataSource();
            measured.put("its SQL alone (sql/api/customer.sql, JDBC)", time(requests, () -> {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("runId", 2L);
                p.put("customerId", (long) (1 + random.nextInt(customers)));
                p.put("winBackRate", 0.2);
                p.put("contactCost", 2.0);
                customer.rows(ds, p);
            }));
        } finally {
            try (Connection c = DriverManager.getConnection(base + "postgres", "postgres", superuserPassword); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
        return table(customers, requests, seedSeconds, measured, load0, IncrementBench.loadAverage());
    }

    private static HttpRequest get(String root, int customer) {
        return HttpRequest.newBuilder(URI.create(root + "/api/customers/" + customer)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN).GET().build();
    }

    interface Call { void run() throws Exception; }

    /** Milliseconds of each of n calls, sorted. */
    private static double[] time(int n, Call call) throws Exception {
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            call.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    /** Two succeeded runs (the latest and the one before), each with every customer scored, as a run leaves its tables. */
    private static void seed(Database d, int n) throws Exception {
        try (Connection c = d.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO customers (customer_id, email, registration_date, country, customer_segment)"
                    + " SELECT g, 'c' || g || '@example.com', DATE '2023-01-01' + (g % 1000), 'DE', 'Consumer' FROM generate_series(1, ?) g")) {
                ps.setInt(1, n);
                ps.executeUpdate();
            }
            for (int run = 1; run <= 2; run++) {
                String asOf = run == 1 ? "2026-09-30" : "2026-10-31";
                exec(c, "INSERT INTO bi.pipeline_runs (run_id, trigger, as_of, status, finished_at) VALUES (" + run + ", 'bench', DATE '" + asOf + "', 'succeeded', now())");
                exec(c, "INSERT INTO bi.rfm_customers (run_id, as_of, customer_id, recency_days, frequency, monetary, r_score, f_score, m_score, segment)"
                        + " SELECT " + run + ", DATE '" + asOf + "', g, g % 365, 1 + g % 20, round((g % 5000) * 1.37, 2), 1 + g % 5, 1 + (g / 5) % 5, 1 + (g / 25) % 5,"
                        + " (ARRAY['Champions','Loyal','Potential loyalists','At risk','Hibernating'])[1 + g % 5] FROM generate_series(1, " + n + ") g");
                exec(c, "INSERT INTO bi.churn_models (run_id, cutoff_date, as_of, train_rows, metadata, published, verdict) VALUES (" + run + ", DATE '" + asOf
                        + "' - 90, DATE '" + asOf + "', " + n + ", '{\"cv_auc_mean\": 0.73, \"cv_auc_sd\": 0.04, \"cv_folds\": 50}', true, 'beats its baselines')");
                StringBuilder terms = new StringBuilder("INSERT INTO bi.churn_model_terms (run_id, feature, mean, std_dev, coefficient) VALUES (" + run + ", '(intercept)', 0, 1, -1.2)");
                for (int i = 0; i < FEATURES.length; i++) terms.append(", (").append(run).append(", '").append(FEATURES[i]).append("', ").append(10 + i).append(", ").append(3 + i).append(", ").append(i % 2 == 0 ? 0.3 : -0.2).append(')');
                exec(c, terms.toString());
                exec(c, "INSERT INTO bi.churn_scores (run_id, customer_id, churn_probability, risk_band, customer_value, expected_window_revenue)"
                        + " SELECT " + run + ", g, (g % 1000) / 1000.0, (ARRAY['high','medium','low'])[1 + g % 3], round((g % 5000) * 1.37, 2), round((g % 700) * 0.9, 2)"
                        + " FROM generate_series(1, " + n + ") g");
                exec(c, "INSERT INTO bi.kpi_tables (run_id, as_of, kpi, columns, row_count, stored) VALUES (" + run + ", DATE '" + asOf + "', 'customer_lifetime_value',"
                        + " '{customer_id,orders,gross_revenue,net_revenue,profit,first_order,last_order,tenure_days,value_tier,clv_score,clv_basis}', " + n + ", true)");
                exec(c, "INSERT INTO bi.kpi_rows (run_id, kpi, row_no, row) SELECT " + run + ", 'customer_lifetime_value', g, jsonb_build_object("
                        + "'customer_id', g, 'orders', 1 + g % 20, 'gross_revenue', round((g % 5000) * 1.5, 2), 'net_revenue', round((g % 5000) * 1.37, 2),"
                        + " 'profit', round((g % 5000) * 0.3, 2), 'first_order', DATE '2023-01-01' + (g % 1000), 'last_order', DATE '" + asOf + "' - (g % 365),"
                        + " 'tenure_days', 300 + g % 1000, 'value_tier', (ARRAY['Platinum','Gold','Silver','Bronze'])[1 + g % 4],"
                        + " 'clv_score', round((g % 5000) * 4.1, 2), 'clv_basis', 'projected from tenure') FROM generate_series(1, " + n + ") g");
            }
            c.commit();
            c.setAutoCommit(true);
            exec(c, "ANALYZE");
        }
    }

    private static void exec(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static double pct(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static StringBuilder table(int customers, int requests, double seedSeconds, Map<String, double[]> measured, String load0, String load1) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.US, "%n## Scoring API, %,d scored customers%n%n", customers));
        s.append(String.format(Locale.US, "The latest succeeded run and the one before each scored %,d customers (RFM, churn, lifetime value: %,d rows per table "
                + "and run, written in %.0f s, then ANALYZE). `serve`'s API on 127.0.0.1, one client, one request at a time over a kept-alive "
                + "connection, random customers; %,d GETs and %,d predictions after a warm-up. Load average (1, 5, 15 min) before: %s; after: %s.%n%n",
                customers, customers, seedSeconds, requests, Math.max(1, requests / 5), load0, load1));
        s.append("| request | n | p50 ms | p95 ms | p99 ms | max ms | mean ms |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, double[]> e : measured.entrySet()) {
            double[] ms = e.getValue();
            s.append(String.format(Locale.US, "| %s | %,d | %.2f | %.2f | %.2f | %.1f | %.2f |%n", e.getKey(), ms.length, pct(ms, 0.50), pct(ms, 0.95),
                    pct(ms, 0.99), ms[ms.length - 1], Arrays.stream(ms).average().orElse(Double.NaN)));
        }
        s.append(String.format(Locale.US, "%nThe time to read a whole answer over HTTP minus its SQL alone is the API's own share (routing, auth, JSON).%n"));
        s.append(String.format(Locale.US, "%nTarget (issue 32): p95 under 20 ms for GET /api/customers/{id}: %s.%n",
                pct(measured.get("GET /api/customers/{id}"), 0.95) < 20 ? "met" : "NOT met"));
        return s;
    }
}
