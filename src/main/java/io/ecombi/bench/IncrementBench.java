package io.ecombi.bench;

import io.ecombi.Settings;
import io.ecombi.db.Database;
import io.ecombi.demo.DemoDataGenerator;
import io.ecombi.ingest.IngestStep;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Issue 30, loads that stay fast: a later export into a large shop (next month's file, a daily
 * drop) against the same rows into an empty database, and a file sent again. Per size, from the
 * demo shop's files cut by IncrementSplit (the latest 1 % and 10 % of the orders, whole days, with
 * their lines):
 * <ul>
 * <li>into the shop: a database holding customers, products and the base orders and lines, each
 * loaded through the ingest path (so with the statistics its ANALYZE leaves) and then vacuumed
 * (what autovacuum does within a minute of such a load, done here so the state does not depend on
 * whether it came first); the increment's orders.csv and order_items.csv are timed;</li>
 * <li>into an empty database: customers and products only, the same two files timed;</li>
 * <li>re-sent, same bytes: the increment's files again into the shop that just loaded them (a
 * duplicate, nothing to do);</li>
 * <li>re-sent, other bytes: the increment re-exported (a few statuses corrected, the lines in
 * another order: IncrementSplit) into that same shop, where every key exists and is updated,
 * against the same files into an empty database.</li>
 * </ul>
 * Each timed load is the wall time of IngestStep.load (hash, COPY, checks, merge, bookkeeping,
 * ANALYZE, commit), on a fresh copy of the prepared database (CREATE DATABASE ... TEMPLATE), the
 * shop and empty loads taking turns; the table gives the median of the repetitions, and where the
 * time went by the ingest's own phases (the line it logs per file).
 */
final class IncrementBench {
    static final double[] SHARES = {0.01, 0.10};
    static final double LIMIT = 1.5;

    private IncrementBench() {}

    /**
     * One file's load: wall seconds and the ingest's own phases as it logs them (read and COPY to
     * staging, checks and merge, counts / issues / totals, ANALYZE); all 0 but the wall for a duplicate.
     */
    record FileTime(double wall, double staging, double merge, double bookkeeping, double analyze) {
        /** The rest of the wall: the file's hash, the claim of its load, the commit, its issues written. */
        double rest() { return wall - staging - merge - bookkeeping - analyze; }
    }

    /** orders.csv and order_items.csv of one load. */
    record Pair(FileTime orders, FileTime lines) {
        double total() { return orders.wall() + lines.wall(); }
        double analyze() { return orders.analyze() + lines.analyze(); }
    }

    /** One share's measurements, every repetition kept. */
    record ShareResult(double share, IncrementSplit.Result split, List<Pair> shop, List<Pair> empty, List<Pair> duplicate, List<Pair> resentShop,
                       List<Pair> resentEmpty, double baseLoadSeconds) {}

    /** Runs the increments of one size (order lines) and returns its markdown section. */
    static StringBuilder run(String server, Path work, long targetLines, long seed, int repeats, boolean durable, Map<String, String> overrides) throws Exception {
        int customers = (int) Math.max(100, Math.round(targetLines / Benchmark.LINES_PER_CUSTOMER));
        String load0 = loadAverage();
        System.out.printf("%n== later exports into the %,d-line shop (%,d customers) ==%n", targetLines, customers);
        // the full section's files when it ran (the same generator and seed), else the orders without web sessions
        Path csv = work.resolve("csv-" + targetLines);
        double generate = -1;
        if (!Files.isRegularFile(csv.resolve("order_items.csv"))) {
            long t = System.nanoTime();
            new DemoDataGenerator(customers, seed, LocalDate.of(2026, 10, 31)).withoutWebEvents().writeCsv(csv);
            generate = secondsSince(t);
        }
        String cp = "bench_inc_cp_" + targetLines;
        createDatabase(server, cp, null);
        Logger ingestLog = (Logger) LoggerFactory.getLogger(IngestStep.class);
        PHASES.setContext(ingestLog.getLoggerContext());
        PHASES.start();
        ingestLog.addAppender(PHASES);
        try {
            try (Database db = open(server, cp, overrides)) {
                IngestStep ingest = ingest(db, server, cp, overrides);
                for (String table : List.of("customers", "products")) load(ingest, csv.resolve(table + ".csv"), work.resolve("issues-inc"), -1);
            }
            vacuum(server, cp);
            List<ShareResult> results = new ArrayList<>();
            List<String> loads = new ArrayList<>();
            for (double share : SHARES) results.add(share(server, work, targetLines, csv, cp, share, repeats, overrides, loads));
            return table(targetLines, customers, results, repeats, durable, generate, load0, loadAverage(), loads);
        } finally {
            ingestLog.detachAppender(PHASES);
            dropDatabase(server, cp);
        }
    }

