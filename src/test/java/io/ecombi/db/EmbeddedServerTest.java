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

    /**
     * Issue 31, item 8: initdb -A trust let any local user in as the superuser without a password (a tester as nobody
     * ran COPY ... TO PROGRAM as root). Now: passwords (SCRAM) only, generated into the data folder (mode 600), and
     * ecombi works as ecombi.db.user, which is not a superuser and owns the shop's database.
     */
    @Test
    void onlyPasswordsGetInAndEcombiIsNotASuperuser() throws Exception {
        Path data = work.resolve("pg-secure");
        try (EmbeddedServer pg = EmbeddedServer.start(data, 0, true, "ecombi")) {
            Path secret = data.resolve("ecombi-credentials");
            assertThat(java.nio.file.Files.getPosixFilePermissions(secret)).containsExactlyInAnyOrder(
                    java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
            assertThat(java.nio.file.Files.readString(data.resolve("pg_hba.conf"))).contains("scram-sha-256").doesNotContain("trust");
            assertThat(EmbeddedServer.credentials(data)).containsOnlyKeys("postgres", "ecombi");

            // no password, or a wrong one: nobody gets in, not as the superuser, not as ecombi
            for (String user : java.util.List.of("postgres", "ecombi")) {
                for (String password : java.util.List.of("", "postgres", "ecombi")) {
                    assertThatThrownBy(() -> java.sql.DriverManager.getConnection(pg.jdbcUrl("postgres"), user, password).close())
                            .as(user + " with '" + password + "'").isInstanceOf(java.sql.SQLException.class);
                }
            }

            pg.createDatabaseIfMissing("shop_t");
            PGSimpleDataSource app = new PGSimpleDataSource();
            app.setUrl(pg.jdbcUrl("shop_t"));
            app.setUser("ecombi");
            app.setPassword(pg.password());
            assertThat(Sql.one(app, "SELECT rolsuper OR rolcreaterole OR rolcreatedb FROM pg_roles WHERE rolname = current_user")).isEqualTo(false);
            assertThat(Sql.one(app, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'shop_t'")).isEqualTo("ecombi");
            Sql.exec(app, "CREATE SCHEMA bi; CREATE TABLE bi.t (x int)");   // what the migrations do
            // what a superuser could: run a program, read a server file, change the server, make roles
            for (String sql : java.util.List.of("COPY (SELECT 1) TO PROGRAM 'id'", "SELECT pg_read_file('/etc/passwd')",
                    "ALTER SYSTEM SET fsync = off", "CREATE ROLE intruder SUPERUSER LOGIN")) {
                assertThatThrownBy(() -> Sql.exec(app, sql)).as(sql).hasMessageContaining("denied");
            }
        }
    }

    /** A data folder made before passwords (initdb -A trust, objects owned by the superuser) is secured at its next start. */
    @Test
    void aFolderMadeBeforePasswordsIsSecuredAndItsShopHandedToEcombi() throws Exception {
        Path data = work.resolve("pg-old");
        java.nio.file.Files.createDirectories(data.getParent());
        EmbeddedServer.run(EmbeddedServer.binaries(), 120, "initdb", "-A", "trust", "-U", "postgres", "-D", data.toString(), "-E", "UTF-8");
        try (EmbeddedServer pg = EmbeddedServer.start(data, 0, true, null)) {
            assertThat(java.nio.file.Files.readString(data.resolve("pg_hba.conf"))).doesNotContain("trust");
            assertThatThrownBy(() -> java.sql.DriverManager.getConnection(pg.jdbcUrl("postgres"), "postgres", "").close())
                    .isInstanceOf(java.sql.SQLException.class);
            // the shop as an older ecombi left it: every object the superuser's
            pg.createDatabaseIfMissing("shop_old");
            PGSimpleDataSource su = dataSource(pg);
            su.setUrl(pg.jdbcUrl("shop_old"));
            Sql.exec(su, "CREATE SCHEMA bi; CREATE TABLE bi.runs (run_id bigserial PRIMARY KEY); CREATE VIEW bi.v AS SELECT * FROM bi.runs; "
                    + "CREATE FUNCTION bi.f() RETURNS int LANGUAGE sql AS 'SELECT 1'; CREATE TABLE public.orders (id int)");
        }
        try (EmbeddedServer pg = EmbeddedServer.start(data, 0, true, "ecombi")) {
            pg.ensureOwner("shop_old");
            PGSimpleDataSource app = new PGSimpleDataSource();
            app.setUrl(pg.jdbcUrl("shop_old"));
            app.setUser("ecombi");
            app.setPassword(pg.password());
            assertThat(Sql.one(app, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    + "WHERE n.nspname IN ('bi', 'public') AND pg_get_userbyid(c.relowner) <> 'ecombi'")).isEqualTo(0L);
            assertThat(Sql.one(app, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'shop_old'")).isEqualTo("ecombi");
            Sql.exec(app, "INSERT INTO bi.runs DEFAULT VALUES; ALTER TABLE public.orders ADD COLUMN x int; DROP FUNCTION bi.f()");
            assertThat(Sql.one(app, "SELECT count(*) FROM bi.v")).isEqualTo(1L);
        }
    }

    static PGSimpleDataSource dataSource(EmbeddedServer pg) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(pg.jdbcUrl("postgres"));
        ds.setUser(EmbeddedServer.SUPERUSER);
        ds.setPassword(pg.superuserPassword());
        return ds;
    }
}
