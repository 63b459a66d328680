package io.ecombi.cli;

import io.ecombi.bench.Benchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Benchmark: generate, load, run and query per size, on fresh databases.",
        "Per size in order lines, on fresh embedded databases: load (ecombi vs plain COPY), run, KPIs vs bare SQL,",
        "later exports into the shop vs the same rows into an empty database.",
        "Prints the tables and writes them to OUT/<date>-<commit>.md. Not part of mvn test."})
public final class BenchCommand implements Callable<Integer> {
    @Mixin
    SettingOverrides settings;

    @Option(names = "--sizes", split = ",", paramLabel = "LINES", defaultValue = "100000,1000000,4000000",
            description = "sizes in order lines, comma-separated (default: ${DEFAULT-VALUE})")
    List<Long> sizes;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "bench/results", description = "where the results go (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--durable", arity = "1", paramLabel = "true|false", defaultValue = "true",
            description = "false: fsync and synchronous commit off, to see what durability costs (default: ${DEFAULT-VALUE})")
    boolean durable;

    @Option(names = "--real", arity = "1", paramLabel = "true|false", defaultValue = "true",
            description = "also load the real exports of --datasets when that folder is there (default: ${DEFAULT-VALUE})")
    boolean real;

    @Option(names = "--datasets", paramLabel = "DIR", defaultValue = "../shared/datasets", description = "the real exports (default: ${DEFAULT-VALUE})")
    Path datasets;

    @Option(names = "--web-events", arity = "1", paramLabel = "true|false", defaultValue = "true",
            description = "generate web sessions (default: ${DEFAULT-VALUE})")
    boolean webEvents;

    @Option(names = "--increments", arity = "1", paramLabel = "true|false", defaultValue = "true",
            description = "also time later exports (the latest 1 %% and 10 %% of the orders, and a re-sent file) into each size's shop against "
                    + "the same rows into an empty database (default: ${DEFAULT-VALUE})")
    boolean increments;

    @Option(names = "--increments-only", description = "only the later exports: none of the other sections")
    boolean incrementsOnly;

    @Option(names = "--increment-repeats", paramLabel = "N", defaultValue = "3",
            description = "repetitions of each timed later export; the median is reported (default: ${DEFAULT-VALUE})")
    int incrementRepeats;

    @Option(names = "--scoring", arity = "1", paramLabel = "true|false", defaultValue = "true",
            description = "also time the scoring API (GET /api/customers/{id}, POST /api/churn/predict) on a shop of --scoring-customers scored customers "
                    + "(default: ${DEFAULT-VALUE})")
    boolean scoring;

    @Option(names = "--scoring-only", description = "only the scoring API: none of the other sections")
    boolean scoringOnly;

    @Option(names = "--scoring-customers", paramLabel = "N", defaultValue = "1000000", description = "scored customers for the scoring API (default: ${DEFAULT-VALUE})")
    int scoringCustomers;

    @Option(names = "--scoring-requests", paramLabel = "N", defaultValue = "10000", description = "timed GETs (and a fifth as many predictions) (default: ${DEFAULT-VALUE})")
    int scoringRequests;

    @Override
    public Integer call() throws Exception {
        settings.load(Map.of());   // the log format; the sizes' runs load their own
        return Benchmark.main(new Benchmark.Options(sizes, seed, out, durable, webEvents, real, datasets,
                increments, incrementsOnly, Math.max(1, incrementRepeats), scoring, scoringOnly, Math.max(1, scoringCustomers), Math.max(10, scoringRequests)),
                settings.over(Map.of()));
    }
}
