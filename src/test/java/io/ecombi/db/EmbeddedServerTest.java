package io.ecombi.db;

import io.ecombi.testing.Sql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded server ecombi runs itself: durability settings, one ecombi per data folder. */
class EmbeddedServerTest {
    @TempDir
    Path work;

    @Test
    void durableMeansFsyncAndSynchronousCommitOnAndASecondEcombiOnTheFolderIsToldWhoUsesIt() {
        Path data = work.resolve("pg");
        try (EmbeddedServer pg = EmbeddedServer.start(data, 0, true)) {
            PGSimpleDataSource ds = dataSource(pg);
            assertThat(Sql.one(ds, "SHOW fsync")).isEqualTo("on");
            assertThat(Sql.one(ds, "SHOW synchronous_commit")).isEqualTo("on");
            assertThat(Sql.one(ds, "SHOW full_page_writes")).isEqualTo("on");

            assertThatThrownBy(() -> EmbeddedServer.start(data, 0, true))
                    .hasMessageContaining("another ecombi uses " + data.toAbsolutePath())
                    .hasMessageContaining("(pid " + ProcessHandle.current().pid() + ")");
            // the refused start did not disturb the running server
            assertThat(Sql.one(ds, "SELECT 1")).isEqualTo(1);
        }
        try (EmbeddedServer pg = EmbeddedServer.start(data, 0, false)) {
            PGSimpleDataSource ds = dataSource(pg);
            assertThat(Sql.one(ds, "SHOW fsync")).isEqualTo("off");
            assertThat(Sql.one(ds, "SHOW synchronous_commit")).isEqualTo("off");
        }
        // stopped cleanly: no pid file left
        assertThat(data.resolve("postmaster.pid")).doesNotExist();
    }

    @Test
    void aStartThatFailsLeavesNoPostgreSQLBehind() throws Exception {
        // run from the wrong folder: refused before any server starts
        Path data = work.resolve("pg-wrong-folder");
        java.util.Map<String, String> o = new java.util.HashMap<>();
        o.put("ecombi.db.embedded.data-dir", data.toString());
        o.put("ecombi.db.migrations", work.resolve("no-such-folder").toString());
        assertThatThrownBy(() -> Database.open(io.ecombi.testing.TestRuntime.settings(o)))
                .hasMessageContaining("Schema migrations folder").hasMessageContaining("is missing");
        assertThat(data.resolve("postmaster.pid")).doesNotExist();
        // a migration that fails: the server it started is stopped again
        Path broken = java.nio.file.Files.createDirectories(work.resolve("broken-schema"));
        java.nio.file.Files.writeString(broken.resolve("V1__broken.sql"), "CREATE TABLE x (;");
        Path data2 = work.resolve("pg-broken-migration");
        o.put("ecombi.db.embedded.data-dir", data2.toString());
        o.put("ecombi.db.migrations", broken.toString());
        assertThatThrownBy(() -> Database.open(io.ecombi.testing.TestRuntime.settings(o))).hasMessageContaining("V1__broken.sql");
        assertThat(data2.resolve("postmaster.pid")).doesNotExist();
    }

    static PGSimpleDataSource dataSource(EmbeddedServer pg) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(pg.jdbcUrl("postgres"));
        ds.setUser(EmbeddedServer.SUPERUSER);
        return ds;
    }
}
