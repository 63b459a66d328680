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

    static PGSimpleDataSource dataSource(EmbeddedServer pg) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(pg.jdbcUrl("postgres"));
        ds.setUser(EmbeddedServer.SUPERUSER);
        return ds;
    }
}
