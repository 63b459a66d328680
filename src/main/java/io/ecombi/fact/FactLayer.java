package io.ecombi.fact;

import io.ecombi.Settings;
import io.ecombi.db.SqlFile;
import io.ecombi.run.PipelineRun;
import io.ecombi.run.Stage;
import org.apache.camel.Exchange;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Builds the run's fact layer: the run's parameters into fact.params, then every sql/fact/*.sql, in
 * name order, read afresh (an edit counts at the next run), in one transaction. The files hold the
 * business rules (what a sale line and its net revenue are, the report's window); this class only
 * runs them.
 */
public final class FactLayer {
    private final DataSource ds;
    private final Path dir;
    private final Settings settings;

    public FactLayer(DataSource ds, Settings settings) {
        this.ds = ds;
        this.dir = settings.path("ecombi.sql.dir").resolve("fact");
        this.settings = settings;
    }

    /** Route step: the fact layer of the exchange's run, as a stage of it. */
    public void build(Exchange exchange) throws IOException, SQLException {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        Stage stage = run.beginStage("fact layer");
        int files = build(run.id(), run.asOf());
        long lines = count("fact.sales_lines");
        run.endStage(stage, lines, files + " files in " + dir + "; " + lines + " sale lines");
    }

    /** Builds the fact layer for a run as of a date; returns how many files it ran. */
    public int build(long runId, LocalDate asOf) throws IOException, SQLException {
        List<SqlFile> files = new java.util.ArrayList<>();
        for (Path f : files()) files.add(SqlFile.read(f));
        RunParameters params = RunParameters.of(runId, asOf, settings);
        SqlFile.inTransaction(ds, c -> {
            params.write(c);
            for (SqlFile f : files) f.execute(c, Map.of());
        });
        return files.size();
    }

    /**
     * For a reader that narrows the fact layer inside its own transaction (Explore): the run's
     * parameters and every file, on the caller's connection; the caller owns the transaction.
     */
    public void build(Connection c, long runId, LocalDate asOf) throws IOException, SQLException {
        RunParameters.of(runId, asOf, settings).write(c);
        for (Path f : files()) SqlFile.read(f).execute(c, Map.of());
    }

    /** The files named after {@code fileName}, in name order: what derives from it. */
    public List<Path> filesAfter(String fileName) throws IOException {
        return files().stream().filter(f -> f.getFileName().toString().compareTo(fileName) > 0).toList();
    }

    private List<Path> files() throws IOException {
        if (!Files.isDirectory(dir)) throw new IllegalStateException("the fact layer folder " + dir + " does not exist");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".sql")).sorted().toList();
        }
    }

    private long count(String table) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
