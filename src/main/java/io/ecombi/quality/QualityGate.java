package io.ecombi.quality;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecombi.Settings;
import io.ecombi.db.SqlFile;
import io.ecombi.fact.RunParameters;
import io.ecombi.kpi.KpiTable;
import io.ecombi.report.Formats;
import io.ecombi.result.Column;
import io.ecombi.result.Finding;
import io.ecombi.result.Kind;
import io.ecombi.result.Table;
import io.ecombi.run.ErrorText;
import io.ecombi.run.PipelineRun;
import io.ecombi.run.Stage;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The data-quality gate before the KPIs (route quality-gate): every sql/quality/<check>.sql is run
 * (read afresh, so a new check is a new file) and recorded in bi.quality_results. A check returns
 * the offending rows; none means it passed. Its severity is in its header comment ("-- severity:
 * warn|error"), or the setting ecombi.quality.severity.<check>. A failed 'error' check stops the
 * run before anything is published, naming the check and showing a few offending rows. The
 * outcome is on the run as "quality" ({@link QualitySection}: findings in words and the table of
 * every check, also in data/quality_checks.csv).
 */
public final class QualityGate {
    private static final Logger LOG = LoggerFactory.getLogger(QualityGate.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STAGE_PROPERTY = "ecombiQualityStage";
    private static final String RESULTS_KEY = "qualityResults";
    private static final String CHECK_PROPERTY = "qualityCheck";
    private static final int SAMPLE_ROWS = 5;
    /** The run's result name of the section ({@link QualitySection}), which templates/sections/quality.ftlh shows. */
    public static final String SECTION_KEY = "quality";
    private static final String CSV = "data/quality_checks.csv";

    /** One check's outcome. */
    public record Result(String check, String severity, String description, boolean passed, long offendingRows, List<Map<String, Object>> sample, String detail) {}

    private final DataSource ds;
    private final Settings settings;
    private final Path dir;

    public QualityGate(DataSource ds, Settings settings) {
        this.ds = ds;
        this.settings = settings;
        this.dir = settings.path("ecombi.sql.dir").resolve("quality");
    }

    /** The check files, in name order, as the message body for the route's split. */
    public List<String> checks(Exchange exchange) throws IOException, SQLException {
        PipelineRun run = run(exchange);
        exchange.setProperty(STAGE_PROPERTY, run.beginStage("data quality checks"));
        recordCounts(run.id());   // counted once; row_count_drop compares them with the last succeeded run's
        run.put(RESULTS_KEY, java.util.Collections.synchronizedList(new ArrayList<Result>()));
        List<String> files = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.sql")) {
                s.forEach(p -> files.add(p.getFileName().toString()));
            }
        }
        files.sort(null);
        return files;
    }

    /**
     * Runs one check (the file named by the body): the offending rows are counted as they stream by,
     * the first few kept as the sample.
     */
    public void check(Exchange exchange) throws IOException, SQLException {
        PipelineRun run = run(exchange);
        String file = exchange.getMessage().getBody(String.class);
        String sql = Files.readString(dir.resolve(file), StandardCharsets.UTF_8);
        String name = file.replaceFirst("\\.sql$", "");
        Map<String, Object> params = RunParameters.of(run.id(), run.asOf(), settings).values();
        exchange.setProperty(CHECK_PROPERTY, new String[]{name, severity(name, sql), withValues(description(sql), params)});
        long[] offending = {0};
        List<Map<String, Object>> sample = new ArrayList<>();
        SqlFile.read(dir.resolve(file)).query(ds, Map.of(), row -> {
            if (offending[0]++ < SAMPLE_ROWS) sample.add(row);
        });
        String[] check = exchange.getProperty(CHECK_PROPERTY, String[].class);
        add(exchange, new Result(check[0], check[1], check[2], offending[0] == 0, offending[0], sample, null));
    }

    /** ":freshness_days" in a check's description reads as the value the check ran with (its column of fact.params). */
    static String withValues(String description, Map<String, Object> params) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(":(\\w+)").matcher(description);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object v = params.get(m.group(1));
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(v == null ? m.group() : v.toString()));
        }
        return m.appendTail(out).toString();
    }

    /** A check that could not run counts as failed at its severity, with the database's message. */
    public void broken(Exchange exchange) {
        String[] check = exchange.getProperty(CHECK_PROPERTY, String[].class);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String file = exchange.getMessage().getBody(String.class);
        if (check == null) check = new String[]{String.valueOf(file), "error", ""};
        add(exchange, new Result(check[0], check[1], check[2], false, -1, List.of(), "the check could not run: " + ErrorText.of(e)));
    }

    /** Shows the results, and stops the run if an error check failed. */
    public void gate(Exchange exchange) throws SQLException {
        PipelineRun run = run(exchange);
        List<Result> results = results(run);
        // the checks ran in parallel and ended in any order: report them in file-name order
        synchronized (results) {
            results.sort(java.util.Comparator.comparing(Result::check));
        }
        QualitySection section = section(results, Formats.symbol(Formats.currencyCode(run, settings.get("ecombi.report.currency"))));
        writeCsv(run, section.checks());
        run.put(SECTION_KEY, section);
        List<Result> blocking = results.stream().filter(r -> !r.passed() && r.severity().equals("error")).toList();
        long warnings = results.stream().filter(r -> !r.passed() && r.severity().equals("warn")).count();
        for (Result r : results) {
            if (!r.passed()) LOG.warn("run {} | data quality {} '{}': {}", run.id(), r.severity(), r.check(), describe(r));
        }
        Stage stage = exchange.getProperty(STAGE_PROPERTY, Stage.class);
        if (!blocking.isEmpty()) {
            Result first = blocking.get(0);
            throw new IllegalStateException("data-quality check '" + first.check() + "' (severity error) failed: " + describe(first)
                    + (blocking.size() > 1 ? "; also failed: " + blocking.subList(1, blocking.size()).stream().map(Result::check).toList() : "")
                    + ". Fix the data, or lower the check's severity with ecombi.quality.severity." + first.check() + "=warn");
        }
        run.endStage(stage, results.size(), results.size() + " checks, " + warnings + " warning(s)");
    }

    static String describe(Result r) {
        if (r.detail() != null) return r.detail();
        return r.offendingRows() + " offending row(s)" + (r.description().isEmpty() ? "" : " (" + r.description() + ")") + ", e.g. " + r.sample();
    }

    private void add(Exchange exchange, Result r) {
        PipelineRun run = run(exchange);
        results(run).add(r);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO bi.quality_results (run_id, check_name, severity, passed, offending_rows, sample, detail) VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb), ?)")) {
            ps.setLong(1, run.id());
            ps.setString(2, r.check());
            ps.setString(3, r.severity());
            ps.setBoolean(4, r.passed());
            ps.setLong(5, r.offendingRows());
            ps.setString(6, JSON.writeValueAsString(r.sample()));
            ps.setString(7, r.detail());
            ps.executeUpdate();
        } catch (Exception e) {
            LOG.warn("could not record quality check {}: {}", r.check(), e.getMessage());
        }
    }

    private void recordCounts(long runId) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO bi.table_counts (run_id, table_name, row_count) SELECT ?, t, n FROM (VALUES "
                        + "('customers', (SELECT count(*) FROM customers)), ('products', (SELECT count(*) FROM products)), "
                        + "('orders', (SELECT count(*) FROM orders)), ('order_items', (SELECT count(*) FROM order_items))) AS x(t, n)")) {
            ps.setLong(1, runId);
            ps.executeUpdate();
        }
    }

    private String severity(String name, String sql) {
        String configured = settings.optional("ecombi.quality.severity." + name);
        String declared = sql.lines().filter(l -> l.startsWith("-- severity:")).map(l -> l.substring(12).strip()).findFirst().orElse("error");
        String s = configured != null ? configured : declared;
        if (!s.equals("warn") && !s.equals("error")) {
            throw new IllegalArgumentException("severity of check " + name + " must be warn or error, found '" + s + "'");
        }
        return s;
    }

    private static String description(String sql) {
        StringBuilder d = new StringBuilder();
        boolean in = false;
        for (String l : sql.lines().toList()) {
            if (l.startsWith("-- check:")) { d.append(l.substring(9).strip()); in = true; }
            else if (in && l.startsWith("-- ") && !l.startsWith("-- severity:")) d.append(' ').append(l.substring(3).strip());
            else if (in) break;
        }
        return d.toString();
    }

    @SuppressWarnings("unchecked")
    private static List<Result> results(PipelineRun run) {
        return (List<Result>) run.get(RESULTS_KEY);
    }

    /**
     * The section as data: a finding in words for each check that did not pass (failed ones first),
     * a sentence of how the checks ended, and the table of every check, also written to
     * data/quality_checks.csv.
     */
    static QualitySection section(List<Result> results, String currency) {
        List<Finding> findings = new ArrayList<>();
        for (String severity : List.of("error", "warn")) {
            for (Result r : results) {
                if (!r.passed() && r.severity().equals(severity)) findings.add(new Finding(severity, finding(r, currency), CSV));
            }
        }
        List<List<Object>> rows = new ArrayList<>();
        for (Result r : results) {
            rows.add(java.util.Arrays.asList(r.check(), r.severity(), status(r), r.offendingRows() < 0 ? null : r.offendingRows(), r.description(),
                    r.detail() != null ? r.detail() : r.sample().isEmpty() ? null : example(r.sample().get(0), currency)));
        }
        Table table = Table.of("quality_checks", "Every data-quality check", List.of(Column.text("check"), Column.text("severity"), Column.text("result"),
                Column.count("offending_rows"), Column.text("description"), Column.text("example")), rows, CSV);
        int passed = (int) results.stream().filter(Result::passed).count();
        int warnings = (int) results.stream().filter(r -> !r.passed() && r.severity().equals("warn")).count();
        int failed = results.size() - passed - warnings;
        String summary = count(results.size()) + (results.size() == 1 ? " check" : " checks") + " ran: "
                + (passed == results.size() ? "all passed." : count(passed) + " passed, " + count(warnings) + (warnings == 1 ? " warning" : " warnings")
                + ", " + count(failed) + " failed.");
        return new QualitySection(findings, summary, table, passed, warnings, failed);
    }

    /** "orders_without_items: 1 offending row — orders that have no order lines (…). For example: order_id=111, …" */
    static String finding(Result r, String currency) {
        if (r.detail() != null) return r.check() + ": " + r.detail() + ".";
        String d = r.description().strip();
        if (d.endsWith(".")) d = d.substring(0, d.length() - 1);
        String text = r.check() + ": " + count(r.offendingRows()) + (r.offendingRows() == 1 ? " offending row" : " offending rows")
                + (d.isEmpty() ? "." : " — " + d + (d.endsWith("?") || d.endsWith("!") ? "" : "."));
        return r.sample().isEmpty() ? text : text + " For example: " + example(r.sample().get(0), currency) + ".";
    }

    /** An offending row in words: "order_id=111, customer_id=1, order_date=2026-06-10", each value by the one set of formatting rules. */
    static String example(Map<String, Object> row, String currency) {
        List<String> parts = new ArrayList<>();
        row.forEach((k, v) -> parts.add(k + "=" + Formats.cell(k, v, currency)));
        return String.join(", ", parts);
    }

    private static String status(Result r) {
        if (r.passed()) return "passed";
        if (r.offendingRows() < 0) return "could not run";
        return r.severity().equals("error") ? "failed" : "warning";
    }

    private static String count(long n) {
        return Formats.value(Kind.COUNT, n, "", false);
    }

    /** The table of every check in the run folder, through the one CSV writer. */
    private static void writeCsv(PipelineRun run, Table t) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (List<Object> r : t.rows()) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            for (int c = 0; c < t.columns().size(); c++) m.put(t.columns().get(c).key(), r.get(c));
            rows.add(m);
        }
        try {
            KpiTable.write(t.name(), rows.iterator(), run.dir().resolve(CSV), 0);
        } catch (IOException e) {
            LOG.warn("run {} | could not write {}: {}", run.id(), CSV, e.getMessage());
        }
    }

    private static PipelineRun run(Exchange exchange) {
        return exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
    }
}
