package io.ecombi.fact;

import io.ecombi.Settings;
import io.ecombi.run.PipelineRun;
import io.ecombi.run.Stage;
import org.apache.camel.Exchange;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

/**
 * Builds the run's fact layer: every sql/fact/*.sql, in name order, read afresh (an edit counts at
 * the next run), in one transaction, after the run's parameters are written to fact.params. The
 * files hold the business rules (what a sale line and its net revenue are); this class only runs
 * them and says which file and statement failed.
 */
public final class FactLayer {
    private final DataSource ds;
    private final Path dir;
    private final int churnDays;
    private final int minOrders;

    public FactLayer(DataSource ds, Settings settings) {
        this.ds = ds;
        this.dir = settings.path("ecombi.sql.dir").resolve("fact");
        this.churnDays = settings.getInt("ecombi.churn.window-days");
        this.minOrders = settings.getInt("ecombi.churn.min-orders");
    }

    public void build(Exchange exchange) throws IOException, SQLException {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        Stage stage = run.beginStage("fact layer");
        List<Path> files = files();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) { s.execute("DELETE FROM fact.params"); }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO fact.params (run_id, as_of, churn_days, min_orders) VALUES (?, ?, ?, ?)")) {
                    ps.setLong(1, run.id());
                    ps.setDate(2, Date.valueOf(run.asOf()));
                    ps.setInt(3, churnDays);
                    ps.setInt(4, minOrders);
                    ps.executeUpdate();
                }
                for (Path f : files) runFile(c, f);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        long lines = count("fact.sales_lines");
        run.endStage(stage, lines, files.size() + " files in " + dir + "; " + lines + " sale lines");
    }

    private List<Path> files() throws IOException {
        if (!Files.isDirectory(dir)) throw new IllegalStateException("the fact layer folder " + dir + " does not exist");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".sql")).sorted().toList();
        }
    }

    private static void runFile(Connection c, Path file) throws IOException, SQLException {
        String script = Files.readString(file, StandardCharsets.UTF_8);
        int n = 0;
        for (String statement : script.split(";\\s*(\\n|$)")) {
            if (statement.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("--"))) continue;
            n++;
            try (Statement s = c.createStatement()) {
                s.execute(statement);
            } catch (SQLException e) {
                throw new SQLException("fact layer " + file + ", statement " + n + ": " + e.getMessage(), e.getSQLState(), e);
            }
        }
    }

    private long count(String table) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
