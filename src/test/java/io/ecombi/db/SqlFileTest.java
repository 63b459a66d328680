package io.ecombi.db;

import com.zaxxer.hikari.HikariDataSource;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The one way a SQL file runs: statements split where PostgreSQL would split them, named
 * parameters bound (never pasted), a failure named by file, statement and line, a streamed query
 * whose writes are kept and whose failure leaves nothing; and the files of sql/ that a run reads
 * take no parameter at all, so each runs as it is in psql.
 */
class SqlFileTest {
    @TempDir
    Path dir;
    private HikariDataSource pool;

    @BeforeEach
    void pool() {
        pool = new HikariDataSource();
        pool.setJdbcUrl(TestDatabase.newDatabase());
        pool.setUsername(TestDatabase.user());
        pool.setPassword(TestDatabase.password());
        pool.setMaximumPoolSize(1);   // the same physical connection every time
        Sql.exec(pool, "CREATE TABLE t (n integer, s text)");
    }

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void splitsStatementsOnlyWherePostgresWould() throws Exception {
        SqlFile f = file("script.sql", """
                -- a comment; with a semicolon and :#notAParameter
                INSERT INTO t VALUES (1, 'a;b :#notAParameter');
                /* block ; comment /* nested ; */ still comment */
                INSERT INTO t VALUES (2, $$dollar; 'quoted' :#no$$);
                CREATE FUNCTION two() RETURNS integer LANGUAGE sql AS $body$
                    SELECT 2;
                $body$;
                INSERT INTO t VALUES (two() + 1, 'it''s; fine')
                """);
        assertThat(f.statements()).isEqualTo(4);
        assertThat(f.parameters()).isEmpty();
        f.execute(pool, Map.of());
        assertThat(Sql.rows(pool, "SELECT n, s FROM t ORDER BY n")).extracting(r -> r.get("n") + "|" + r.get("s"))
                .containsExactly("1|a;b :#notAParameter", "2|dollar; 'quoted' :#no", "3|it's; fine");
    }

    @Test
    void bindsNamedParametersByNameAndRefusesAMissingOne() throws Exception {
        SqlFile f = file("q.sql", "SELECT CAST(:#day AS date) + :#days AS d, :#days * 2 AS twice, :#label AS label");
        assertThat(f.parameters()).containsExactly("day", "days", "label");
        List<Map<String, Object>> rows = f.rows(pool, Map.of("day", LocalDate.of(2026, 2, 27), "days", 2, "label", "x'; DROP TABLE t; --"));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("d").toString()).isEqualTo("2026-03-01");
        assertThat(rows.get(0).get("twice")).isEqualTo(4);
        assertThat(rows.get(0).get("label")).isEqualTo("x'; DROP TABLE t; --");   // a value, never SQL
        assertThat(Sql.one(pool, "SELECT count(*) FROM t")).isEqualTo(0L);

