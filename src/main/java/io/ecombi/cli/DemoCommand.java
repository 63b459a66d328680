package io.ecombi.cli;

import io.ecombi.Settings;
import io.ecombi.db.Database;
import io.ecombi.demo.DemoData;
import io.ecombi.demo.DemoDataGenerator;
import io.ecombi.shop.DemoShop;
import io.ecombi.shop.Shop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Generate the demo shop and load it into the shop demo, or the shop of --shop (never default); it replaces that shop's tables.",
        "Deterministic: the same seed gives the same data. With --csv-only it only writes the CSV files."})
public final class DemoCommand implements Callable<Integer> {
    @Mixin
    SettingOverrides settings;

    @Mixin
    ShopOption shop;

    @Spec
    CommandSpec spec;

    @Option(names = "--customers", paramLabel = "N", description = "customers (default: ecombi.demo.customers)")
    Integer customers;

    @Option(names = "--seed", paramLabel = "S", description = "random seed (default: ecombi.demo.seed)")
    Long seed;

    @Option(names = "--end-date", paramLabel = "YYYY-MM-DD", converter = DateConverter.class,
            description = "the last day of the three years generated (default: ecombi.demo.end-date)")
    LocalDate endDate;

    @Option(names = "--csv-only", paramLabel = "DIR", description = "write the CSV files to DIR and load nothing")
    Path csvOnly;

    @Option(names = "--web-events", arity = "1", paramLabel = "true|false", defaultValue = "true",
            description = "generate web sessions (default: ${DEFAULT-VALUE})")
    boolean webEvents;

    @Override
    public Integer call() throws Exception {
        Settings s = settings.load(Map.of(), shop);
        DemoDataGenerator generator = new DemoDataGenerator(customers != null ? customers : s.getInt("ecombi.demo.customers"),
                seed != null ? seed : s.getLong("ecombi.demo.seed"), endDate != null ? endDate : LocalDate.parse(s.get("ecombi.demo.end-date")));
        if (!webEvents) generator.withoutWebEvents();
        if (csvOnly != null) {
            DemoDataGenerator.Summary summary = generator.writeCsv(csvOnly);
            System.out.println("wrote demo CSV files to " + csvOnly + ": " + summary);
            return ExitCode.OK;
        }
        if (shop.name != null && Shop.DEFAULT.equals(shop.name)) {
            throw new ParameterException(spec.commandLine(), "--shop default takes your own files and never demo data: leave --shop out (the shop demo) or name another shop");
        }
        // without --shop: the shop demo (DemoShop); a shop named with --shop is the one filled
        try (Database db = Database.open(shop.name != null ? s : DemoShop.forDemoCommand(s))) {
            Map<String, Long> rows = DemoData.generateAndLoad(db, generator);
            System.out.println("demo data loaded: " + rows);
            return ExitCode.OK;
        }
    }
}