    private static ShareResult share(String server, Path work, long targetLines, Path csv, String cp, double share, int repeats, Map<String, String> overrides,
                                     List<String> loads) throws Exception {
        String tag = targetLines + "_" + Math.round(share * 100);
        Path dir = work.resolve("inc-" + tag);
        Path baseDir = dir.resolve("base"), incDir = dir.resolve("increment"), resentDir = dir.resolve("resent");
        IncrementSplit.Result split = IncrementSplit.split(csv, share, baseDir, incDir, resentDir);
        System.out.printf("%n-- %s: %,d orders and %,d lines from %s into a shop of %,d orders and %,d lines --%n", pct(share), split.incrementOrders(),
                split.incrementLines(), split.firstDay(), split.baseOrders(), split.baseLines());
        String base = "bench_inc_base_" + tag;
        createDatabase(server, base, cp);
        List<Pair> shop = new ArrayList<>(), empty = new ArrayList<>(), duplicate = new ArrayList<>(), resentShop = new ArrayList<>(), resentEmpty = new ArrayList<>();
        double baseLoad;
        try {
            try (Database db = open(server, base, overrides)) {
                baseLoad = loadPair(ingest(db, server, base, overrides), baseDir, work.resolve("issues-inc"), split.baseOrders(), split.baseLines()).total();
            }
            vacuum(server, base);
            String copy = "bench_inc_copy";
            for (int rep = 1; rep <= repeats; rep++) {
                loads.add(loadAverage());
                // into the shop, then the same files again, then the re-export: every key of it exists by then
                createDatabase(server, copy, base);
                try (Database db = open(server, copy, overrides)) {
                    IngestStep ingest = ingest(db, server, copy, overrides);
                    shop.add(loadPair(ingest, incDir, work.resolve("issues-inc"), split.incrementOrders(), split.incrementLines()));
                    duplicate.add(loadPair(ingest, incDir, work.resolve("issues-inc"), 0, 0));
                    resentShop.add(loadPair(ingest, resentDir, work.resolve("issues-inc"), split.incrementOrders(), split.incrementLines()));
                }
                dropDatabase(server, copy);
                createDatabase(server, copy, cp);
                try (Database db = open(server, copy, overrides)) {
                    empty.add(loadPair(ingest(db, server, copy, overrides), incDir, work.resolve("issues-inc"), split.incrementOrders(), split.incrementLines()));
                }
                dropDatabase(server, copy);
                createDatabase(server, copy, cp);
                try (Database db = open(server, copy, overrides)) {
                    resentEmpty.add(loadPair(ingest(db, server, copy, overrides), resentDir, work.resolve("issues-inc"), split.incrementOrders(), split.incrementLines()));
                }
                dropDatabase(server, copy);
                System.out.printf(Locale.US, "   repetition %d: into the shop %.2f s, into an empty database %.2f s; same bytes again %.2f s; re-export into the shop %.2f s, "
                                + "into an empty database %.2f s%n", rep, shop.get(rep - 1).total(), empty.get(rep - 1).total(), duplicate.get(rep - 1).total(),
                        resentShop.get(rep - 1).total(), resentEmpty.get(rep - 1).total());
            }
        } finally {
            dropDatabase(server, base);
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return new ShareResult(share, split, shop, empty, duplicate, resentShop, resentEmpty, baseLoad);
    }

    /** orders.csv then order_items.csv of dir, each timed; rows: what each must load (0: a duplicate, loading nothing). */
    private static Pair loadPair(IngestStep ingest, Path dir, Path issues, long orders, long lines) throws Exception {
        return new Pair(load(ingest, dir.resolve("orders.csv"), issues, orders), load(ingest, dir.resolve("order_items.csv"), issues, lines));
    }

    /** One file through the ingest path; rows: what it must load (0: a duplicate; -1: whatever it holds). */
    private static FileTime load(IngestStep ingest, Path file, Path issues, long rows) throws Exception {
        PHASES.last = null;
        long t = System.nanoTime();
        IngestStep.Result r = ingest.load(file, issues.resolve(file.getFileName().toString()));
        double sec = secondsSince(t);
        if (r.rejected() + r.setAside() > 0) throw new IllegalStateException(file + ": the demo data should load whole, " + r);
        if (rows == 0 && !r.duplicate()) throw new IllegalStateException(file + ": sent again, it should be a duplicate, " + r);
        if (rows > 0 && r.loaded() != rows) throw new IllegalStateException(file + ": " + rows + " rows expected, " + r);
        double[] p = PHASES.last;
        if (p == null && !r.duplicate()) throw new IllegalStateException(file + ": the ingest logged no phase timings (its INFO line of StagedLoad)");
        return p == null ? new FileTime(sec, 0, 0, 0, 0) : new FileTime(sec, p[0], p[1], p[2], p[3]);
    }

    private static final Phases PHASES = new Phases();

    /** The phase timings of the file loaded last, from the line the ingest logs per file (StagedLoad). */
    static final class Phases extends AppenderBase<ILoggingEvent> {
        static final Pattern LINE = Pattern.compile("read and COPY to staging ([\\d.,]+) s, checks and merge ([\\d.,]+) s, "
                + "counts, issues and totals ([\\d.,]+) s, ANALYZE ([\\d.,]+) s");
        volatile double[] last;

        @Override
        protected void append(ILoggingEvent e) {
            double[] p = parse(e.getFormattedMessage());
            if (p != null) last = p;
        }

        static double[] parse(String message) {
            Matcher m = LINE.matcher(message);
            if (!m.find()) return null;
            double[] p = new double[4];
            for (int i = 0; i < 4; i++) p[i] = Double.parseDouble(m.group(i + 1).replace(',', '.'));
            return p;
        }
    }

    private static Settings settings(String server, String db, Map<String, String> overrides) {
        Map<String, String> o = new HashMap<>(overrides);
        o.put("ecombi.db.user", "postgres");
        o.put("ecombi.db.url", server + db);
        return Settings.load(Settings.DEFAULT_FILE, Map.of(), o);
    }

    private static Database open(String server, String db, Map<String, String> overrides) {
        return Database.open(settings(server, db, overrides));
    }

    private static IngestStep ingest(Database db, String server, String name, Map<String, String> overrides) {
        return new IngestStep(db.dataSource(), settings(server, name, overrides));
    }

    /** A new database, empty or a copy of template (its files copied: quick, and no WAL of every page); nobody may be connected to the template. */
    private static void createDatabase(String server, String name, String template) throws SQLException {
        try (Connection c = DriverManager.getConnection(server + "postgres", "postgres", ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name + (template == null ? "" : " TEMPLATE " + template + " STRATEGY FILE_COPY"));
        }
    }

    private static void dropDatabase(String server, String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(server + "postgres", "postgres", ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    /** What autovacuum does soon after a big load (hint bits, visibility map); the statistics stay the ingest's. */
    private static void vacuum(String server, String db) throws SQLException {
        try (Connection c = DriverManager.getConnection(server + db, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("VACUUM customers, products, orders, order_items");
        }
    }

    private static StringBuilder table(long targetLines, int customers, List<ShareResult> results, int repeats, boolean durable, double generate,
                                       String loadStart, String loadEnd, List<String> loads) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.US, "%n## Later exports into the %,d-line shop (%,d customers)%n%n", targetLines, customers));
        s.append(String.format(Locale.US, "Median of %d repetition%s, each on a fresh copy of the prepared database; wall time of the ingest path's load of orders.csv "
                + "then order_items.csv (hash, COPY, checks, merge, bookkeeping, ANALYZE, commit). Load average (1, 5, 15 min): %s at the start, %s at the end, "
                + "%s before the repetitions.%s%n%n", repeats, repeats == 1 ? "" : "s", loadStart, loadEnd, String.join(" / ", loads),
                generate < 0 ? "" : String.format(Locale.US, " Files generated without web sessions in %.1f s.", generate)));
        s.append("| export | orders | lines | into the shop s | into an empty database s | shop ÷ empty | within " + LIMIT + "× | of which ANALYZE s (shop / empty) "
                + "| shop ÷ empty without ANALYZE |\n|---|---:|---:|---:|---:|---:|---|---:|---:|\n");
        for (ShareResult r : results) ratioRow(s, pct(r.share()) + " (" + r.split().firstDay() + " on)", r.split(), median(r.shop()), median(r.empty()));
        for (ShareResult r : results) {
            IncrementSplit.Result p = r.split();
            s.append(String.format(Locale.US, "| %s re-sent, same bytes (duplicate) | %,d | %,d | %.2f | | | | | |%n", pct(r.share()), p.incrementOrders(), p.incrementLines(),
                    median(r.duplicate()).total()));
        }
        for (ShareResult r : results) ratioRow(s, pct(r.share()) + " re-sent, other bytes (every key exists)", r.split(), median(r.resentShop()), median(r.resentEmpty()));

        s.append("\nWhere the time went, per file of the median repetition (s; the ingest's own phases; rest = the file's hash, the claim of its load, "
                + "the commit, its issues written):\n\n| export | file | into | wall | COPY to staging | checks and merge | counts, issues, totals | ANALYZE | rest |\n"
                + "|---|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (ShareResult r : results) {
            phases(s, pct(r.share()), median(r.shop()), median(r.empty()));
            phases(s, pct(r.share()) + " re-sent, other bytes", median(r.resentShop()), median(r.resentEmpty()));
        }
        s.append("\nEvery repetition (s, both files), and the base each shop was loaded with:\n\n| export | into the shop | into an empty database | base: orders, lines, "
                + "load s |\n|---|---|---|---|\n");
        for (ShareResult r : results) {
            IncrementSplit.Result p = r.split();
            s.append(String.format(Locale.US, "| %s | %s | %s | %,d, %,d, %.1f |%n", pct(r.share()), totals(r.shop()), totals(r.empty()), p.baseOrders(), p.baseLines(),
                    r.baseLoadSeconds()));
            s.append(String.format(Locale.US, "| %s re-sent, same bytes | %s | | |%n", pct(r.share()), totals(r.duplicate())));
            s.append(String.format(Locale.US, "| %s re-sent, other bytes | %s | %s | |%n", pct(r.share()), totals(r.resentShop()), totals(r.resentEmpty())));
        }
        if (!durable) s.append("\n(--durable=false: fsync and synchronous commit off.)\n");
        return s;
    }

    private static void ratioRow(StringBuilder s, String name, IncrementSplit.Result p, Pair shop, Pair empty) {
        double ratio = shop.total() / empty.total();
        s.append(String.format(Locale.US, "| %s | %,d | %,d | %.2f | %.2f | %.2f | %s | %.2f / %.2f | %.2f |%n", name, p.incrementOrders(), p.incrementLines(), shop.total(),
                empty.total(), ratio, ratio <= LIMIT ? "yes" : "**no**", shop.analyze(), empty.analyze(),
                (shop.total() - shop.analyze()) / (empty.total() - empty.analyze())));
    }

    private static void phases(StringBuilder s, String name, Pair shop, Pair empty) {
        phase(s, name, "orders.csv", "shop", shop.orders());
        phase(s, name, "orders.csv", "empty", empty.orders());
        phase(s, name, "order_items.csv", "shop", shop.lines());
        phase(s, name, "order_items.csv", "empty", empty.lines());
    }

    private static void phase(StringBuilder s, String name, String file, String into, FileTime f) {
        s.append(String.format(Locale.US, "| %s | %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n", name, file, into, f.wall(), f.staging(), f.merge(), f.bookkeeping(),
                f.analyze(), f.rest()));
    }

    private static String totals(List<Pair> pairs) {
        return String.join(", ", pairs.stream().map(p -> String.format(Locale.US, "%.2f", p.total())).toList());
    }

    /** The repetition of median total (its two files' own split kept). */
    static Pair median(List<Pair> pairs) {
        Pair[] sorted = pairs.toArray(new Pair[0]);
        Arrays.sort(sorted, Comparator.comparingDouble(Pair::total));
        return sorted[(sorted.length - 1) / 2];
    }

    private static String pct(double share) {
        return Math.round(share * 100) + " %";
    }

    /** The machine's load averages (1, 5, 15 minutes) as /proc/loadavg gives them; "?" elsewhere. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "?";
        }
    }

    private static double secondsSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }
}
