package io.ecombi.cli;

import io.ecombi.testing.EcombiProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line (issue 30): help, version, typed options, exit codes 0 / 1 / 2. Argument parsing
 * only: nothing here starts a database or a run. A few cases go through a real process (bin/ecombi's
 * main and its System.exit), the rest through the same command line in this JVM.
 */
class CommandLineTest {
    @TempDir
    Path work;

    record Result(int exit, String out, String err) {}

    /** What main does, without the System.exit: EcombiCommand's command line, its output captured. */
    static Result execute(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = EcombiCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            run --bogus                         | Unknown option: '--bogus'
            run --as-of=2026-13-01              | option '--as-of': '2026-13-01' is not a date YYYY-MM-DD
            run --as-of=2026-13-45              | option '--as-of': '2026-13-45' is not a date YYYY-MM-DD
            run --as-of 2026-02-30              | option '--as-of': '2026-02-30' is not a date YYYY-MM-DD (Invalid date 'FEBRUARY 30')
            run --as-of                         | '--as-of'
            demo --web-events=nope              | option '--web-events': 'nope' is not a boolean
            bench --durable=nope                | option '--durable': 'nope' is not a boolean
            bench --sizes=100000,lots           | option '--sizes'
            demo --customers=many               | option '--customers': 'many' is not an int
            run --set no-equals-sign            | '--set'
            frobnicate                          | unknown command 'frobnicate'
            load /nonexistent.csv               | FILE '/nonexistent.csv': no such file
            load src                            | FILE 'src': is a folder, not a file
            load                                | Missing required parameter: 'FILE'
            serve extra                         | 'extra'
            reset                               | Missing required option: '--shop=NAME'
            reset --yes                         | Missing required option: '--shop=NAME'
            run --shop My_Shop                  | option '--shop': 'My_Shop' is not a shop name
            shops --shop                        | '--shop'
            run --shop a --set ecombi.shop=b    | --shop a and --set ecombi.shop=b name two shops
            demo --shop default                 | --shop default takes your own files and never demo data
            load --shop demo pom.xml            | the shop demo takes no files
            deliver                             | Missing required option: '--run=ID'
            deliver --run x                     | option '--run': 'x' is not a long
            deliver --run 3 --channel fax       | --channel fax: email, slack or webhook
            bench --scoring-customers=lots      | option '--scoring-customers'
            abtest --mde 0.01                   | Missing required option: '--baseline=RATE'
            abtest --baseline 0.1               | Missing required argument (specify one of these)
            abtest --baseline 0.1 --mde 0.01 --mde-relative 0.1 | mutually exclusive
            abtest --baseline lots --mde 0.01   | option '--baseline': 'lots' is not a double
            abtest --baseline 0.95 --mde 0.1    | the target rate must be between 0 and 1
            abtest --baseline 0.1 --mde 0       | the minimum detectable effect must not be zero
            abtest --baseline 0.1 --mde 0.01 --arm A=100  | --arm A=100: NAME=USERS:CONVERSIONS
            abtest --baseline 0.1 --mde 0.01 --arm A=100:5 | a read-out needs the control and at least one variant
            abtest --baseline 0.1 --mde 0.01 --arm A=100:5 --arm B=100:500 | variant B: 500 conversions of 100 users
            """)
    void aUsageErrorExits2AndNamesWhatWasWrong(String line, String expected) {
        Result r = execute(line.split(" "));

        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(expected).contains("--help");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void noCommandShowsWhatThereIsAndExits2() {
        Result r = execute();

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("a command is needed").contains("run", "serve", "demo", "load", "shops", "reset", "deliver", "bench", "abtest");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            --help              | Usage: ecombi
            -h                  | Usage: ecombi
            help                | Usage: ecombi
            run --help          | --as-of=YYYY-MM-DD
            run -h              | --as-of=YYYY-MM-DD
            help run            | --as-of=YYYY-MM-DD
            load --help         | FILE...
            demo --help         | --web-events=true|false
            bench --help        | --sizes=LINES
            serve --help        | Usage: ecombi serve
            shops --help        | --shop=NAME
            reset --help        | --yes
            deliver --help      | --again
            abtest --help       | --mde-relative=FRACTION
            run --help          | --shop=NAME
            --version           | ecombi
            run --version       | ecombi
            """)
    void helpAndVersionExit0(String line, String expected) {
        Result r = execute(line.split(" "));

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains(expected);
        assertThat(r.err()).isEmpty();
    }

