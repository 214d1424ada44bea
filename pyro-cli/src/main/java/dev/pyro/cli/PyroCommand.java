package dev.pyro.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root {@code pyro} command; subcommands do the work. */
@Command(name = "pyro",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Run commands and persistent workspaces in throwaway microVMs.",
        subcommands = {RunCommand.class, WorkspaceCommand.class, EnvCommand.class, DoctorCommand.class, DemoCommand.class,
                McpCommand.class,
                CommandLine.HelpCommand.class})
public final class PyroCommand implements Runnable {

    private final Output output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    PyroCommand(Output output) {
        this.output = output;
    }

    /** The output every subcommand writes to. */
    Output output() {
        return output;
    }

    /** The root command of the command line {@code spec} belongs to. */
    static PyroCommand root(CommandLine.Model.CommandSpec spec) {
        return (PyroCommand) spec.root().userObject();
    }

    @Override
    public void run() {
        spec.commandLine().usage(output.err());
    }

    /** A fully wired command line (handlers, output, case rules). */
    public static CommandLine commandLine() {
        return commandLine(Output.system());
    }

    /** A fully wired command line writing to the given output. */
    public static CommandLine commandLine(Output output) {
        ErrorHandler errors = new ErrorHandler(output);
        CommandLine cli = new CommandLine(new PyroCommand(output));
        cli.setExecutionExceptionHandler(errors);
        cli.setParameterExceptionHandler(errors);
        cli.setOut(new java.io.PrintWriter(output.out(), true));
        cli.setErr(new java.io.PrintWriter(output.err(), true));
        return cli;
    }
}
