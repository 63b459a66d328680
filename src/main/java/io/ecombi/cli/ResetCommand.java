package io.ecombi.cli;

import io.ecombi.Settings;
import io.ecombi.shop.Shop;
import io.ecombi.shop.Shops;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "reset", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Empty one shop: its database dropped and created anew, its reports/<shop>/ removed. Other shops are not touched.",
        "Asks first: type the shop's name to confirm (read from the terminal, or standard input), or give --yes.",
        "Exit 2 without --shop, for a shop that does not exist, or when no confirmation can be read (no terminal, no --yes);",
        "1 when the typed name does not match (nothing is reset) or the reset fails (e.g. on ecombi.db.url, which ecombi does not drop)."})
public final class ResetCommand implements Callable<Integer> {
    @Mixin
    SettingOverrides settings;

    @Option(names = "--shop", order = 90, required = true, paramLabel = "NAME", converter = ShopName.class, description = "the shop to empty")
    String shop;

    @Option(names = {"-y", "--yes"}, order = 91, description = "empty it without asking")
    boolean yes;

    @Spec
    CommandSpec spec;

    private final BufferedReader terminal;

    /** The confirmation from the console, or standard input when there is none (a pipe: `echo NAME | ecombi reset --shop NAME`). */
    public ResetCommand() {
        this(null);
    }

    /** The confirmation from this reader (tests). */
    ResetCommand(BufferedReader terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        if (settings.values().containsKey(Shop.SETTING) && !settings.values().get(Shop.SETTING).equals(shop)) {
            throw new ParameterException(spec.commandLine(), "--shop " + shop + " and --set " + Shop.SETTING + "=" + settings.values().get(Shop.SETTING) + " name two shops: give one");
        }
        Settings s = settings.load(Map.of(Shop.SETTING, shop, "ecombi.demo.load-if-empty", "false"));
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        try (Shops shops = Shops.open(s)) {
            Shops.Summary summary = shops.get(shop);
            if (summary == null && !Files.exists(Shop.named(shop, s).reportsDir())) {
                throw new ParameterException(spec.commandLine(), "there is no shop " + shop + " (shops: " + ShopsCommand.names(shops.list()) + ")");
            }
            if (!yes) {
                out.print(summary == null ? "" : ShopsCommand.table(java.util.List.of(summary)));
                out.print("This empties the shop " + shop + ": its data and its reports (" + Shop.named(shop, s).reportsDir() + ") are removed for good. "
                        + "Type the shop's name to confirm: ");
                out.flush();
                String answer = readLine();
                if (answer == null) {
                    out.println();
                    throw new ParameterException(spec.commandLine(), "no confirmation could be read (no terminal): nothing was reset; give --yes to reset without asking");
                }
                if (!answer.strip().equals(shop)) {
                    err.println("ecombi reset: '" + answer.strip() + "' is not " + shop + ": nothing was reset");
                    err.flush();
                    return ExitCode.FAILED;
                }
            }
            long t0 = System.nanoTime();
            shops.reset(shop);
            out.printf("The shop %s is empty (%.1f s): its database is new and %s is gone. Load files into it with `bin/ecombi load --shop %s FILE`.%n",
                    shop, (System.nanoTime() - t0) / 1e9, Shop.named(shop, s).reportsDir(), shop);
            out.flush();
            return ExitCode.OK;
        }
    }

    private String readLine() throws IOException {
        if (terminal != null) return terminal.readLine();
        if (System.console() != null) return System.console().readLine();
        return new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset())).readLine();
    }
}
