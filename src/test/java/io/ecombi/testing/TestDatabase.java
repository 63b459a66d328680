package io.ecombi.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for the tests, one server per test JVM: a Testcontainers container when a
 * Docker engine answers, else the embedded PostgreSQL. Each caller gets a fresh database on it with
 * the schema of sql/schema and no data, so test classes do not see each other's data. The schema is
 * migrated once per JVM into a template database that each new database copies (a copy takes a
 * fraction of the 2-3 s the 20-odd migrations take); opening it, Flyway finds nothing to apply.
 */
public final class TestDatabase {
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static String baseUrl;   // jdbc:postgresql://host:port/
    private static String user;
    private static String password;
    private static String template;

    private TestDatabase() {}

    /** A new database with the schema and no data; returns its JDBC URL. */
    public static synchronized String newDatabase() {
        start();
        if (template == null) template = migratedTemplate();
        String name = "ecombi_test_" + ProcessHandle.current().pid() + "_" + NEXT.incrementAndGet();
        createDatabase(name + " TEMPLATE " + template);
        return baseUrl + name;
    }

    private static String migratedTemplate() {
        String name = "ecombi_template_" + ProcessHandle.current().pid();
        createDatabase(name);
        Flyway.configure().dataSource(baseUrl + name, user, password)
                .locations("filesystem:" + Path.of("sql", "schema").toAbsolutePath()).load().migrate();
        return name;
    }

    private static void createDatabase(String nameAndOptions) {
        try (Connection c = DriverManager.getConnection(baseUrl + "postgres", user, password); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + nameAndOptions);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database: " + e.getMessage(), e);
        }
    }

    public static String user() { start(); return user; }
    public static String password() { start(); return password; }

    private static void start() {
        if (baseUrl != null) return;
        if (dockerAvailable()) {
            PostgreSQLContainer<?> pg = new PostgreSQLContainer<>("postgres:17-alpine");
            pg.start();
            baseUrl = "jdbc:postgresql://" + pg.getHost() + ":" + pg.getMappedPort(5432) + "/";
            user = pg.getUsername();
            password = pg.getPassword();
            Runtime.getRuntime().addShutdownHook(new Thread(pg::stop));
            return;
        }
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "200")
                    .start();
            baseUrl = "jdbc:postgresql://localhost:" + pg.getPort() + "/";
            user = "postgres";
            password = "";
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try { pg.close(); } catch (Exception ignored) { }
            }));
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }
}
