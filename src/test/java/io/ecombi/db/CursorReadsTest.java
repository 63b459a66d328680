package io.ecombi.db;

import com.zaxxer.hikari.HikariDataSource;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A stream read through CursorReads: rows arrive through a cursor, what the statement wrote is
 * committed when the stream closes (as with auto-commit), a failed statement leaves nothing, and the
 * pool's connection goes back with auto-commit on.
 */
class CursorReadsTest {
    private HikariDataSource pool;

    @BeforeEach
    void pool() {
        pool = new HikariDataSource();
        pool.setJdbcUrl(TestDatabase.newDatabase());
        pool.setUsername(TestDatabase.user());
        pool.setPassword(TestDatabase.password());
        pool.setMaximumPoolSize(1);   // the same physical connection every time
        Sql.exec(pool, "CREATE TABLE t (n integer)");
    }

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void aStreamedInsertReturningIsCommittedWhenTheStreamCloses() throws Exception {
        long sum = 0;
        try (Connection c = new CursorReads(pool).getConnection();
             PreparedStatement ps = c.prepareStatement("WITH w AS (INSERT INTO t SELECT g FROM generate_series(1, 20000) g RETURNING n) SELECT n FROM w")) {
            assertThat(c.getAutoCommit()).isFalse();
            ps.setFetchSize(5000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) sum += rs.getLong(1);
            }
        }
        assertThat(sum).isEqualTo(20000L * 20001 / 2);
        assertThat(countFromAnotherSession()).isEqualTo(20000);
        try (Connection c = pool.getConnection()) {
            assertThat(c.getAutoCommit()).as("the pool's connection is as it was").isTrue();
        }
    }

    @Test
    void aFailedStatementLeavesNothingAndTheConnectionIsUsableAgain() throws Exception {
        try (Connection c = new CursorReads(pool).getConnection();
             PreparedStatement ps = c.prepareStatement("WITH w AS (INSERT INTO t VALUES (1) RETURNING n) SELECT n / 0 FROM w")) {
            assertThatThrownBy(ps::executeQuery).isInstanceOf(SQLException.class).hasMessageContaining("division by zero");
        } catch (SQLException commitOfAnAbortedTransaction) {
            // the driver may report that the commit became a rollback: that is the point
        }
        assertThat(countFromAnotherSession()).isZero();
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (2)")) {
            assertThat(c.getAutoCommit()).isTrue();
            ps.executeUpdate();
        }
        assertThat(countFromAnotherSession()).isEqualTo(1);
    }

    private int countFromAnotherSession() throws SQLException {
        try (Connection other = java.sql.DriverManager.getConnection(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword());
             ResultSet rs = other.createStatement().executeQuery("SELECT count(*) FROM t")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
