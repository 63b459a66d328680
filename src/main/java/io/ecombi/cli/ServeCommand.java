package io.ecombi.cli;

import io.ecombi.EcombiRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Stay up: schedule, trigger files and CSV drops (never loads demo data).",
        "The daily schedule is ecombi.schedule.cron; trigger files are inbox/*.trigger, CSV exports inbox/data/*.csv. Ctrl-C or SIGTERM stops it."})
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    SettingOverrides settings;

    @Mixin
    ShopOption shop;

    @Override
    public Integer call() throws Exception {
        // a service reports on the shop's data: it never fills an empty database with the demo shop
        EcombiRuntime rt = EcombiRuntime.start(settings.load(Map.of("ecombi.demo.load-if-empty", "false", "ecombi.service.enabled", "true"), shop));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            rt.close();
            stopped.countDown();
        }, "ecombi-shutdown"));
        System.out.println("ecombi is serving: schedule '" + rt.settings().get("ecombi.schedule.cron") + "', trigger files in "
                + rt.settings().get("ecombi.inbox.dir") + "/*.trigger, shop " + rt.database().shop().name()
                + (rt.settings().getInt("ecombi.api.port") > 0 ? ", API and dashboard at http://" + rt.settings().get("ecombi.api.host") + ":" + rt.settings().get("ecombi.api.port") + "/" : "")
                + ". Ctrl-C stops it.");
        stopped.await();
        return ExitCode.OK;
    }
}