    /** The calculator needs no database: baseline 10 %, +10 points at 0.05 / 0.80 is Fleiss's Table A.3 row 0.10 vs 0.20 (219). */
    @Test
    void abtestPrintsThePlanAndTheReadOut() {
        Result plan = execute("abtest", "--baseline", "0.10", "--mde", "0.10");
        assertThat(plan.exit()).as(plan.err()).isZero();
        assertThat(plan.out()).contains("baseline 10.00 % -> target 20.00 % (+10.00 percentage points), alpha 0.05 two-sided, power 0.8",
                "users per arm: 219 (with continuity correction; 199 without), 438 for two arms");

        Result readOut = execute("abtest", "--baseline=0.10", "--mde-relative=0.5", "--power", "0.9", "--arm", "A=100:10", "--arm", "B=100:20");
        assertThat(readOut.exit()).as(readOut.err()).isZero();
        assertThat(readOut.out()).contains("-> target 15.00 % (+50.0 % relative)", "B vs A: +10.00 pp", "Keep running: the smallest arm has 100 of the");
    }

    @Test
    void helpListsTheExitCodes() {
        assertThat(execute("run", "--help").out()).contains("Exit codes:", "0   done", "1   the work failed", "2   usage error");
    }

    @Test
    void asOfTakesADateWithASpaceOrAnEqualsSign() {
        assertThat(parsed(RunCommand.class, "run", "--as-of", "2026-10-31").asOf).isEqualTo(LocalDate.of(2026, 10, 31));
        assertThat(parsed(RunCommand.class, "run", "--as-of=2026-10-31").asOf).isEqualTo(LocalDate.of(2026, 10, 31));
        assertThat(parsed(RunCommand.class, "run").asOf).isNull();
    }

    @Test
    void optionsKeepTheirMeaning() {
        DemoCommand demo = parsed(DemoCommand.class, "demo", "--web-events=false", "--customers=50", "--end-date", "2025-12-31", "--csv-only=out");
        assertThat(demo.webEvents).isFalse();
        assertThat(demo.customers).isEqualTo(50);
        assertThat(demo.endDate).isEqualTo(LocalDate.of(2025, 12, 31));
        assertThat(demo.csvOnly).isEqualTo(Path.of("out"));
        assertThat(parsed(DemoCommand.class, "demo").webEvents).isTrue();

        BenchCommand bench = parsed(BenchCommand.class, "bench", "--sizes=100000,2000000", "--durable=false", "--real=FALSE");
        assertThat(bench.sizes).containsExactly(100000L, 2000000L);
        assertThat(bench.durable).isFalse();
        assertThat(bench.real).isFalse();
        assertThat(bench.webEvents).isTrue();

        // --set key=value, repeatable, an empty value kept (ecombi.db.url= means the embedded database); a later one wins
        RunCommand run = parsed(RunCommand.class, "run", "--set", "ecombi.db.url=", "--set=a.b=1=2", "--set", "a.b=3");
        assertThat(run.settings.over(Map.of("ecombi.triggers.enabled", "false")))
                .containsExactly(Map.entry("ecombi.triggers.enabled", "false"), Map.entry("ecombi.db.url", ""), Map.entry("a.b", "3"));
        assertThat(parsed(RunCommand.class, "run", "--set", "ecombi.triggers.enabled=true").settings.over(Map.of("ecombi.triggers.enabled", "false")))
                .containsEntry("ecombi.triggers.enabled", "true");

        // --shop NAME is --set ecombi.shop=NAME, and a shop named is never swapped for the demo (except the shop demo itself)
        RunCommand onShop = parsed(RunCommand.class, "run", "--shop", "default");
        assertThat(onShop.settings.over(onShop.shop.over(Map.of("ecombi.triggers.enabled", "false"), onShop.settings)))
                .containsEntry("ecombi.shop", "default").containsEntry("ecombi.demo.load-if-empty", "false");
        RunCommand onDemo = parsed(RunCommand.class, "run", "--shop=demo");
        assertThat(onDemo.shop.over(Map.of(), onDemo.settings)).containsExactly(Map.entry("ecombi.shop", "demo"));
        RunCommand noShop = parsed(RunCommand.class, "run");
        assertThat(noShop.shop.over(Map.of(), noShop.settings)).isEmpty();
        assertThat(parsed(LoadCommand.class, "load", "--shop", "acme-uk_2", "a.csv").shop.name).isEqualTo("acme-uk_2");
        assertThat(parsed(ServeCommand.class, "serve", "--shop", "acme").shop.name).isEqualTo("acme");
        assertThat(parsed(DemoCommand.class, "demo", "--shop", "trial").shop.name).isEqualTo("trial");
        ResetCommand reset = parsed(ResetCommand.class, "reset", "--shop", "acme", "-y");
        assertThat(reset.shop).isEqualTo("acme");
        assertThat(reset.yes).isTrue();

        LoadCommand load = parsed(LoadCommand.class, "load", "a.csv", "@b.csv");
        assertThat(load.files).containsExactly(Path.of("a.csv"), Path.of("@b.csv"));
    }

