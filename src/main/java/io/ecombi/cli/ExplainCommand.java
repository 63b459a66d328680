package io.ecombi.cli;

import io.ecombi.Settings;
import io.ecombi.db.Database;
import io.ecombi.db.SqlFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** Where a KPI table comes from, as its provenance page shows it: from bi.kpi_provenance and bi.run_inputs. */
@Command(name = "explain", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Where a KPI table of a run comes from.",
        "Its SQL file, the SHA-256 of the text that ran, the query, its parameters, its rows and the loaded files that fed the run. The latest succeeded run that has it, or --run=N.",
        "Exit 2 when no run has that KPI (like shops and deliver for what does not exist)."})
public final class ExplainCommand implements Callable<Integer> {
    @Mixin
    SettingOverrides settings;

    @Mixin
    ShopOption shop;

    @Parameters(index = "0", paramLabel = "KPI", description = "the KPI table, e.g. kpi_cards, period_comparisons, drivers_wow")
    String kpi;

    @Option(names = "--run", order = 1, paramLabel = "N", description = "the run (default: the latest succeeded run that has the KPI)")
    long runId;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Settings s = settings.load(Map.of("ecombi.demo.load-if-empty", "false"), shop);
        Path dir = s.path("ecombi.sql.dir").resolve("provenance");
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        try (Database db = Database.open(s)) {
            List<Map<String, Object>> rows = SqlFile.read(dir.resolve("explain.sql")).rows(db.dataSource(), Map.of("kpi", kpi, "runId", runId));
            if (rows.isEmpty()) {
                err.println("ecombi explain: " + (runId == 0 ? "no succeeded run has" : "run " + runId + " has no") + " KPI table '" + kpi
                        + "' with its provenance (runs before issue 33 recorded none); the tables are listed in bi.kpi_tables");
                err.flush();
                return ExitCode.USAGE;   // like shops and deliver: no such thing is 2
            }
            Map<String, Object> p = rows.get(0);
            long run = ((Number) p.get("run_id")).longValue();
            out.printf("KPI         %s%nrun         %d (as of %s, %s)%nSQL file    %s%nSHA-256     %s%nrows        %s%nparameters  %s%n",
                    p.get("kpi"), run, p.get("as_of"), p.get("status"), p.get("sql_file"), p.get("sql_sha256"), p.get("row_count"), p.get("parameters"));
            out.println("loaded files that fed the run:");
            List<Map<String, Object>> inputs = SqlFile.read(dir.resolve("explain_inputs.sql")).rows(db.dataSource(), Map.of("runId", run));
            if (inputs.isEmpty()) out.println("  none: the shop's tables were filled without ecombi's loader (e.g. the demo data)");
            for (Map<String, Object> i : inputs) {
                out.printf("  %s  sha256 %s  %s rows%n", i.get("file_name"), i.get("sha256"), i.get("rows_loaded"));
            }
            out.println("the query as it ran:");
            out.println(p.get("sql_text"));
            out.flush();
            return ExitCode.OK;
        }
    }
}
