package io.ecombi.cli;

import io.ecombi.EcombiRuntime;
import io.ecombi.Memory;
import io.ecombi.report.RunSummary;
import io.ecombi.run.ErrorText;
import io.ecombi.run.PipelineRun;
import io.ecombi.shop.Shop;
import org.apache.camel.Exchange;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"One pipeline run, then exit.",
        "Exit 0 when it succeeded, 1 when it failed (with the stage and the reason).",
        "Without --shop, while the shop default has no data (embedded database), it reports the demo shop (filled on first use).",
        "A shop named with --shop is the one reported, empty or not."})
public final class RunCommand implements Callable<Integer> {
    @Mixin
    SettingOverrides settings;

    @Mixin
    ShopOption shop;

    @Option(names = "--as-of", paramLabel = "YYYY-MM-DD", converter = DateConverter.class,
            description = "the report's date (default: the date of the latest completed order)")
    LocalDate asOf;

    @Override
    public Integer call() throws Exception {
        // one run: no schedule, no inbox
        try (EcombiRuntime rt = EcombiRuntime.start(settings.load(Map.of("ecombi.triggers.enabled", "false"), shop)).stopOnShutdown(null)) {
            Exchange result = rt.runOnce("cli", asOf);
            PipelineRun run = EcombiRuntime.runOf(result);
            if (run != null) System.out.print("\n" + RunSummary.table(run));
            if (result.getException() != null) {
                System.err.println("\nRUN FAILED: " + ErrorText.of(result.getException()));
                return ExitCode.FAILED;
            }
            System.out.println("\nReports: " + Shop.of(rt.settings()).reportsDir().toAbsolutePath() + " (latest -> runs/" + run.id() + ")");
            System.out.println(Memory.summary());
            return ExitCode.OK;
        }
    }
}
