package io.ecombi.summary;

import io.ecombi.EcombiRuntime;
import io.ecombi.kpi.KpiTable;
import io.ecombi.run.PipelineRun;
import io.ecombi.summary.ClaudeStubServer.Reply;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.apache.camel.Exchange;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A shop whose data covers the 12 months before the window, so the summary has a like-for-like
 * comparison: claims of change are checked against it (through the local Claude server), and the
 * summary writes each change with the cards' digits. As of 2026-06-30:
 * <pre>
 *   previous window 2024-07-01 .. 2025-06-30: 201 (2024-07-01, the window's first day and the first sale) 40.00, cost 20
 *                                              202 (2025-03-10) 60.00, cost 30      -> 100.00, 2 orders, 2 customers, margin 50.00 %
 *   current window  2025-07-01 .. 2026-06-30: 203 (2025-08-10) 50.00, cost 30; 204 (2026-02-14) 30.35, cost 18.21;
 *                                              205 (2026-06-20) 40.00, cost 24      -> 120.35, 3 orders, 2 customers
 *   margin (120.35 - 72.21) / 120.35 = 48.14 / 120.35 = 40.00 %; average order value 120.35 / 3 = 40.1167 -> 40.12 against 100 / 2 = 50.00
 * </pre>
 * Changes: net revenue 100 x 20.35 / 100 = 20.35 % exactly, a tie at the second decimal: +20.4 %, half up once from
 * the exact figures (in binary doubles 100 x (120.35 - 100.0) / 100.0 is 20.349999999999994, which printed +20.3 %:
 * what the cards said before Formats.change; the summary said +20.4 % by rounding twice, right here only by luck);
 * orders 3 against 2, +50.0 %; customers 2 against 2, ±0.0 %; average order value 100 x (40.12 - 50.00) / 50.00 =
 * -19.76 %, -19.8 %; margin 40.00 - 50.00 = -10.0 pts.
 */
class ComparableSummaryTest {
    static final String FIXTURE = """
            INSERT INTO customers (customer_id, email, first_name, last_name, registration_date, country, customer_segment) VALUES
             (1, 'ann@example.com', 'Ann', 'A', '2024-06-01', 'United Kingdom', 'Consumer'),
             (2, 'ben@example.com', 'Ben', 'B', '2024-06-01', 'United Kingdom', 'Consumer');
            INSERT INTO products (product_id, product_name, category, subcategory, unit_cost, unit_price, supplier_id) VALUES
             (20, 'Gadget', 'Electronics', 'Gadgets', 50, 100, 1);
            INSERT INTO orders (order_id, customer_id, order_date, order_status, shipping_cost, discount_amount, payment_method) VALUES
             (201, 1, '2024-07-01', 'Completed', 0, 0, 'Card'),
             (202, 2, '2025-03-10', 'Completed', 0, 0, 'Card'),
             (203, 1, '2025-08-10', 'Completed', 0, 0, 'Card'),
             (204, 2, '2026-02-14', 'Completed', 0, 0, 'Card'),
             (205, 1, '2026-06-20', 'Completed', 0, 0, 'Card');
            INSERT INTO order_items (order_item_id, order_id, product_id, quantity, unit_price, unit_cost) VALUES
             (1, 201, 20, 1, 40.00, 20.00),
             (2, 202, 20, 1, 60.00, 30.00),
             (3, 203, 20, 1, 50.00, 30.00),
             (4, 204, 20, 1, 30.35, 18.21),
             (5, 205, 20, 1, 40.00, 24.00);
            """;
    static final String WINDOWS = "the 12 months from 2025-07-01 to 2026-06-30 against the 12 months from 2024-07-01 to 2025-06-30";

    @TempDir
    static Path work;
    static ClaudeStubServer claude;
    static EcombiRuntime rt;

    @BeforeAll
    static void start() throws Exception {
        claude = new ClaudeStubServer();
        Map<String, String> o = TestRuntime.overrides(TestDatabase.newDatabase(), work);
        o.put("ecombi.claude.base-url", claude.baseUrl());
        o.put("ecombi.claude.circuit.window", "1000");
        o.put("ecombi.claude.circuit.minimum-calls", "1000");
        rt = TestRuntime.start(o, Map.of("ANTHROPIC_API_KEY", ClaudeStubServer.KEY));
        Sql.exec(rt.database().dataSource(), FIXTURE);
    }

    @AfterAll
    static void stop() {
        if (rt != null) rt.close();
        if (claude != null) claude.close();
    }

    static PipelineRun run() throws Exception {
        Exchange result = rt.runOnce("test", LocalDate.of(2026, 6, 30));
        assertThat(result.getException()).isNull();
        return EcombiRuntime.runOf(result);
    }

    static String summary(PipelineRun run) throws Exception {
        return Files.readString(run.dir().resolve("executive_summary.md"));
    }

    @Test
    void kpiCardsSaysThePreviousWindowIsComparable() throws Exception {
        claude.enqueue(Reply.text("## Revenue\nAll good."));
        KpiTable cards = run().kpi("kpi_cards");
        // the first sale, 2024-07-01, is on the previous window's first day: covered in full
        assertThat(cards.value(1, "period")).isEqualTo("previous");
        assertThat(cards.value(1, "comparable")).isEqualTo(true);
        assertThat(cards.value(0, "comparable")).isNull();
    }

    @Test
    void grewPassesWhenTheFiguresSayPlusTwentyPercent() throws Exception {
        claude.enqueue(Reply.text("## Revenue\nNet revenue grew over the 12 months to 2026-06-30, and orders rose too.\n"));
        String md = summary(run());
        assertThat(md).contains("2 of 2 claims of change without figures (grew, fell, doubled, record, ...) match the data's comparisons.")
                .doesNotContain("does not support");
    }

    @Test
    void fellAgainstPlusTwentyPercentIsFlagged() throws Exception {
        claude.enqueue(Reply.text("## Revenue\nNet revenue fell over the 12 months, while customers grew.\n"));
        String md = summary(run());
        // customers 2 against 2: ±0.0 %, so "grew" is not supported either
        assertThat(md).contains("0 of 2 claims of change without figures")
                .contains("- \"Net revenue fell\": the data says net revenue changed +20.4% (" + WINDOWS + ")\n")
                .contains("- \"customers grew\": the data says customers changed ±0.0% (" + WINDOWS + ")\n");
    }

    /**
     * The cards (DashboardModel) and the summary (the prompt Claude gets, and the offline text) print every change with
     * the same digits, by the same rule. +20.4 % is right for net revenue: the true change is 20.35 % exactly and the
     * rule is half up, once.
     */
    @Test
    void theSummaryAndTheCardsPrintEachChangeWithTheSameDigits() throws Exception {
        claude.enqueue(Reply.error(400, "invalid_request_error", Map.of()));   // the offline text is written too
        PipelineRun run = run();

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("Net revenue", "+20.4%");
        expected.put("Orders", "+50.0%");
        expected.put("Average order value (net)", "-19.8%");
        expected.put("Customers with a purchase", "±0.0%");
        expected.put("Gross margin on net sales", "-10.0 pts");
        Map<String, String> cards = new LinkedHashMap<>();
        Document page = Jsoup.parse(run.dir().resolve("index.html").toFile(), "UTF-8");
        for (Element card : page.select("#cards .card")) {
            Element delta = card.selectFirst(".delta");
            cards.put(card.selectFirst(".label").text(), delta == null ? null : delta.ownText().replaceFirst("^[▲▼■]\\s*", "").strip());
        }
        assertThat(cards).containsExactlyInAnyOrderEntriesOf(expected);

        List<ClaudeStubServer.Recorded> requests = claude.requests();
        String prompt = requests.get(requests.size() - 1).body();
        assertThat(prompt).contains("- net_revenue_change_pct: +20.4%\\n").contains("- orders_change_pct: +50.0%\\n")
                .contains("- avg_order_value_change_pct: -19.8%\\n").contains("- customers_change_pct: ±0.0%\\n")
                .contains("- gross_margin_change_pts: -10.0 pts\\n");
        assertThat(summary(run)).contains("*Written offline: Claude unavailable: 400 invalid_request_error")
                .contains("That is +20.4% against the 12 months from 2024-07-01 to 2025-06-30 ($100.00).");
    }
}
