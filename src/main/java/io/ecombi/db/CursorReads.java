package io.ecombi.db;

import org.springframework.jdbc.datasource.DelegatingDataSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The pool's connections for statements whose result is read as a stream (sql: endpoints with
 * outputType=StreamList and a fetchSize). PostgreSQL's driver reads a result through a cursor,
 * fetch-size rows at a time, only inside a transaction; with auto-commit on it holds the whole
 * result in memory before the first row is read (at 1M customers the per-customer KPIs and the
 * churn training set, 470,000-880,000 rows each, took the live heap to 941 MB). So auto-commit is off, and closing the connection (the end of the stream)
 * commits, as auto-commit would have at the end of the statement: a KPI query that also writes
 * (sql/kpi/rfm_customers.sql inserts the rows it returns) keeps its rows. A failed statement's
 * transaction is already aborted, and its commit rolls back. The pool then turns auto-commit on again.
 */
public final class CursorReads extends DelegatingDataSource {
    public CursorReads(DataSource pool) {
        super(pool);
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection c = super.getConnection();
        try {
            c.setAutoCommit(false);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class}, (proxy, method, args) -> {
            if (method.getName().equals("close") && method.getParameterCount() == 0) {
                if (c.isClosed()) return null;
                try {
                    c.commit();
                } finally {
                    c.close();
                }
                return null;
            }
            try {
                return method.invoke(c, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }
}
