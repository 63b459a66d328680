package io.ecombi.kpi;

import io.ecombi.testing.KpiHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every KPI file gives the same table when its text is sent to PostgreSQL as it is (what psql does
 * with it against the last run) as when the pipeline runs it: the run's window and settings are in
 * fact.params, not bound by the runner. Files that write (rfm_customers) run in a transaction that
 * is rolled back.
 */
class SqlAsItIsTest {
    static KpiHarness h;
    static KpiHarness.Run run;

    @BeforeAll
    static void factLayerOnFixture() {
        h = KpiHarness.start().load("kpi_fixture.sql");
        run = h.run(LocalDate.of(2026, 6, 30));
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    @Test
    void eachKpiFileRunsAsItIsAndGivesThePipelinesTable() throws Exception {
        List<String> names;
        try (Stream<Path> files = Files.list(Path.of("sql", "kpi"))) {
            names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).map(n -> n.replaceFirst("\\.sql$", "")).sorted().toList();
        }
        assertThat(names).hasSizeGreaterThan(20);
        for (String name : names) {
            KpiTable piped = run.kpi(name);
            List<List<String>> plain = plain(Files.readString(Path.of("sql", "kpi", name + ".sql")));
            assertThat(plain).as(name + ": rows").hasSize((int) piped.rowCount());
            for (int r = 0; r < piped.rows().size(); r++) {
                List<String> expected = new ArrayList<>();
                for (Object v : piped.rows().get(r)) expected.add(String.valueOf(v));
                assertThat(plain.get(r)).as(name + ", row " + r).isEqualTo(expected);
            }
        }
    }

    /** The text as one statement over plain JDBC, nothing bound; rolled back. */
    private static List<List<String>> plain(String text) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        try (Connection c = h.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(text)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= n; i++) row.add(String.valueOf(rs.getObject(i)));
                    rows.add(row);
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
        return rows;
    }
}
