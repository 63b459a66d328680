package io.ecombi;

import io.ecombi.db.Database;
import io.ecombi.demo.DemoData;
import io.ecombi.demo.DemoDataGenerator;
import io.ecombi.report.RunSummary;
import io.ecombi.run.ErrorText;
import io.ecombi.run.PipelineRun;
import org.apache.camel.Exchange;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** The command line: run, serve, demo. Run it from the project folder (it reads config/, routes/, sql/). */
public final class EcombiApp {
    static final String USAGE = """
            usage: bin/ecombi <command> [options]        (or java -jar target/ecombi.jar <command> [options])

              run    [--as-of=YYYY-MM-DD]      one pipeline run, then exit: 0 succeeded, 1 failed
              serve                            stay up: daily schedule (ecombi.schedule.cron) and inbox/*.trigger;
                                               never loads demo data
              demo   [--customers=N] [--seed=S] [--end-date=YYYY-MM-DD] [--csv-only=DIR] [--web-events=false]
                                               generate the demo shop and load it (replaces the shop tables),
                                               or with --csv-only only write its CSV files to DIR

              load   FILE...                   load CSV exports (any format the inbox takes) without a run, parents
                                               first; rejected and set-aside rows go to reports/ingest/;
                                               exit 1 when a file was not loaded (the others still are)

              bench  [--sizes=100000,1000000,4000000] [--seed=42] [--out=bench/results] [--durable=false]
                     [--real=false] [--web-events=false]
                                               benchmark: generate, load (ecombi vs plain COPY), run, KPIs vs bare SQL,
                                               per size in order lines, on fresh embedded databases

              any command: --set key=value     override a setting of config/application.properties
            """;

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            System.out.print(USAGE);
            System.exit(args.length == 0 ? 2 : 0);
        }
        Map<String, String> options = new LinkedHashMap<>();
        Map<String, String> overrides = new LinkedHashMap<>();
        java.util.List<Path> files = new java.util.ArrayList<>();
        try {
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--set") && i + 1 < args.length) {
                    String kv = args[++i];
                    int eq = kv.indexOf('=');
                    if (eq < 1) throw new IllegalArgumentException("--set takes key=value, got '" + kv + "'");
                    overrides.put(kv.substring(0, eq), kv.substring(eq + 1));
                } else if (a.startsWith("--") && a.contains("=")) {
                    options.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
                } else if (args[0].equals("load") && !a.startsWith("--")) {
                    files.add(Path.of(a));
                } else {
                    throw new IllegalArgumentException("unknown argument '" + a + "'");
                }
            }
            System.exit(switch (args[0]) {
                case "run" -> run(options, overrides);
                case "serve" -> serve(overrides);
                case "demo" -> demo(options, overrides);
                case "load" -> load(files, overrides);
                case "bench" -> io.ecombi.bench.Benchmark.main(options, overrides);
                default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'");
            });
        } catch (IllegalArgumentException e) {
            System.err.println("ecombi: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        } catch (Exception e) {
            System.err.println("ecombi: " + ErrorText.of(e));
            System.exit(1);
        }
    }

    static int run(Map<String, String> options, Map<String, String> overrides) throws Exception {
        LocalDate asOf = options.containsKey("as-of") ? LocalDate.parse(options.remove("as-of")) : null;
        rejectUnknown(options);
        overrides.putIfAbsent("ecombi.triggers.enabled", "false");   // one run: no schedule, no inbox
        try (EcombiRuntime rt = EcombiRuntime.start(Settings.load(overrides)).stopOnShutdown(null)) {
            Exchange result = rt.runOnce("cli", asOf);
            PipelineRun run = EcombiRuntime.runOf(result);
            if (run != null) System.out.print("\n" + RunSummary.table(run));
            if (result.getException() != null) {
                System.err.println("\nRUN FAILED: " + ErrorText.of(result.getException()));
                return 1;
            }
            System.out.println("\nReports: " + io.ecombi.shop.Shop.of(rt.settings()).reportsDir().toAbsolutePath() + " (latest -> runs/" + run.id() + ")");
            System.out.println(Memory.summary());
            return 0;
        }
    }

    static int serve(Map<String, String> overrides) throws Exception {
        // a service reports on the shop's data: it never fills an empty database with the demo shop
        overrides.putIfAbsent("ecombi.demo.load-if-empty", "false");
        EcombiRuntime rt = EcombiRuntime.start(Settings.load(overrides));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            rt.close();
            stopped.countDown();
        }, "ecombi-shutdown"));
        System.out.println("ecombi is serving: schedule '" + rt.settings().get("ecombi.schedule.cron") + "', trigger files in "
                + rt.settings().get("ecombi.inbox.dir") + "/*.trigger. Ctrl-C stops it.");
        stopped.await();
        return 0;
    }

    static int demo(Map<String, String> options, Map<String, String> overrides) throws Exception {
        int customers = Integer.parseInt(options.getOrDefault("customers", "20000"));
        long seed = Long.parseLong(options.getOrDefault("seed", "42"));
        LocalDate end = LocalDate.parse(options.getOrDefault("end-date", "2026-10-31"));
        String csvOnly = options.get("csv-only");
        boolean webEvents = Boolean.parseBoolean(options.getOrDefault("web-events", "true"));
        options.keySet().removeAll(java.util.List.of("customers", "seed", "end-date", "csv-only", "web-events"));
        rejectUnknown(options);
        DemoDataGenerator generator = new DemoDataGenerator(customers, seed, end);
        if (!webEvents) generator.withoutWebEvents();
        if (csvOnly != null) {
            DemoDataGenerator.Summary s = generator.writeCsv(Path.of(csvOnly));
            System.out.println("wrote demo CSV files to " + csvOnly + ": " + s);
            return 0;
        }
        try (Database db = Database.open(io.ecombi.shop.DemoShop.forDemoCommand(Settings.load(overrides)))) {
            Map<String, Long> rows = DemoData.generateAndLoad(db, generator);
            System.out.println("demo data loaded: " + rows);
            return 0;
        }
    }

    static int load(java.util.List<Path> files, Map<String, String> overrides) throws Exception {
        if (files.isEmpty()) throw new IllegalArgumentException("load needs at least one file");
        overrides.putIfAbsent("ecombi.demo.load-if-empty", "false");
        Settings settings = Settings.load(overrides);
        int refused = 0;
        try (Database db = Database.open(settings)) {
            io.ecombi.ingest.IngestStep ingest = new io.ecombi.ingest.IngestStep(db.dataSource(), settings);
            Path issues = io.ecombi.shop.Shop.of(settings).reportsDir().resolve("ingest");
            // parents first, as the inbox does (customers, products, orders, order lines)
            for (Path f : io.ecombi.ingest.DropOrder.sorted(files)) {
                try {
                    var r = ingest.load(f, issues.resolve(f.getFileName().toString()));
                    System.out.printf("%s: %s, %,d rows read = %,d loaded + %,d rejected + %,d set aside, %.1f s (%,.0f rows/s)%n", f, r.duplicate() ? "already loaded" : r.format(),
                            r.read(), r.loaded(), r.rejected(), r.setAside(), r.seconds(), r.read() / Math.max(r.seconds(), 1e-3));
                } catch (Exception e) {
                    refused++;
                    System.err.println(f + ": NOT LOADED: " + ErrorText.of(e));
                }
            }
        }
        if (refused > 0) System.err.println(refused + " of " + files.size() + " files were not loaded (see above); the others were");
        return refused > 0 ? 1 : 0;
    }

    private static void rejectUnknown(Map<String, String> options) {
        if (!options.isEmpty()) throw new IllegalArgumentException("unknown option(s) " + options.keySet());
    }
}
