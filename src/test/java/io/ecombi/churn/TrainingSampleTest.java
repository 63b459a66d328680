package io.ecombi.churn;

import com.zaxxer.hikari.HikariDataSource;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * sql/churn/training_sample.sql on hand-made training sets: every row comes back, and in_sample
 * marks the whole set under the cap, else exactly the cap, each class in proportion to its size.
 */
class TrainingSampleTest {
    private static HikariDataSource ds;

    @BeforeAll
    static void database() {
        ds = new HikariDataSource();
        ds.setJdbcUrl(TestDatabase.newDatabase());
        ds.setUsername(TestDatabase.user());
        ds.setPassword(TestDatabase.password());
    }

    @AfterAll
    static void close() {
        ds.close();
    }

    /** customers 1000 .. 1000 + n - 1, churned when (id - 1000) % churnedEvery = 0, through the sample query. */
    private static List<Map<String, Object>> sample(int n, int churnedEvery, int maxRows, int seed) throws Exception {
        // the file reads its set from churn_features and its settings from fact.params
        Sql.exec(ds, "CREATE SCHEMA IF NOT EXISTS fact; DROP TABLE IF EXISTS fact.params; DROP TABLE IF EXISTS churn_features;"
                + " CREATE TABLE fact.params AS SELECT " + maxRows + " AS churn_max_training_rows, " + seed + " AS churn_seed;"
                + " CREATE TABLE churn_features AS SELECT g AS customer_id, (g - 1000) % " + churnedEvery + " = 0 AS churned_next_window,"
                + " g * 10 AS total_spent FROM generate_series(1000, " + (1000 + n - 1) + ") g");
        return Sql.rows(ds, Files.readString(Path.of("sql/churn/training_sample.sql")));
    }

    private static long inSample(List<Map<String, Object>> rows, Boolean churned) {
        return rows.stream().filter(r -> Boolean.TRUE.equals(r.get("in_sample")))
                .filter(r -> churned == null || churned.equals(r.get("churned_next_window"))).count();
    }

    @Test
    void aSetNoLargerThanTheCapIsUsedWhole() throws Exception {
        assertThat(inSample(sample(500, 4, 500, 1), null)).isEqualTo(500);
        assertThat(inSample(sample(500, 4, 0, 1), null)).as("0 = no cap").isEqualTo(500);
    }

    @Test
    void aLargerSetIsSampledToTheCapWithItsChurnShare() throws Exception {
        // 10,000 customers, every 4th churned: 2,500 churned (25 %). A sample of 1,000 holds 250 churned, 750 not.
        List<Map<String, Object>> rows = sample(10_000, 4, 1_000, 42);
        assertThat(rows).as("every row of the set comes back, for data/churn_training_set.csv").hasSize(10_000);
        assertThat(inSample(rows, null)).isEqualTo(1_000);
        assertThat(inSample(rows, true)).isEqualTo(250);
        assertThat(inSample(rows, false)).isEqualTo(750);
        long previous = 0;
        for (Map<String, Object> r : rows) {
            long id = ((Number) r.get("customer_id")).longValue();
            // each row is the set's own, its values kept together, in customer order
            assertThat(r.get("churned_next_window")).isEqualTo((id - 1000) % 4 == 0);
            assertThat(((Number) r.get("total_spent")).longValue()).isEqualTo(id * 10);
            assertThat(id).isGreaterThan(previous);
            previous = id;
        }
        // seeded: the same sample every time, another seed another sample
        assertThat(ids(sample(10_000, 4, 1_000, 42))).isEqualTo(ids(rows));
        assertThat(ids(sample(10_000, 4, 1_000, 7))).isNotEqualTo(ids(rows));
    }

    @Test
    void theChurnedQuotaIsRoundedHalfUpAndTheRestAreNotChurned() throws Exception {
        // 10 customers, ids 1000..1009, every 3rd churned: 1000, 1003, 1006, 1009 = 4 churned (40 %).
        // A cap of 5: churned 4 x 5 / 10 = 2.0 -> 2, not churned 5 - 2 = 3.
        List<Map<String, Object>> rows = sample(10, 3, 5, 42);
        assertThat(inSample(rows, true)).isEqualTo(2);
        assertThat(inSample(rows, false)).isEqualTo(3);
        // 12 customers, every 4th churned: 1000, 1004, 1008 = 3 (25 %). A cap of 6: 3 x 6 / 12 = 1.5 -> 2, and 4 not churned.
        rows = sample(12, 4, 6, 42);
        assertThat(inSample(rows, true)).isEqualTo(2);
        assertThat(inSample(rows, false)).isEqualTo(4);
    }

    private static List<Object> ids(List<Map<String, Object>> rows) {
        return rows.stream().filter(r -> Boolean.TRUE.equals(r.get("in_sample"))).map(r -> r.get("customer_id")).toList();
    }
}
