package io.ecombi.cli;

import io.ecombi.run.ErrorText;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** `ecombi`: the command line, one class per command; {@link #commandLine()} is what main runs. */
@Command(name = "ecombi", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"An e-commerce BI pipeline: your shop's orders in PostgreSQL in; a dashboard, charts, a churn model and a summary out.",
                "Run it from the project folder: it reads config/, routes/, sql/ and templates/ from the working directory."},
        subcommands = {RunCommand.class, ServeCommand.class, DemoCommand.class, LoadCommand.class, ShopsCommand.class, ResetCommand.class, DeliverCommand.class, BenchCommand.class,
                ExplainCommand.class, AbTestCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "ecombi COMMAND --help shows a command's options."})
public final class EcombiCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "a command is needed: run, serve, demo, load, shops, reset, deliver, bench or abtest");
    }

    /** The command line with ecombi's error handling: a usage error exits 2 and names what was wrong, a failure exits 1 with its reason. */
    public static CommandLine commandLine() {
        return commandLine(CommandLine.defaultFactory());
    }

    /** The same, its commands made by this factory (a test's reset reads its confirmation from a given reader). */
    static CommandLine commandLine(CommandLine.IFactory factory) {
        CommandLine cl = new CommandLine(new EcombiCommand(), factory);
        cl.setExpandAtFiles(false);   // "@x.csv" is a file name, not a file of arguments
        cl.setExitCodeExceptionMapper(e -> ExitCode.FAILED);
        cl.setParameterExceptionHandler(EcombiCommand::usageError);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + ErrorText.of(e));
            return ExitCode.FAILED;
        });
        addExitCodes(cl);
        return cl;
    }

    private static void addExitCodes(CommandLine cl) {
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCode.list());
        cl.getSubcommands().values().forEach(sub -> {
            if (!(sub.getCommand() instanceof CommandLine.HelpCommand)) addExitCodes(sub);
        });
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        String message = e.getMessage();
        if (e instanceof UnmatchedArgumentException u && cmd.getParent() == null && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-") && args.length > 0 && args[0].equals(u.getUnmatched().get(0))) {
            message = "unknown command '" + args[0] + "' (the commands: " + String.join(", ", cmd.getSubcommands().keySet()) + ")";
        }
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + message);
        if (args.length == 0) {   // `ecombi` alone: what it can do
            cmd.usage(err);
            return ExitCode.USAGE;
        }
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
        err.flush();
        return ExitCode.USAGE;
    }
}
