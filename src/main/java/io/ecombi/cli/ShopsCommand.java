package io.ecombi.cli;

import io.ecombi.Settings;
import io.ecombi.shop.Shops;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "shops", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"List the shops: files loaded, orders, first and last order date, currency, last run and its status.",
        "On the embedded database every shop of its server (one database each); with ecombi.db.url the one shop it names.",
        "With --shop only that one (exit 2 when there is no such shop)."})
public final class ShopsCommand implements Callable<Integer> {
    private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    @Mixin
    SettingOverrides settings;

    @Mixin
    ShopOption shop;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Settings s = settings.load(Map.of("ecombi.demo.load-if-empty", "false"), shop);
        List<Shops.Summary> list;
        try (Shops shops = Shops.open(s)) {
            list = shops.list();
        }
        if (shop.name != null) {
            List<Shops.Summary> one = list.stream().filter(x -> x.name().equals(shop.name)).toList();
            if (one.isEmpty()) throw new ParameterException(spec.commandLine(), "there is no shop " + shop.name + " (shops: " + names(list) + ")");
            list = one;
        }
        PrintWriter out = spec.commandLine().getOut();
        if (list.isEmpty()) {
            out.println("No shops yet: `bin/ecombi run` shows the demo shop, `bin/ecombi load FILE` fills the shop default.");
        } else {
            out.print(table(list));
        }
        out.flush();
        return ExitCode.OK;
    }

    /** The shops as an aligned table, a line each; "-" where a shop has nothing to say. */
    static String table(List<Shops.Summary> shops) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SHOP", "FILES", "ORDERS", "FIRST ORDER", "LAST ORDER", "CURRENCY", "LAST RUN"});
        for (Shops.Summary s : shops) {
            rows.add(new String[] {s.name(), String.format("%,d", s.filesLoaded()), String.format("%,d", s.orders()),
                    s.firstOrder() == null ? "-" : s.firstOrder().toString(), s.lastOrder() == null ? "-" : s.lastOrder().toString(),
                    s.currency() == null ? "-" : s.currency(),
                    s.lastRunId() == null ? "-" : "#" + s.lastRunId() + " " + s.lastRunStatus()
                            + (s.lastRunStarted() == null ? "" : " " + STARTED.format(s.lastRunStarted().atZoneSameInstant(java.time.ZoneId.systemDefault())))});
        }
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        boolean[] right = {false, true, true, false, false, false, false};
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                if (i > 0) line.append("  ");
                String pad = " ".repeat(width[i] - r[i].length());
                line.append(right[i] ? pad + r[i] : r[i] + pad);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    static String names(List<Shops.Summary> shops) {
        return shops.isEmpty() ? "none yet" : String.join(", ", shops.stream().map(Shops.Summary::name).toList());
    }
}
