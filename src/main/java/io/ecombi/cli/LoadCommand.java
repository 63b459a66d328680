package io.ecombi.cli;

import io.ecombi.Settings;
import io.ecombi.db.Database;
import io.ecombi.ingest.DropOrder;
import io.ecombi.ingest.IngestStep;
import io.ecombi.run.ErrorText;
import io.ecombi.shop.Shop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "load", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Load CSV exports without a run, parents first.",
        "Any format the inbox takes, in any order given, into the shop default or the one of --shop; rejected and set-aside rows go to reports/<shop>/ingest/.",
        "Exit 1 when a file was not loaded (the others still are); 2 when a FILE is missing or unreadable (before anything starts)."})
public final class LoadCommand implements Callable<Integer> {
    @Mixin
    SettingOverrides settings;

    @Mixin
    ShopOption shop;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "the CSV files")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
        // a file that cannot be read is a mistake on the command line: said before any database starts
        for (Path f : files) {
            String problem = !Files.exists(f) ? "no such file" : Files.isDirectory(f) ? "is a folder, not a file"
                    : !Files.isReadable(f) ? "cannot be read (permission denied)" : null;
            if (problem != null) throw new ParameterException(spec.commandLine(), "FILE '" + f + "': " + problem);
        }
        Settings s = settings.load(Map.of("ecombi.demo.load-if-empty", "false"), shop);
        if (Shop.of(s).isDemo()) {
            throw new ParameterException(spec.commandLine(), "the shop demo takes no files: load into the shop default (no --shop) or a shop of its own (--shop NAME)");
        }
        return load(files, s);
    }

    /** Loads the files, parents first; 1 when one was not loaded. */
    public static int load(List<Path> files, Settings settings) throws Exception {
        int refused = 0;
        try (Database db = Database.open(settings)) {
            IngestStep ingest = new IngestStep(db.dataSource(), settings);
            Path issues = Shop.of(settings).reportsDir().resolve("ingest");
            // parents first, as the inbox does (customers, products, orders, order lines)
            for (Path f : DropOrder.sorted(files)) {
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
        // a lone file's NOT LOADED line says it all; of several, say how many and that the rest loaded
        if (refused > 0 && files.size() > 1) {
            System.err.println(refused + " of " + files.size() + " files were not loaded (see above)" + (refused < files.size() ? "; the others were" : ""));
        }
        return refused > 0 ? ExitCode.FAILED : ExitCode.OK;
    }
}