        assertThatThrownBy(() -> f.rows(pool, Map.of("day", LocalDate.of(2026, 1, 1))))
                .hasMessageContaining("q.sql").hasMessageContaining(":#days").hasMessageContaining("line 1");
    }

    @Test
    void aFailureNamesTheFileTheStatementAndItsLine() throws Exception {
        SqlFile f = file("broken.sql", """
                -- first a good statement
                INSERT INTO t VALUES (1, 'x');

                SELECT no_such_column
                FROM t;
                """);
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            assertThatThrownBy(() -> f.execute(c, Map.of())).isInstanceOf(SQLException.class)
                    .hasMessageContaining("broken.sql, statement 2 (line 4)").hasMessageContaining("no_such_column");
            c.rollback();
            c.setAutoCommit(true);
        }
        assertThat(Sql.one(pool, "SELECT count(*) FROM t")).isEqualTo(0L);
    }

    @Test
    void aStreamedQueryKeepsWhatItWroteAndHandsOverEveryRow() throws Exception {
        SqlFile f = file("w.sql", "WITH w AS (INSERT INTO t SELECT g, 'g' FROM generate_series(1, 20000) g RETURNING n) SELECT n FROM w");
        long[] sum = {0};
        f.query(pool, Map.of(), row -> sum[0] += ((Number) row.get("n")).longValue());
        assertThat(sum[0]).isEqualTo(20000L * 20001 / 2);
        assertThat(countFromAnotherSession()).isEqualTo(20000);
        try (Connection c = pool.getConnection()) {
            assertThat(c.getAutoCommit()).as("the pool's connection is as it was").isTrue();
        }
    }

    @Test
    void aFailedQueryLeavesNothingAndTheConnectionIsUsableAgain() throws Exception {
        SqlFile f = file("fail.sql", "WITH w AS (INSERT INTO t VALUES (1, 'x') RETURNING n) SELECT n / 0 FROM w");
        assertThatThrownBy(() -> f.rows(pool, Map.of())).isInstanceOf(SQLException.class)
                .hasMessageContaining("fail.sql").hasMessageContaining("division by zero");
        assertThat(countFromAnotherSession()).isZero();
        Sql.exec(pool, "INSERT INTO t VALUES (2, 'y')");
        assertThat(countFromAnotherSession()).isEqualTo(1);
    }

    /**
     * The run's window and settings are in fact.params, not parameters: a file of these folders
     * (those the pipeline runs once per run) binds nothing, so it runs as it is in psql. Only the
     * churn features take a value per call (the training and scoring dates), the drivers of
     * change the two date ranges of each move, and the shop calendar's days (written one at a time).
     */
    @Test
    void theFilesARunReadsTakeNoParameter() throws Exception {
        List<String> withParameters = new ArrayList<>();
        for (String folder : List.of("fact", "kpi", "quality", "anomaly", "forecast", "churn", "clv", "drivers", "calendar", "recommend")) {
            try (Stream<Path> files = Files.list(Path.of("sql", folder))) {
                for (Path p : files.filter(x -> x.toString().endsWith(".sql")).sorted().toList()) {
                    if (!SqlFile.read(p).parameters().isEmpty()) withParameters.add(p + " " + SqlFile.read(p).parameters());
                }
            }
        }
        // the drivers compare two periods; a day of the shop calendar is written one at a time; the
        // recommendations learn twice per run, without and with the held-out orders (evaluation), and
        // their run row takes the check's figures (save_run.sql)
        assertThat(withParameters).allMatch(s -> s.startsWith("sql/churn/features_as_of.sql")
                || s.matches("sql/drivers/[a-z_]+\\.sql \\[periodStart, periodEnd, compareStart, compareEnd\\]")
                || s.equals("sql/calendar/add_day.sql [day, name, kind, eventStart, expect]")
                || s.equals("sql/recommend/rules.sql [evaluation]") || s.equals("sql/recommend/recommend.sql [evaluation]")
                || s.startsWith("sql/recommend/save_run.sql"),
                "only the churn features, the drivers' two periods, a day of the shop calendar and the recommendations' pass take parameters");
    }

    /**
     * Explore's files (sql/explore/, run by the Explore page, not by a run) take the reader's filters
     * and a drill-down's key as bound parameters, and nothing else: no filter is ever pasted into SQL.
     */
    @Test
    void exploreFilesTakeTheFiltersOnlyAsBoundParameters() throws Exception {
        assertThat(SqlFile.read(Path.of("sql/explore/narrow.sql")).parameters()).containsExactlyInAnyOrderElementsOf(io.ecombi.explore.Filters.NAMES);
        assertThat(SqlFile.read(Path.of("sql/explore/lines.sql")).parameters())
                .containsExactlyInAnyOrder("dayFrom", "dayTo", "category", "country", "region", "state", "product", "payment", "limit", "offset");
        assertThat(SqlFile.read(Path.of("sql/explore/options.sql")).parameters()).isEmpty();
        assertThat(SqlFile.read(Path.of("sql/explore/fact_run.sql")).parameters()).isEmpty();
    }

    private SqlFile file(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return SqlFile.read(p);
    }

    private int countFromAnotherSession() throws SQLException {
        try (Connection other = java.sql.DriverManager.getConnection(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword());
             ResultSet rs = other.createStatement().executeQuery("SELECT count(*) FROM t")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
