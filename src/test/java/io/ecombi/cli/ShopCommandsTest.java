package io.ecombi.cli;

import io.ecombi.Settings;
import io.ecombi.db.Database;
import io.ecombi.db.EmbeddedServer;
import io.ecombi.shop.DemoShop;
import io.ecombi.shop.Shop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shop commands on a real embedded PostgreSQL (its own data folder): --shop, `shops`, `reset`
 * with --yes, with a typed confirmation, without one, and for a shop that does not exist.
 */
class ShopCommandsTest {
    static final Path DATA = Path.of("src/test/resources/datasets");

    @TempDir
    Path work;

    /** The command with this test's database and folders; the confirmation of reset read from {@code typed} (null: nothing to read). */
    private CommandLineTest.Result typing(String typed, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        for (String kv : List.of("ecombi.db.url=", "ecombi.db.embedded.data-dir=" + work.resolve("pg"), "ecombi.db.embedded.durable=false",
                "ecombi.reports.dir=" + work.resolve("reports"), "ecombi.inbox.dir=" + work.resolve("inbox"))) {
            all.add("--set");
            all.add(kv);
        }
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == ResetCommand.class) return type.cast(new ResetCommand(new BufferedReader(new StringReader(typed == null ? "" : typed))));
                return CommandLine.defaultFactory().create(type);
            }
        };
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = EcombiCommand.commandLine(factory);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(all.toArray(String[]::new));
        return new CommandLineTest.Result(exit, out.toString(), err.toString());
    }

    private CommandLineTest.Result execute(String... args) {
        return typing(null, args);
    }

    @Test
    void shopsListsWhatEachShopHoldsAndResetEmptiesOneAfterItsNameIsTyped() throws Exception {
        // --shop puts the files into that shop; its rejected rows go to reports/<shop>/ingest/
        assertThat(execute("load", "--shop", "acme", DATA.resolve("superstore_slice.csv").toString()).exit()).isZero();
        Path uci = work.resolve("uci.csv");   // the slice and a line with a price that is not a number
        Files.writeString(uci, Files.readString(DATA.resolve("online_retail_slice.csv")).stripTrailing()
                + "\n536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,NaN,17850.0,United Kingdom\n");
        assertThat(execute("load", uci.toString()).exit()).isZero();
        assertThat(work.resolve("reports/default/ingest/uci.csv.rejects.csv")).exists();
        assertThat(work.resolve("reports/ingest")).doesNotExist();

        CommandLineTest.Result list = execute("shops");
        assertThat(list.exit()).as(list.err()).isZero();
        List<String> lines = list.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("SHOP").contains("FILES", "ORDERS", "FIRST ORDER", "LAST ORDER", "CURRENCY", "LAST RUN");
        assertThat(lines.get(1)).startsWith("acme ").contains(" USD ").endsWith(" -");   // no run yet
        assertThat(lines.get(2)).startsWith("default ").contains(" GBP ");
        // aligned: every column starts where its heading does
        int currency = lines.get(0).indexOf("CURRENCY");
        assertThat(lines.get(1).substring(currency)).startsWith("USD");
        assertThat(lines.get(2).substring(currency)).startsWith("GBP");
        assertThat(execute("shops", "--shop", "acme").out().lines()).hasSize(2).last().asString().startsWith("acme ");

        // nothing typed (no terminal): exit 2, nothing reset
        CommandLineTest.Result none = execute("reset", "--shop", "acme");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.out()).contains("Type the shop's name to confirm");
        assertThat(none.err()).contains("no confirmation could be read").contains("--yes");
        // another name typed: exit 1, nothing reset
        CommandLineTest.Result wrong = typing("default\n", "reset", "--shop", "acme");
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err()).contains("'default' is not acme: nothing was reset");
        assertThat(orders(execute("shops", "--shop", "acme"))).isNotEqualTo("0");

        // its name typed: emptied, its reports gone, the other shop untouched
        String defaultBefore = orders(execute("shops", "--shop", "default"));
        CommandLineTest.Result typed = typing("acme\n", "reset", "--shop", "acme");
        assertThat(typed.exit()).as(typed.err()).isZero();
        assertThat(typed.out()).contains("The shop acme is empty");
        assertThat(orders(execute("shops", "--shop", "acme"))).isEqualTo("0");
        assertThat(work.resolve("reports/acme")).doesNotExist();
        assertThat(orders(execute("shops", "--shop", "default"))).isEqualTo(defaultBefore).isNotEqualTo("0");

        // --yes: no question
        CommandLineTest.Result yes = execute("reset", "--shop", "default", "--yes");
        assertThat(yes.exit()).as(yes.err()).isZero();
        assertThat(yes.out()).doesNotContain("Type the shop's name").contains("The shop default is empty");
        assertThat(work.resolve("reports/default")).doesNotExist();   // its rejected rows went with it
        assertThat(orders(execute("shops", "--shop", "default"))).isEqualTo("0");
    }

    @Test
    void anUnknownShopExits2NamingTheShopsThereAre() {
        assertThat(execute("load", "--shop", "acme", DATA.resolve("superstore_slice.csv").toString()).exit()).isZero();

        CommandLineTest.Result reset = execute("reset", "--shop", "nope", "--yes");
        assertThat(reset.exit()).isEqualTo(2);
        assertThat(reset.err()).contains("there is no shop nope (shops: acme)");
        CommandLineTest.Result shops = execute("shops", "--shop", "nope");
        assertThat(shops.exit()).isEqualTo(2);
        assertThat(shops.err()).contains("there is no shop nope (shops: acme)");
        assertThat(shops.out()).isEmpty();
    }

    /** The open point of the shops branch: `--shop default` given is the shop default, even empty; only a run without --shop shows the demo. */
    @Test
    void anExplicitShopIsNeverReplacedByTheDemo() {
        Settings without = settingsOf("run"), explicit = settingsOf("run", "--shop", "default"), demo = settingsOf("run", "--shop", "demo");
        try (EmbeddedServer server = Database.startServer(without)) {
            assertThat(Shop.of(DemoShop.forRun(without, server)).name()).isEqualTo("demo");
            assertThat(Shop.of(DemoShop.forRun(explicit, server)).name()).isEqualTo("default");
            assertThat(Shop.of(DemoShop.forRun(demo, server)).name()).isEqualTo("demo");
        }
        assertThat(demo.getBoolean("ecombi.demo.load-if-empty")).isTrue();   // the shop demo is still filled on first use
    }

    private Settings settingsOf(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--set", "ecombi.db.url=", "--set", "ecombi.db.embedded.data-dir=" + work.resolve("pg"), "--set", "ecombi.db.embedded.durable=false"));
        CommandLine.ParseResult r = EcombiCommand.commandLine().parseArgs(all.toArray(String[]::new));
        RunCommand run = (RunCommand) r.subcommand().commandSpec().userObject();
        return Settings.load(Settings.DEFAULT_FILE, Map.of(), run.settings.over(run.shop.over(Map.of(), run.settings)));
    }

    /** The ORDERS column of the one shop listed. */
    private static String orders(CommandLineTest.Result shops) {
        assertThat(shops.exit()).as(shops.err()).isZero();
        List<String> lines = shops.out().lines().toList();
        int end = lines.get(0).indexOf("ORDERS") + "ORDERS".length();
        return lines.get(1).substring(0, end).strip().replaceAll(".* ", "");
    }
}