    /** The real thing: bin/ecombi's main, its exit code and output, in seconds. */
    @Test
    void theProcessExitsWithTheCodes() throws Exception {
        assertThat(process("version", "--version")).startsWith("0|").containsPattern("ecombi \\d+\\.\\d+");
        assertThat(process("help", "run", "--help")).startsWith("0|").contains("--as-of=YYYY-MM-DD");
        assertThat(process("date", "run", "--as-of", "2026-13-01")).startsWith("2|").contains("'--as-of'", "2026-13-01");
        assertThat(process("unknown", "run", "--help2")).startsWith("2|").contains("Unknown option: '--help2'");
    }

    /** A file that is not there is said at once: no database is started for it. */
    @Test
    void loadOfAMissingFileFailsBeforeAnyDatabase() throws Exception {
        long t0 = System.nanoTime();
        String r = process("load", "load", "--set", "ecombi.db.embedded.data-dir=" + work.resolve("pg"), work.resolve("nonexistent.csv").toString());

        assertThat(r).startsWith("2|").contains("nonexistent.csv': no such file").doesNotContain("PostgreSQL");
        assertThat(work.resolve("pg")).doesNotExist();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
    }

    /**
     * The shipped logging config (the tests' own logback-test.xml would win on the test classpath):
     * text lines start with the date, ecombi.log.format=json writes a JSON object per line. The
     * database is a closed port, so the command fails (exit 1) after its first log line, in a second.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            text | ^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} INFO  Database +Shop default: using PostgreSQL at jdbc:postgresql://127.0.0.1:1/x$
            json | ^\\{"timestamp":\\d+,"level":"INFO",.*"loggerName":"io.ecombi.db.Database",.*"formattedMessage":"Shop default: using PostgreSQL at jdbc:postgresql:\\\\/\\\\/127.0.0.1:1\\\\/x".*\\}$
            """)
    void logLinesCarryTheDateOrAreJson(String format, String line) throws Exception {
        List<String> shipped = List.of("-Dlogback.configurationFile=" + Path.of("src/main/resources/logback.xml").toAbsolutePath());
        String r = process(format, shipped, "run", "--set", "ecombi.log.format=" + format, "--set", "ecombi.db.url=jdbc:postgresql://127.0.0.1:1/x",
                "--set", "ecombi.db.connect-timeout-ms=1000");

        assertThat(r).startsWith("1|").containsPattern(Pattern.compile(line, Pattern.MULTILINE)).contains("ecombi run: Connection to 127.0.0.1:1 refused")
                .doesNotContain("|-INFO in ch.qos.logback");   // logback prints its status only when its config has a problem
    }

    private String process(String name, String... args) throws Exception {
        return process(name, List.of(), args);
    }

    private String process(String name, List<String> jvmOptions, String... args) throws Exception {
        try (EcombiProcess p = EcombiProcess.start(work.resolve(name + ".log"), Map.of(), jvmOptions, args)) {
            int exit = p.awaitExit(Duration.ofSeconds(60));
            return exit + "|\n" + p.output();
        }
    }

    private static <T> T parsed(Class<T> type, String... args) {
        CommandLine.ParseResult r = EcombiCommand.commandLine().parseArgs(args);
        return type.cast(r.subcommand().commandSpec().userObject());
    }
}
