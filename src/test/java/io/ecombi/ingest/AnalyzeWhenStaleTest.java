package io.ecombi.ingest;

import io.ecombi.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ingest.analyze_when_stale (V21): a load refreshes a table's statistics when they were never taken
 * or say empty, or when the table grew by more than 10 % and a page since they were taken; otherwise not.
 */
class AnalyzeWhenStaleTest {
    private static String[] call(Statement s) throws Exception {
        try (ResultSet rs = s.executeQuery("SELECT ingest.analyze_when_stale('customers')")) {
            rs.next();
            Array a = rs.getArray(1);
            return (String[]) a.getArray();
        }
    }

    private static void insert(Statement s, int from, int to) throws Exception {
        s.execute("INSERT INTO customers (customer_id, registration_date) SELECT g, DATE '2025-01-01' FROM generate_series(" + from + ", " + to + ") g");
    }

    private static long[] pagesThenAndNow(Statement s) throws Exception {
        try (ResultSet rs = s.executeQuery("SELECT relpages, pg_relation_size('customers') / 8192 FROM pg_class WHERE oid = 'customers'::regclass")) {
            rs.next();
            return new long[]{rs.getLong(1), rs.getLong(2)};
        }
    }

    @Test
    void analysesOnlyWhatIsNeverAnalysedEstimatedEmptyOrGrownBeyondATenth() throws Exception {
        try (Connection c = DriverManager.getConnection(TestDatabase.newDatabase(), TestDatabase.user(), TestDatabase.password());
             Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            insert(s, 1, 10);
            // reltuples -1: never analysed (the same branch as an estimate of 0 rows a killed load can leave)
            assertThat(call(s)).as("never analysed").containsExactly("customers");
            c.commit();
            insert(s, 11, 20_000);
            assertThat(call(s)).as("from one page to many").containsExactly("customers");
            c.commit();
            long[] p = pagesThenAndNow(s);
            assertThat(p[1]).isEqualTo(p[0]);
            // 50 rows more fill at most one new page: within 10 % and a page of the 20,000 rows' pages
            insert(s, 20_001, 20_050);
            p = pagesThenAndNow(s);
            assertThat(p[1]).isLessThanOrEqualTo(p[0] + 1);
            assertThat(call(s)).isEmpty();
            // a fifth more is not
            insert(s, 20_051, 24_050);
            assertThat(call(s)).containsExactly("customers");
            c.commit();
            try (ResultSet rs = s.executeQuery("SELECT reltuples FROM pg_class WHERE oid = 'customers'::regclass")) {
                rs.next();
                assertThat(rs.getDouble(1)).isEqualTo(24_050);
            }
        }
    }
}
