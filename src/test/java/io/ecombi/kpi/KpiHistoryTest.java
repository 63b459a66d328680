package io.ecombi.kpi;

import io.ecombi.EcombiRuntime;
import io.ecombi.run.PipelineRun;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * bi.kpi_tables / bi.kpi_rows (written by COPY, without a foreign key since V20): three runs with
 * ecombi.bi.keep-runs = 2 on the segments fixture keep exactly the last two runs' tables and rows,
 * leave no row without its table, store every row of every stored table, and keep JSON types for
 * tables held whole in memory.
 */
class KpiHistoryTest {
    @TempDir
    static Path work;
    static EcombiRuntime rt;
    static PipelineRun first, second, third;

    @BeforeAll
    static void threeRuns() throws Exception {
        Map<String, String> o = TestRuntime.overrides(TestDatabase.newDatabase(), work);
        o.put("ecombi.bi.keep-runs", "2");
        rt = TestRuntime.start(o);
        Sql.loadFixture(rt.database().dataSource(), "segments_fixture.sql");
        first = run(LocalDate.of(2026, 5, 20));
        second = run(LocalDate.of(2026, 6, 30));
        third = run(LocalDate.of(2026, 6, 30));
    }

    private static PipelineRun run(LocalDate asOf) throws Exception {
        Exchange e = rt.runOnce("test", asOf);
        assertThat(e.getException()).isNull();
        return EcombiRuntime.runOf(e);
    }

    @AfterAll
    static void stop() {
        if (rt != null) rt.close();
    }

    @Test
    void keepsTheLastTwoRunsAndNoRowWithoutItsTable() {
        DataSource ds = rt.database().dataSource();
        assertThat(column(ds, "SELECT DISTINCT run_id FROM bi.kpi_tables ORDER BY 1")).containsExactly(second.id(), third.id());
        assertThat(column(ds, "SELECT DISTINCT run_id FROM bi.kpi_rows ORDER BY 1")).containsExactly(second.id(), third.id());
        assertThat(Sql.one(ds, "SELECT count(*) FROM bi.kpi_rows_orphaned")).isEqualTo(0L);
    }

    @Test
    void everyStoredTableHasAllItsRowsInOrder() {
        DataSource ds = rt.database().dataSource();
        // per stored table: as many rows as its row_count, numbered 1..n without a gap
        List<Map<String, Object>> mismatched = Sql.rows(ds, "SELECT t.kpi, t.row_count, count(r.row_no) AS rows, max(r.row_no) AS last"
                + " FROM bi.kpi_tables t LEFT JOIN bi.kpi_rows r USING (run_id, kpi) WHERE t.run_id = ? AND t.stored"
                + " GROUP BY t.kpi, t.row_count HAVING count(r.row_no) <> t.row_count OR coalesce(max(r.row_no), 0) <> t.row_count", third.id());
        assertThat(mismatched).isEmpty();
        assertThat(Sql.one(ds, "SELECT count(*) FROM bi.kpi_tables WHERE run_id = ?", third.id())).isEqualTo((long) third.kpis().size());
        // the segments in the order of the run's own table, with their counts as JSON numbers
        KpiTable segments = third.kpi("rfm_segments");
        List<Object> stored = column(ds, "SELECT row->>'segment' FROM bi.kpi_rows WHERE run_id = ? AND kpi = 'rfm_segments' ORDER BY row_no", third.id());
        assertThat(stored).containsExactlyElementsOf(segments.rows().stream().map(r -> r[segments.column("segment")]).toList());
        assertThat(Sql.one(ds, "SELECT count(*) FROM bi.kpi_rows WHERE run_id = ? AND kpi = 'rfm_segments' AND jsonb_typeof(row->'customers') <> 'number'",
                third.id())).isEqualTo(0L);
    }

    /**
     * Each KPI of the run is a typed view of the latest succeeded run: the segments' customers are a
     * bigint summing to the customers the run scored (counted from bi.rfm_customers, not from the
     * view's own table), net revenue a numeric summing to their monetary, and the columns carry the
     * labels file's words. (A KPI that never returned a row has no columns to type, so no view yet.)
     */
    @Test
    void eachKpiIsATypedViewOfTheLatestSucceededRun() {
        DataSource ds = rt.database().dataSource();
        assertThat(column(ds, "SELECT 'latest_' || kpi FROM bi.kpi_tables WHERE run_id = ? AND row_count > 0 EXCEPT"
                + " SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'bi' AND c.relkind = 'v'", third.id()))
                .as("KPIs without a view").isEmpty();
        assertThat(column(ds, "SELECT DISTINCT run_id FROM bi.latest_rfm_segments")).containsExactly(third.id());
        assertThat(Sql.one(ds, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'bi.latest_rfm_segments'::regclass AND attname = 'customers'"))
                .isEqualTo("bigint");
        assertThat(Sql.one(ds, "SELECT sum(customers) FROM bi.latest_rfm_segments"))
                .isEqualTo(new java.math.BigDecimal(Sql.one(ds, "SELECT count(*) FROM bi.rfm_customers WHERE run_id = ?", third.id()).toString()));
        assertThat(Sql.one(ds, "SELECT sum(net_revenue) = (SELECT sum(monetary) FROM bi.rfm_customers WHERE run_id = ?) FROM bi.latest_rfm_segments", third.id()))
                .isEqualTo(true);
        assertThat(Sql.one(ds, "SELECT col_description('bi.latest_rfm_segments'::regclass, a.attnum) FROM pg_attribute a"
                + " WHERE a.attrelid = 'bi.latest_rfm_segments'::regclass AND a.attname = 'segment'")).isEqualTo("Segment");
        // a KPI whose columns changed gets its view anew; the old columns go
        Sql.exec(ds, "SELECT bi.define_latest_view('rfm_segments', '{segment}', '{text}', NULL)");
        assertThat(Sql.one(ds, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'bi.latest_rfm_segments'::regclass AND attnum > 0")).isEqualTo(3L);
        assertThatThrownBy(() -> Sql.exec(ds, "SELECT bi.define_latest_view('x; DROP TABLE bi.kpi_rows', '{a}', '{text}', NULL)"))
                .hasMessageContaining("lower-case letters");
        assertThatThrownBy(() -> Sql.exec(ds, "SELECT bi.define_latest_view('x', '{a}', '{text); DROP TABLE bi.kpi_rows; --}', NULL)"))
                .hasMessageContaining("not one a view casts to");
    }

    private static List<Object> column(DataSource ds, String query, Object... params) {
        return Sql.rows(ds, query, params).stream().map(r -> r.values().iterator().next()).toList();
    }
}
