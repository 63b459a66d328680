package io.ecombi.db;

import io.ecombi.Settings;
import io.ecombi.testing.Sql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The read-only role of BI tools on the embedded PostgreSQL: created from ECOMBI_BI_READER_PASSWORD,
 * it logs in with that password and reads the typed bi.latest_&lt;kpi&gt; views, and nothing else:
 * no shop table, no ingest record, no write, no new table.
 */
class BiReaderTest {
    @TempDir
    Path work;

    @Test
    void theReaderReadsTheTypedViewsOfBiAndNothingElse() throws Exception {
        Map<String, String> o = new HashMap<>();
        o.put("ecombi.db.url", "");
        o.put("ecombi.db.embedded.data-dir", work.resolve("pg").toString());
        o.put("ecombi.db.embedded.durable", "false");
        o.put("ecombi.bi.reader", "metabase_reader");
        Settings s = Settings.load(Settings.DEFAULT_FILE, Map.of(BiReader.PASSWORD_ENV, "reader-pw-31x"), o);
        try (EmbeddedServer server = Database.startServer(s); Database db = Database.open(s, server, false)) {
            // a run with one KPI table of two rows, as KpiHistory stores it, and its view
            Sql.exec(db.dataSource(), "INSERT INTO bi.pipeline_runs (run_id, trigger, as_of, status) VALUES (7, 'cli', '2026-06-30', 'succeeded');"
                    + "INSERT INTO bi.kpi_tables (run_id, as_of, kpi, columns, column_types, row_count, stored)"
                    + " VALUES (7, '2026-06-30', 'monthly_revenue', '{month,orders,net_revenue}', '{date,bigint,numeric}', 2, true);"
                    + "INSERT INTO bi.kpi_rows VALUES (7, 'monthly_revenue', 1, '{\"month\": \"2026-05-01\", \"orders\": 3, \"net_revenue\": 120.50}'),"
                    + " (7, 'monthly_revenue', 2, '{\"month\": \"2026-06-01\", \"orders\": 4, \"net_revenue\": 99.99}');"
                    + "SELECT bi.define_latest_view('monthly_revenue', '{month,orders,net_revenue}', '{date,bigint,numeric}', '{Month,Orders,NULL}')");

            PGSimpleDataSource reader = new PGSimpleDataSource();
            reader.setUrl(server.jdbcUrl(db.shop().databaseName()));
            reader.setUser("metabase_reader");
            reader.setPassword("reader-pw-31x");
            List<Map<String, Object>> rows = Sql.rows(reader, "SELECT * FROM bi.latest_monthly_revenue");
            assertThat(rows).hasSize(2);
            assertThat(rows.get(0)).containsEntry("run_id", 7L).containsEntry("run_as_of", Date.valueOf("2026-06-30"))
                    .containsEntry("month", Date.valueOf("2026-05-01")).containsEntry("orders", 3L).containsEntry("net_revenue", new BigDecimal("120.50"));
            assertThat(Sql.one(reader, "SELECT sum(net_revenue) FROM bi.latest_monthly_revenue")).isEqualTo(new BigDecimal("220.49"));
            assertThat(Sql.one(reader, "SELECT col_description('bi.latest_monthly_revenue'::regclass, 3)")).isEqualTo("Month");
            assertThat(Sql.one(reader, "SELECT rolsuper OR rolcreaterole OR rolcreatedb FROM pg_roles WHERE rolname = current_user")).isEqualTo(false);

            for (String sql : List.of("SELECT count(*) FROM orders", "SELECT count(*) FROM customers", "SELECT count(*) FROM ingest.files",
                    "INSERT INTO bi.pipeline_runs (trigger) VALUES ('x')", "DELETE FROM bi.kpi_rows", "CREATE TABLE bi.mine (x int)",
                    "CREATE TABLE public.mine (x int)", "SELECT bi.define_latest_view('monthly_revenue', '{month}', '{text}', NULL)")) {
                assertThatThrownBy(() -> Sql.exec(reader, sql)).as(sql).hasMessageContaining("denied");
            }
            reader.setPassword("wrong");
            assertThatThrownBy(() -> reader.getConnection().close()).isInstanceOf(java.sql.SQLException.class);
        }
        // a later start keeps the role and grants it what later runs made
        try (EmbeddedServer server = Database.startServer(s); Database db = Database.open(s, server, false)) {
            assertThat(Sql.one(db.dataSource(), "SELECT has_table_privilege('metabase_reader', 'bi.latest_monthly_revenue', 'SELECT')")).isEqualTo(true);
            assertThat(Sql.one(db.dataSource(), "SELECT has_table_privilege('metabase_reader', 'bi.kpi_rows', 'INSERT')")).isEqualTo(false);
        }
    }
}
