package io.ecombi.quality;

import io.ecombi.testing.KpiHarness;
import io.ecombi.testing.Sql;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A closure on a public holiday of the shop's country is not a data gap (issue 33): a UK shop that
 * trades every Monday from 2 March 2026, shut on the Early May and Spring bank holidays (4 and 25
 * May) and on an ordinary Monday (1 June). Only 1 June is a probable gap; the calendar's country
 * is the shop's (ecombi.calendar.country = auto: the UK, all of its revenue).
 */
class HolidayClosureTest {
    @Test
    void aBankHolidayClosureIsNoGapAnOrdinaryMondayIs() {
        try (KpiHarness h = KpiHarness.start()) {
            Sql.exec(h.dataSource(), "INSERT INTO customers (customer_id, registration_date, country) VALUES (1, '2026-01-01', 'United Kingdom')");
            Sql.exec(h.dataSource(), "INSERT INTO products (product_id, product_name, category, unit_price) VALUES (1, 'Thing', 'Things', 10)");
            int id = 0;
            List<LocalDate> shut = List.of(LocalDate.of(2026, 5, 4), LocalDate.of(2026, 5, 25), LocalDate.of(2026, 6, 1));
            for (LocalDate d = LocalDate.of(2026, 3, 2); !d.isAfter(LocalDate.of(2026, 6, 8)); d = d.plusWeeks(1)) {
                if (shut.contains(d)) continue;
                id++;
                Sql.exec(h.dataSource(), "INSERT INTO orders (order_id, customer_id, order_date, order_status) VALUES (" + id + ", 1, '" + d + "', 'Completed');"
                        + " INSERT INTO order_items (order_item_id, order_id, product_id, quantity, unit_price) VALUES (" + id + ", " + id + ", 1, 1, 10)");
            }
            KpiHarness.Run run = h.run(LocalDate.of(2026, 6, 10));
            assertThat(h.query("SELECT name FROM fact.calendar WHERE day = '2026-05-04'")).extracting(r -> r.get("name")).isNotEmpty();
            List<Map<String, Object>> gaps = run.rows("quality/data_gaps");
            assertThat(gaps).extracting(r -> r.get("day")).containsExactly("2026-06-01");
        }
    }
}
