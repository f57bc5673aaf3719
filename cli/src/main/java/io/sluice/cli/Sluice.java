package io.sluice.cli;

import io.sluice.cli.alerts.AlertsCommand;
import io.sluice.cli.check.CheckCommand;
import io.sluice.cli.drift.DriftCommand;
import io.sluice.cli.logs.LogsCommand;
import io.sluice.cli.trace.TraceCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sluice} command: what the flux CLI cannot reach in Sluice (its logs, traces, alerts
 * and drift corrections, and whether the install is healthy), with flags and tables in the flux
 * CLI's style.
 */
@Command(
        name = "sluice",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Operate Sluice where the flux CLI cannot reach.",
        subcommands = {
            LogsCommand.class,
            TraceCommand.class,
            AlertsCommand.class,
            DriftCommand.class,
            CheckCommand.class
        })
public final class Sluice {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * As the flux CLI answers a failure: {@code ✗ <what went wrong>} on stderr and exit 1, a bad
     * flag or argument included; no stack trace.
     */
    public static CommandLine commandLine() {
        return new CommandLine(new Sluice())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(
                        (e, command, parsed) -> {
                            command.getErr().println("✗ " + message(e));
                            command.getErr().flush();
                            return 1;
                        })
                .setParameterExceptionHandler(
                        (e, args) -> {
                            e.getCommandLine().getErr().println("✗ " + e.getMessage());
                            e.getCommandLine()
                                    .getErr()
                                    .println(
                                            "Run '"
                                                    + e.getCommandLine()
                                                            .getCommandSpec()
                                                            .qualifiedName()
                                                    + " --help' for usage.");
                            e.getCommandLine().getErr().flush();
                            return 1;
                        });
    }

    private static String message(Throwable e) {
        Throwable cause = e;
        while (cause.getMessage() == null && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
