package io.ecombi.cli;

import io.ecombi.Settings;
import io.ecombi.db.Database;
import io.ecombi.delivery.DeliveryStep;
import io.ecombi.metrics.RunMetrics;
import org.apache.camel.impl.DefaultCamelContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "deliver", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Send a run's failed or interrupted delivery (e-mail, Slack, webhook) again.",
        "Exactly as it was made at the run (same recipients, same Idempotency-Key), to the channels configured now. For a delivery that failed, or one a stopped",
        "ecombi left interrupted; one already sent goes again only with --again. Each attempt is recorded in bi.delivery_attempts.",
        "Exit 0 when every delivery it tried got through (or was sent before), 1 when one did not or cannot be sent, 2 when the run has no such delivery."})
public final class DeliverCommand implements Callable<Integer> {
    @Mixin
    SettingOverrides settings;

    @Mixin
    ShopOption shop;

    @Option(names = "--run", order = 1, required = true, paramLabel = "ID", description = "the run whose delivery to send (bi.deliveries.run_id)")
    long runId;

    @Option(names = "--channel", order = 2, paramLabel = "CHANNEL", description = "email, slack or webhook (default: each the run was delivered to)")
    String channel;

    @Option(names = "--again", order = 3, description = "send a delivery that was sent before, too")
    boolean again;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (channel != null && !List.of("email", "slack", "webhook").contains(channel)) {
            throw new ParameterException(spec.commandLine(), "--channel " + channel + ": email, slack or webhook");
        }
        Settings s = settings.load(Map.of("ecombi.demo.load-if-empty", "false"), shop);
        PrintWriter out = spec.commandLine().getOut();
        try (Database db = Database.open(s); DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.start();   // the e-mail channel sends through camel-mail
            // rendering is done: a re-send sends the stored bytes, so no dashboard is needed
            DeliveryStep step = new DeliveryStep(db.dataSource(), s, null, new RunMetrics(db.dataSource(), s), db.isEmbedded());
            step.attach(camel);
            List<String> lines;
            try {
                lines = step.resend(runId, channel, again);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            lines.forEach(l -> out.println("run " + runId + " " + l));
            out.flush();
            // not sent because it was sent before: nothing wrong; failed, or no way to send it: exit 1
            return lines.stream().anyMatch(l -> l.contains(": failed") || l.contains("not configured now") || l.contains("not kept"))
                    ? ExitCode.FAILED : ExitCode.OK;
        }
    }
}
