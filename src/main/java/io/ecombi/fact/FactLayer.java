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
        // the shop calendar (its country: the fact layer's top country) is written before the first file that reads it
        int calendarAt = calendarAt(files);
        SqlFile.inTransaction(ds, c -> {
            params.write(c);
            buildOn(c, files, calendarAt, asOf);
        });
        return files.size();
    }

    /**
     * For a reader that narrows the fact layer inside its own transaction (Explore): the run's
     * parameters and every file, the shop calendar too, on the caller's connection; the caller owns
     * the transaction.
     */
    public void build(Connection c, long runId, LocalDate asOf) throws IOException, SQLException {
        List<SqlFile> files = new java.util.ArrayList<>();
        for (Path f : files()) files.add(SqlFile.read(f));
        RunParameters.of(runId, asOf, settings).write(c);
        buildOn(c, files, calendarAt(files), asOf);
    }

    /** The first file that reads fact.calendar (files.size() when none does). */
    private static int calendarAt(List<SqlFile> files) throws IOException {
        for (int i = 0; i < files.size(); i++) if (Files.readString(files.get(i).path()).contains("fact.calendar")) return i;
        return files.size();
    }

    /** The files in order on c, the shop calendar written just before the file calendarAt. */
    private void buildOn(Connection c, List<SqlFile> files, int calendarAt, LocalDate asOf) throws SQLException {
        for (int i = 0; i < files.size(); i++) {
            if (i == calendarAt) writeCalendar(c, asOf);
            files.get(i).execute(c, Map.of());
        }
        if (calendarAt == files.size()) writeCalendar(c, asOf);
    }

    /** The files named after {@code fileName}, in name order: what derives from it. */
    public List<Path> filesAfter(String fileName) throws IOException {
        return files().stream().filter(f -> f.getFileName().toString().compareTo(fileName) > 0).toList();
    }

    /**
     * fact.calendar (sql/calendar/create.sql): the public holidays of ecombi.calendar.country (auto:
     * the country of the most net revenue) and the events of ecombi.calendar.events, over the years
     * of the shop's sales to the as-of year.
     */
    private void writeCalendar(java.sql.Connection c, LocalDate asOf) throws SQLException {
        Path sql = settings.path("ecombi.sql.dir").resolve("calendar");
        try {
            SqlFile.read(sql.resolve("create.sql")).execute(c, Map.of());
            Object[] top = new Object[3];
            SqlFile.read(sql.resolve("shop_country.sql")).query(c, Map.of(), rs -> {
                top[0] = rs.getString("country");
                top[1] = rs.getObject("first_year");
            });
            String country = settings.get("ecombi.calendar.country");   // blank: no public holidays
            if ("auto".equalsIgnoreCase(country)) country = (String) top[0];
            int from = top[1] == null ? asOf.getYear() : Math.min(asOf.getYear(), ((Number) top[1]).intValue()) - 1;
            io.ecombi.calendar.ShopCalendar cal = io.ecombi.calendar.ShopCalendar.of(country, settings.get("ecombi.calendar.region"),
                    settings.path("ecombi.calendar.events"), from, asOf.getYear() + 1);
            SqlFile add = SqlFile.read(sql.resolve("add_day.sql"));
            for (io.ecombi.calendar.ShopCalendar.Day d : cal.days()) {
                add.execute(c, Map.of("day", d.day(), "name", d.name(), "kind", d.kind(), "eventStart", d.eventStart(), "expect", d.expect()));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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
