package io.ecombi.bench;

import io.ecombi.Settings;
import io.ecombi.db.Database;
import io.ecombi.db.ShopTableLoader;
import io.ecombi.demo.DemoDataGenerator;
import io.ecombi.ingest.IngestStep;
import io.ecombi.db.EmbeddedServer;
import org.postgresql.PGConnection;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where a run's time goes, measured the same way every time, next to what PostgreSQL does alone.
 * Per size (order lines; the demo generator's customer count is derived), on fresh databases of
 * one embedded server: generate the demo CSVs; load them through ecombi's ingest path and, as the
 * reference, with plain COPY into an identical empty schema; run the pipeline once in its own JVM
 * (offline summary) and read its stage timings from bi.run_stages; run each KPI SQL file alone on
 * plain JDBC with the same parameters; record the run's peak heap and RSS. Prints the tables and
 * writes them as markdown under bench/results/.
 */
public final class Benchmark {
    /** The superuser's password of the benchmark's own embedded server (set when it starts). */
    private static String superuserPassword;

    /** Order lines per customer of the demo generator (measured: 345,916 lines from 20,000 customers). */
    static final double LINES_PER_CUSTOMER = 17.3;
    private static final Pattern PEAK = Pattern.compile("peak heap (\\d+) MB, peak RSS (-?\\d+) MB, CPU (-?[\\d.]+) s");

    record Stage(String name, long rows, double seconds) {}

    record SizeResult(long targetLines, int customers, long orderLines, double generateSeconds, double loadSeconds, double copySeconds,
                      long loadRows, List<Stage> loadByTable, Map<String, Double> copyByTable, List<Stage> stages, double runWallSeconds,
                      double kpiSeconds, double kpiBareSeconds, long peakHeapMb, long peakRssMb, double copyUnloggedSeconds, double scanSeconds,
                      double runJvmCpuSeconds, double runPostgresCpuSeconds, String explore) {}

    record RealFile(String name, long rows, long loaded, long rejected, long setAside, double seconds, double copyUnloggedSeconds) {}

    private Benchmark() {}

    /** What `ecombi bench` was asked for (see BenchCommand). */
    public record Options(List<Long> sizes, long seed, Path out, boolean durable, boolean webEvents, boolean real, Path datasets,
                          boolean increments, boolean incrementsOnly, int incrementRepeats, boolean scoring, boolean scoringOnly,
                          int scoringCustomers, int scoringRequests) {}

    public static int main(Options options, Map<String, String> overrides) throws Exception {
        List<Long> sizes = options.sizes();
        long seed = options.seed();
        Path out = options.out();
        Path work = Files.createTempDirectory("ecombi-bench-");
        StringBuilder md = new StringBuilder();
        // --durable=false: fsync and synchronous commit off, to measure what durability costs
        boolean durable = options.durable();
        // --web-events=false: a shop without its web sessions, for sizes where only the orders matter
        // (the churn model at 1M customers: 17M order lines, whose 50M web events would take the hour)
        boolean webEvents = options.webEvents();
        try (EmbeddedServer pg = Database.startEmbedded(work.resolve("pg"), 0, durable)) {
            // the benchmark works as the superuser of its own server, whose password is in the server's data folder
            superuserPassword = pg.superuserPassword();
            String base = "jdbc:postgresql://localhost:" + pg.port() + "/";
            md.append("# ecombi benchmark ").append(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"))).append(", commit ").append(commit()).append("\n\n");
            md.append(machine(base));
            if (!webEvents) md.append("- web events: none generated (--web-events=false): no web_events load, no funnel\n");
            md.append('\n');
            print(md);
            if (!options.incrementsOnly() && !options.scoringOnly()) {
                List<SizeResult> results = new ArrayList<>();
                for (long size : sizes) {
                    SizeResult r = runSize(base, work, size, seed, webEvents, overrides);
                    results.add(r);
                    StringBuilder part = sizeTable(r);
                    print(part);
                    md.append(part);
                }
                StringBuilder scaling = scaling(results);
                print(scaling);
                md.append(scaling);
                if (options.real()) {
                    StringBuilder real = realTable(realFiles(base, work, overrides, options.datasets()));
                    print(real);
                    md.append(real);
                }
            }
            // issue 30: a later export into the shop against the same rows into an empty database (IncrementBench)
            if ((options.increments() && !options.scoringOnly()) || options.incrementsOnly()) {
                for (long size : sizes) {
                    StringBuilder part = IncrementBench.run(base, work, size, seed, options.incrementRepeats(), durable, overrides);
                    print(part);
                    md.append(part);
                }
            }
            // issue 32: the scoring API's answers on a shop of many scored customers (ScoringBench)
            if ((options.scoring() && !options.incrementsOnly()) || options.scoringOnly()) {
                StringBuilder part = ScoringBench.run(base, superuserPassword, work, options.scoringCustomers(), options.scoringRequests(), overrides);
                print(part);
                md.append(part);
            }
        } finally {
            try (Stream<Path> s = Files.walk(work)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(out);
        Path file = out.resolve(LocalDate.now() + "-" + commit() + (options.incrementsOnly() ? "-increments" : options.scoringOnly() ? "-scoring" : "") + ".md");
        Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
        System.out.println("written to " + file);
        return 0;
    }

    private static SizeResult runSize(String base, Path work, long targetLines, long seed, boolean webEvents, Map<String, String> overrides) throws Exception {
        int customers = (int) Math.max(100, Math.round(targetLines / LINES_PER_CUSTOMER));
        String ecombiDb = "bench_ecombi_" + targetLines, refDb = "bench_ref_" + targetLines;
        try (Connection c = DriverManager.getConnection(base + "postgres", "postgres", superuserPassword); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + ecombiDb);
            s.execute("CREATE DATABASE " + refDb);
        }
        Path csv = work.resolve("csv-" + targetLines);
        System.out.printf("%n== %,d order lines (%,d customers) ==%n", targetLines, customers);
        long t = System.nanoTime();
        DemoDataGenerator generator = new DemoDataGenerator(customers, seed, LocalDate.of(2026, 10, 31));
        DemoDataGenerator.Summary summary = (webEvents ? generator : generator.withoutWebEvents()).writeCsv(csv);
        double generate = secondsSince(t);

        Map<String, String> o = new HashMap<>(overrides);
        o.put("ecombi.db.user", "postgres");
        o.put("ecombi.db.url", base + ecombiDb);
        Settings ecombi = Settings.load(Settings.DEFAULT_FILE, Map.of("ECOMBI_DB_PASSWORD", superuserPassword), o);
        List<Stage> loadByTable = new ArrayList<>();
        double load = 0;
        long loadRows = 0;
        try (Database db = Database.open(ecombi)) {
            IngestStep ingest = new IngestStep(db.dataSource(), ecombi);
            for (String table : ShopTableLoader.LOAD_ORDER) {
                IngestStep.Result r = ingest.load(csv.resolve(table + ".csv"), work.resolve("issues-" + targetLines).resolve(table));
                if (r.rejected() + r.setAside() > 0) throw new IllegalStateException(table + ": the demo data should load whole, " + r);
                loadByTable.add(new Stage(table, r.loaded(), r.seconds()));
                load += r.seconds();
                loadRows += r.loaded();
            }
        }
        o.put("ecombi.db.url", base + refDb);
        Map<String, Double> copyByTable = new LinkedHashMap<>();
        double copy = 0;
        try (Database db = Database.open(Settings.load(Settings.DEFAULT_FILE, Map.of("ECOMBI_DB_PASSWORD", superuserPassword), o)); Connection c = db.dataSource().getConnection()) {
            var api = c.unwrap(PGConnection.class).getCopyAPI();
            for (String table : ShopTableLoader.LOAD_ORDER) {
                Path f = csv.resolve(table + ".csv");
                String header;
                try (BufferedReader r = Files.newBufferedReader(f)) { header = r.readLine(); }
                long t0 = System.nanoTime();
                try (Reader r = Files.newBufferedReader(f)) {
                    api.copyIn("COPY " + table + " (" + header + ") FROM STDIN WITH (FORMAT csv, HEADER true)", r);
                }
                double sec = secondsSince(t0);
                copyByTable.put(table, sec);
                copy += sec;
            }
        }

        // the physical floor: COPY of the order lines into an unindexed, unlogged table of text columns,
        // and one bare scan of the loaded order lines
        double copyUnlogged, scan;
        try (Connection c = DriverManager.getConnection(base + refDb, "postgres", superuserPassword)) {
            copyUnlogged = copyUnlogged(c, csv.resolve("order_items.csv"));
            long t0 = System.nanoTime();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*), sum(quantity * unit_price) FROM order_items")) { rs.next(); }
            scan = secondsSince(t0);
        }

        // the pipeline in its own JVM, as an operator runs it
        String[] peak = new String[3];
        Path pgData = work.resolve("pg");
        double pgCpu0 = postgresCpuSeconds(pgData);
        long t1 = System.nanoTime();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(io.ecombi.JvmOptions.read(io.ecombi.JvmOptions.FILE));   // as bin/ecombi starts it
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.ecombi.EcombiApp", "run",
                "--set", "ecombi.db.url=" + base + ecombiDb, "--set", "ecombi.db.user=postgres",
                "--set", "ecombi.reports.dir=" + work.resolve("reports-" + targetLines), "--set", "ecombi.demo.load-if-empty=false"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("ANTHROPIC_API_KEY");   // the summary step writes offline: no network in a benchmark
        pb.environment().put("ECOMBI_DB_PASSWORD", superuserPassword);
        Process p = pb.start();
        StringBuilder log = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                log.append(line).append('\n');
                Matcher m = PEAK.matcher(line);
                if (m.find()) { peak[0] = m.group(1); peak[1] = m.group(2); peak[2] = m.group(3); }
            }
        }
        if (p.waitFor() != 0) throw new IllegalStateException("the pipeline run failed:\n" + log);
        double runWall = secondsSince(t1);
        Thread.sleep(300);   // the run's backends have exited: let the postmaster reap them, so their CPU is counted
        double pgCpu = pgCpu0 < 0 ? -1 : postgresCpuSeconds(pgData) - pgCpu0;

        List<Stage> stages = new ArrayList<>();
        double kpi = 0, bare = 0;
        try (Connection c = DriverManager.getConnection(base + ecombiDb, "postgres", superuserPassword)) {
            long runId;
            LocalDate asOf;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT run_id, as_of FROM bi.pipeline_runs ORDER BY run_id DESC LIMIT 1")) {
                rs.next();
                runId = rs.getLong(1);
                asOf = rs.getDate(2).toLocalDate();
            }
            // KPI time is wall time: the union of the KPI stages' intervals (the independent ones run in parallel and overlap)
            List<double[]> kpiIntervals = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT stage, coalesce(row_count, -1), extract(epoch FROM finished_at - started_at), "
                    + "extract(epoch FROM started_at), extract(epoch FROM finished_at) FROM bi.run_stages WHERE run_id = ? ORDER BY seq")) {
                ps.setLong(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        stages.add(new Stage(rs.getString(1), rs.getLong(2), rs.getDouble(3)));
                        if (rs.getString(1).startsWith("kpi ") && Files.exists(Path.of("sql", "kpi", rs.getString(1).substring(4) + ".sql"))) {
                            kpiIntervals.add(new double[]{rs.getDouble(4), rs.getDouble(5)});
                        }
                    }
                }
            }
            kpiIntervals.sort(java.util.Comparator.comparingDouble(a -> a[0]));
            double end = Double.NEGATIVE_INFINITY;
            for (double[] in : kpiIntervals) {
                if (in[1] <= end) continue;
                kpi += in[1] - Math.max(in[0], end);
                end = in[1];
            }
            for (Stage s : stages) {
                if (!s.name().startsWith("kpi ")) continue;
                Path sql = Path.of("sql", "kpi", s.name().substring(4) + ".sql");
                if (!Files.exists(sql)) continue;
                bare += bareQuery(c, sql);
            }
        }
        o.put("ecombi.db.url", base + ecombiDb);
        String explore = ExploreBench.run(Settings.load(Settings.DEFAULT_FILE, Map.of("ECOMBI_DB_PASSWORD", superuserPassword), o), 20);
        return new SizeResult(targetLines, customers, summary.orderItems(), generate, load, copy, loadRows, loadByTable, copyByTable, stages, runWall,
                kpi, bare, peak[0] == null ? -1 : Long.parseLong(peak[0]), peak[1] == null ? -1 : Long.parseLong(peak[1]), copyUnlogged, scan,
                peak[2] == null ? -1 : Double.parseDouble(peak[2]), pgCpu, explore);
    }

    /** COPY of a CSV file (plain or .gz) into a fresh unlogged table of text columns named after its header: the floor of any load. */
    static double copyUnlogged(Connection c, Path file) throws Exception {
        String header;
        try (BufferedReader r = reader(file)) { header = r.readLine(); }
        List<String> cols = new ArrayList<>();
        for (String h : header.replace("\uFEFF", "").split(",")) cols.add("c" + cols.size() + " text");
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS copy_floor");
            st.execute("CREATE UNLOGGED TABLE copy_floor (" + String.join(", ", cols) + ")");
        }
        var api = c.unwrap(PGConnection.class).getCopyAPI();
        long t = System.nanoTime();
        try (Reader r = reader(file)) {
            api.copyIn("COPY copy_floor FROM STDIN WITH (FORMAT csv, HEADER true)", r);
        }
        double sec = secondsSince(t);
        try (Statement st = c.createStatement()) { st.execute("DROP TABLE copy_floor"); }
        return sec;
    }

    private static BufferedReader reader(Path file) throws Exception {
        var in = Files.newInputStream(file);
        return new BufferedReader(new InputStreamReader(file.toString().endsWith(".gz") ? new java.util.zip.GZIPInputStream(in) : in, StandardCharsets.UTF_8));
    }

    /** The real exports of ../shared/datasets (when present), each into a fresh database through the ingest path, next to the COPY floor. */
    static List<RealFile> realFiles(String base, Path work, Map<String, String> overrides, Path datasets) throws Exception {
        List<RealFile> out = new ArrayList<>();
        List<List<Path>> sets = List.of(
                List.of(datasets.resolve("online-retail/online_retail.csv.gz")),
                List.of(datasets.resolve("superstore/superstore.csv")),
                Stream.of("customers", "products", "product_category_name_translation", "orders", "order_items")
                        .map(n -> datasets.resolve("olist-2017/" + n + ".csv")).toList());
        int n = 0;
        for (List<Path> files : sets) {
            if (!files.stream().allMatch(Files::isRegularFile)) continue;
            String db = "bench_real_" + (++n);
            try (Connection c = DriverManager.getConnection(base + "postgres", "postgres", superuserPassword); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + db);
            }
            Map<String, String> o = new HashMap<>(overrides);
            o.put("ecombi.db.user", "postgres");
            o.put("ecombi.db.url", base + db);
            Settings settings = Settings.load(Settings.DEFAULT_FILE, Map.of("ECOMBI_DB_PASSWORD", superuserPassword), o);
            try (Database d = Database.open(settings); Connection c = d.dataSource().getConnection()) {
                IngestStep ingest = new IngestStep(d.dataSource(), settings);
                for (Path f : files) {
                    IngestStep.Result r = ingest.load(f, work.resolve("issues-real-" + n).resolve(f.getFileName().toString()));
                    out.add(new RealFile(f.getFileName().toString(), r.read(), r.loaded(), r.rejected(), r.setAside(), r.seconds(), copyUnlogged(c, f)));
                }
            }
        }
        return out;
    }

    private static StringBuilder realTable(List<RealFile> files) {
        StringBuilder s = new StringBuilder("\n## Real exports (../shared/datasets), ingest path vs COPY floor\n\n"
                + "| file | rows read | loaded | rejected | set aside | load s | COPY into unlogged text table s | ÷ floor |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (RealFile f : files) {
            s.append(String.format(Locale.US, "| %s | %,d | %,d | %,d | %,d | %.2f | %.2f | %.1f |%n", f.name(), f.rows(), f.loaded(), f.rejected(), f.setAside(),
                    f.seconds(), f.copyUnloggedSeconds(), f.seconds() / f.copyUnloggedSeconds()));
        }
        return s;
    }

    /** One KPI file alone on plain JDBC: named parameters bound in order, every row fetched. */
    /** The query alone, read to the last row through the same class the pipeline runs it with. */
    static double bareQuery(Connection c, Path sql) throws Exception {
        long t = System.nanoTime();
        io.ecombi.db.SqlFile.read(sql).query(c, Map.of(), rs -> {
            int n = rs.getMetaData().getColumnCount();
            for (int i = 1; i <= n; i++) rs.getObject(i);
        });
        return secondsSince(t);
    }

    private static StringBuilder sizeTable(SizeResult r) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.US, "%n## %,d order lines (%,d customers; %,d lines generated)%n%n", r.targetLines(), r.customers(), r.orderLines()));
        s.append("| stage | rows | seconds | rows/s | ecombi ÷ plain PostgreSQL |\n|---|---:|---:|---:|---:|\n");
        row(s, "generate demo CSVs", r.loadRows(), r.generateSeconds(), null);
        for (Stage t : r.loadByTable()) row(s, "load " + t.name() + " (ingest path)", t.rows(), t.seconds(), t.seconds() / r.copyByTable().get(t.name()));
        row(s, "**load, all tables**", r.loadRows(), r.loadSeconds(), r.loadSeconds() / r.copySeconds());
        row(s, "reference: plain COPY, all tables", r.loadRows(), r.copySeconds(), null);
        row(s, "floor: COPY order_items.csv into an unlogged, unindexed text table", -1, r.copyUnloggedSeconds(), null);
        row(s, "floor: one bare scan of the order lines", -1, r.scanSeconds(), null);
        for (Stage t : r.stages()) row(s, "run: " + t.name(), t.rows(), t.seconds(), null);
        row(s, "**KPI stage (sql/kpi files, wall time)**", -1, r.kpiSeconds(), r.kpiSeconds() / r.kpiBareSeconds());
        row(s, "reference: the same SQL on plain JDBC", -1, r.kpiBareSeconds(), null);
        row(s, "**full run, process wall time**", r.orderLines(), r.runWallSeconds(), null);
        s.append(String.format(Locale.US, "%nPeak of the run's JVM: heap %,d MB, RSS %,d MB.%n", r.peakHeapMb(), r.peakRssMb()));
        if (r.runJvmCpuSeconds() >= 0 && r.runPostgresCpuSeconds() >= 0) {
            int cores = Runtime.getRuntime().availableProcessors();
            double cpu = r.runJvmCpuSeconds() + r.runPostgresCpuSeconds();
            s.append(String.format(Locale.US, "CPU of the run: JVM %.1f s + PostgreSQL %.1f s = %.1f s; on %d cores no schedule of this work ends before %.1f s"
                    + " (the run took %.1f s, %.0f %% of the cores busy).%n", r.runJvmCpuSeconds(), r.runPostgresCpuSeconds(), cpu, cores, cpu / cores,
                    r.runWallSeconds(), 100 * cpu / cores / r.runWallSeconds()));
        }
        s.append(r.explore());
        return s;
    }

    /**
     * CPU seconds the embedded PostgreSQL has used: the postmaster's own, its exited children's (backends,
     * parallel workers, autovacuum workers, which it has reaped) and its live children's. -1 off Linux.
     */
    static double postgresCpuSeconds(Path dataDir) {
        try {
            long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
            double ticks = 0;
            String[] own = procStat(postmaster);
            ticks += Long.parseLong(own[13]) + Long.parseLong(own[14]) + Long.parseLong(own[15]) + Long.parseLong(own[16]);
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path p : (Iterable<Path>) procs::iterator) {
                    String name = p.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) continue;
                    String[] f = procStat(Long.parseLong(name));
                    if (f != null && Long.parseLong(f[3]) == postmaster) ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
                }
            }
            return ticks / 100.0;   // USER_HZ: 100 on Linux
        } catch (Exception e) {
            return -1;
        }
    }

    /** The fields of /proc/PID/stat, numbered as in proc(5) from 0, the command name removed; null when the process is gone. */
    private static String[] procStat(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String rest = stat.substring(stat.lastIndexOf(')') + 2);   // after "pid (comm) "
            String[] tail = rest.trim().split(" ");
            String[] f = new String[tail.length + 2];
            f[0] = Long.toString(pid);
            f[1] = "comm";
            System.arraycopy(tail, 0, f, 2, tail.length);
            return f;
        } catch (Exception e) {
            return null;
        }
    }

    private static void row(StringBuilder s, String name, long rows, double seconds, Double ratio) {
        s.append(String.format(Locale.US, "| %s | %s | %.2f | %s | %s |%n", name, rows < 0 ? "" : String.format(Locale.US, "%,d", rows), seconds,
                rows <= 0 || seconds <= 0 ? "" : String.format(Locale.US, "%,.0f", rows / seconds), ratio == null ? "" : String.format(Locale.US, "%.2f", ratio)));
    }

    private static StringBuilder scaling(List<SizeResult> results) {
        StringBuilder s = new StringBuilder("\n## Scaling\n\n| order lines | load s | load ÷ COPY | KPI s | KPI ÷ bare SQL | full run s | × previous size's run | peak RSS MB | run CPU s (JVM + PostgreSQL) |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        SizeResult prev = null;
        for (SizeResult r : results) {
            s.append(String.format(Locale.US, "| %,d | %.1f | %.2f | %.1f | %.2f | %.1f | %s | %,d | %.1f + %.1f |%n", r.orderLines(), r.loadSeconds(), r.loadSeconds() / r.copySeconds(),
                    r.kpiSeconds(), r.kpiSeconds() / r.kpiBareSeconds(), r.runWallSeconds(),
                    prev == null ? "" : String.format(Locale.US, "%.2f (data × %.2f)", r.runWallSeconds() / prev.runWallSeconds(), (double) r.orderLines() / prev.orderLines()),
                    r.peakRssMb(), r.runJvmCpuSeconds(), r.runPostgresCpuSeconds()));
            prev = r;
        }
        return s;
    }

    private static String machine(String base) throws Exception {
        String pgVersion;
        try (Connection c = DriverManager.getConnection(base + "postgres", "postgres", superuserPassword); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version()")) {
            rs.next();
            pgVersion = rs.getString(1);
        }
        long memKb = -1;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) if (l.startsWith("MemTotal:")) memKb = Long.parseLong(l.replaceAll("\\D", ""));
        } catch (Exception ignored) {
            // not Linux
        }
        return String.format(Locale.US, "- machine: %d cores, %.1f GiB memory, %s %s%n- PostgreSQL: %s (embedded, ecombi's settings)%n- JVM: %s %s, max heap %d MB%n"
                        + "- JVM options: the runs' %s (config/jvm.options); the benchmark's own (the loads) %s%n",
                Runtime.getRuntime().availableProcessors(), memKb / 1024.0 / 1024.0, System.getProperty("os.name"), System.getProperty("os.arch"),
                pgVersion, System.getProperty("java.vm.name"), System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20,
                String.join(" ", io.ecombi.JvmOptions.read(io.ecombi.JvmOptions.FILE)),
                String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
    }

    private static String commit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? s : "unknown";
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static double secondsSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }

    private static void print(StringBuilder s) {
        System.out.print(s);
        System.out.flush();
    }
}
