package io.ecombi.clv;

import io.ecombi.EcombiRuntime;
import io.ecombi.report.Formats;
import io.ecombi.run.PipelineRun;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestRuntime;
import org.apache.commons.math3.random.Well19937c;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A whole run on a shop whose 1,500 customers buy as BG/NBD and Gamma-Gamma say (simulated, seeded):
 * the route fits both models, the hold-out check beats the baseline, and every reader shows the same
 * predicted value: bi.clv_customers, the page's section, the by-segment CSV, the executive summary
 * and clv_model_results.txt.
 */
class ClvPipelineTest {
    static final LocalDate AS_OF = ClvAnalysisTest.AS_OF;
    @TempDir
    static Path work;
    static EcombiRuntime rt;
    static PipelineRun run;
    static Path runDir;

    @BeforeAll
    static void runOnASimulatedShop() throws Exception {
        rt = TestRuntime.startOnFixture(work, "clv_fixture.sql", Map.of());
        List<ClvAnalysisTest.Customer> shop = ClvAnalysisTest.simulate(new BgNbd(0.5, 8, 0.7, 3), new GammaGamma(4, 3, 60), 1500, 0, 104,
                new Well19937c(3400L));
        try (Connection c = rt.database().dataSource().getConnection();
             PreparedStatement cu = c.prepareStatement("INSERT INTO customers (customer_id, registration_date, country) VALUES (?, ?, 'Testland')");
             PreparedStatement or = c.prepareStatement("INSERT INTO orders (order_id, customer_id, order_date, order_status) VALUES (?, ?, ?, 'Completed')");
             PreparedStatement it = c.prepareStatement("INSERT INTO order_items (order_item_id, order_id, product_id, quantity, unit_price, unit_cost)"
                     + " VALUES (?, ?, 1, 1, ?, NULL)")) {
            long order = 10_000;
            for (int i = 0; i < shop.size(); i++) {
                ClvAnalysisTest.Customer k = shop.get(i);
                long id = 1000 + i;
                LocalDate first = AS_OF.minusDays((long) Math.floor(k.startWeeksAgo() * 7));
                cu.setLong(1, id);
                cu.setDate(2, Date.valueOf(first));
                cu.addBatch();
                // the first purchase (its value is not a repeat's: 50), then each repeat on its day
                order = add(or, it, ++order, id, first, 50);
                for (int j = 0; j < k.times().size(); j++) {
                    order = add(or, it, ++order, id, first.plusDays((long) Math.floor(k.times().get(j) * 7)), k.values().get(j));
                }
            }
            cu.executeBatch();
            or.executeBatch();
            it.executeBatch();
        }
        run = TestRuntime.succeededRun(rt, AS_OF);
        runDir = run.dir();
    }

    private static long add(PreparedStatement or, PreparedStatement it, long order, long customer, LocalDate day, double value) throws Exception {
        if (day.isAfter(AS_OF)) day = AS_OF;
        or.setLong(1, order);
        or.setLong(2, customer);
        or.setDate(3, Date.valueOf(day));
        or.addBatch();
        it.setLong(1, order);
        it.setLong(2, order);
        it.setBigDecimal(3, java.math.BigDecimal.valueOf(Math.max(0.01, Math.round(value * 100) / 100.0)));
        it.addBatch();
        return order;
    }

    @AfterAll
    static void stop() {
        if (rt != null) rt.close();
    }

    @Test
    void thePredictionIsPublishedAndEveryReaderShowsTheSameValue() throws Exception {
        var ds = rt.database().dataSource();
        assertThat(Sql.one(ds, "SELECT method FROM bi.clv_runs WHERE run_id = ?", run.id())).isEqualTo("predicted");
        // the simulated customers and the fixture's three
        assertThat(Sql.one(ds, "SELECT count(*) FROM bi.clv_customers WHERE run_id = ?", run.id())).isEqualTo(1503L);
        double total = ((Number) Sql.one(ds, "SELECT sum(clv_12m) FROM bi.clv_customers WHERE run_id = ?", run.id())).doubleValue();
        String money = Formats.money("$", total);
        Element section = Jsoup.parse(Files.readString(runDir.resolve("index.html"))).getElementById("clv");
        assertThat(section).isNotNull();
        assertThat(section.text()).contains("The 1,503 known customers are predicted to bring " + money + " of net revenue in the 12 months after " + AS_OF);
        assertThat(section.select("table").first().text()).contains("Avg P(alive)", "Predicted net revenue, next 12 months", "Champions");
        assertThat(Files.readString(runDir.resolve("executive_summary.md"))).contains("Predicted customer value: the 1,503 known customers are expected to bring "
                + money + " of net revenue in the 12 months after " + AS_OF);
        // the by-segment table adds up to the same customers and, to the cent of its rounding, the same value
        List<String> seg = Files.readAllLines(runDir.resolve("data/clv_segments.csv"));
        List<String> header = List.of(seg.get(0).split(","));
        long customers = 0;
        double value = 0;
        for (String line : seg.subList(1, seg.size())) {
            String[] f = line.split(",");
            customers += Long.parseLong(f[header.indexOf("customers")]);
            String v = f[header.indexOf("predicted_customer_value_12m")];
            if (!v.isEmpty()) value += Double.parseDouble(v);
        }
        assertThat(customers).isEqualTo(1503);
        assertThat(Math.abs(value - total)).isLessThan(0.01 * seg.size());
        String report = Files.readString(runDir.resolve("clv_model_results.txt"));
        assertThat(report).contains("Verdict: PREDICTED", "BG/NBD on 1,503 customers: r = ", "log-likelihood", "the model beat the baseline");
        // the hold-out table: eight buckets whose customers are the calibration customers
        List<String> holdout = Files.readAllLines(runDir.resolve("data/clv_holdout.csv"));
        assertThat(holdout).hasSize(9);
        assertThat(holdout.get(8)).startsWith("7+,");
        long bucketCustomers = holdout.subList(1, 9).stream().mapToLong(l -> Long.parseLong(l.split(",")[1])).sum();
        assertThat(bucketCustomers).isEqualTo(((Number) Sql.one(ds, "SELECT holdout_customers FROM bi.clv_runs WHERE run_id = ?", run.id())).longValue());
        // and drawn in the CLV topic: per bucket, the chart's per-customer figures are the table's totals over its customers
        assertThat(section.select("figure#chart-clv_holdout_chart img").attr("src")).isEqualTo("visualizations/clv_holdout_chart.png");
        List<String> chart = Files.readAllLines(runDir.resolve("data/clv_holdout_chart.csv"));
        assertThat(chart).hasSize(9);
        for (int b = 1; b <= 8; b++) {
            String[] t = holdout.get(b).split(","), c = chart.get(b).split(",");
            assertThat(c[0]).isEqualTo(t[0]);
            assertThat(Double.parseDouble(c[2])).isCloseTo(Double.parseDouble(t[2]) / Double.parseDouble(t[1]), within(0.0005));
            assertThat(Double.parseDouble(c[3])).isCloseTo(Double.parseDouble(t[3]) / Double.parseDouble(t[1]), within(0.0005));
        }
        assertThat(((Number) Sql.one(ds, "SELECT count(*) FROM bi.clv_models WHERE run_id = ? AND bgnbd_converged AND gg_converged", run.id())).longValue())
                .isEqualTo(2);
    }
}
