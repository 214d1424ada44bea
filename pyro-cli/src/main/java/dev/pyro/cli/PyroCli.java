package dev.pyro.cli;

import dev.pyro.StdinSource;
import dev.pyro.contract.Contract;
import dev.pyro.contract.HostStdin;
import dev.pyro.log.PyroLoggers;
import dev.pyro.present.Handlers;
import dev.pyro.present.LogLine;
import dev.pyro.present.StandardHandlers;
import dev.pyro.trace.StartTrace;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine;

/** The {@code pyro} command line: the generated tree, wired to output, errors and handlers. */
public final class PyroCli {
    private PyroCli() {
    }

    /** A fully wired command line on the process' streams: stdout, stderr, and stdin for guest commands. */
    public static CommandLine commandLine() {
        return commandLine(Output.system(), CliStdin.system());
    }

    /** A fully wired command line writing to the given output; guest commands get no stdin. */
    public static CommandLine commandLine(Output output) {
        return commandLine(output, HostStdin.none());
    }

    /** A fully wired command line writing to the given output, forwarding {@code stdin} to guest commands. */
    public static CommandLine commandLine(Output output, HostStdin stdin) {
        return commandLine(output, stdin, standardHandlers());
    }

    /**
     * A command line on the process' streams with only as much of the command tree as
     * {@code args} needs (see {@link CliTree#root(String[])}): execute it with the same args.
     */
    static CommandLine commandLineFor(Output output, HostStdin stdin, String[] args) {
        // Before the warm-up thread can ask a logger anything: the CLI's logging is set up at
        // its first record (CliExecution says so again for command lines built otherwise).
        PyroLoggers.deferSetUp(LogLine::install);
        // First: it overlaps building the contract and the command tree below.
        StartupWarmUp warmUp = StartupWarmUp.start(args);
        picocli.CommandLine.Model.CommandSpec tree = CliTree.root(args);
        StartTrace.mark("cli: tree built");
        return commandLine(output, stdin, standardHandlers(), tree, warmUp);
    }

    /**
     * Runs one CLI call for another process (the exec server, {@code dev.pyro.cli.server}):
     * on {@code output}, forwarding {@code stdin} to guest commands under the same rules as the
     * caller's own fd 0 at {@code stdinTarget} (empty: closed), help coloured as the caller's
     * environment and stdout ({@code /proc} link target) would have it, with {@code Pyro}s from {@code pyros}.
     *
     * @return the exit status the caller's process ends with
     */
    public static int runFor(String[] args, Output output, Optional<String> stdinTarget, StdinSource stdin,
            Map<String, String> env, String stdoutTarget, PyroSource pyros) {
        PyroLoggers.deferSetUp(LogLine::install);
        CommandLine cli = commandLine(output, new CliStdin(stdinTarget, stdin), standardHandlers(),
                CliTree.root(args), StartupWarmUp.NONE, HelpColors.decide(env, stdoutTarget), pyros);
        return cli.execute(args);
    }

    private static Supplier<Handlers> standardHandlers() {
        return () -> StandardHandlers.create().with(Contract.MCP_SERVE, McpServe::serve)
                .with(Contract.MCP_CONFIG, McpConfig::print).with(Contract.SHELL_ATTACH, ShellAttach::attach);
    }

    /** A command line whose handlers come from {@code handlers}, asked for only when an operation runs. */
    static CommandLine commandLine(Output output, HostStdin stdin, Supplier<Handlers> handlers) {
        return commandLine(output, stdin, handlers, CliTree.root(), StartupWarmUp.NONE);
    }

    /** A command line over {@code tree}, whose handlers come from {@code handlers}. */
    static CommandLine commandLine(Output output, HostStdin stdin, Supplier<Handlers> handlers,
            picocli.CommandLine.Model.CommandSpec tree) {
        return commandLine(output, stdin, handlers, tree, StartupWarmUp.NONE);
    }

    /** A command line over {@code tree}, whose handlers come from {@code handlers}; an operation waits for {@code warmUp}. */
    static CommandLine commandLine(Output output, HostStdin stdin, Supplier<Handlers> handlers,
            picocli.CommandLine.Model.CommandSpec tree, StartupWarmUp warmUp) {
        return commandLine(output, stdin, handlers, tree, warmUp, HelpColors.system(), PyroSource.PER_CALL);
    }

    private static CommandLine commandLine(Output output, HostStdin stdin, Supplier<Handlers> handlers,
            picocli.CommandLine.Model.CommandSpec tree, StartupWarmUp warmUp, CommandLine.Help.Ansi colors,
            PyroSource pyros) {
        ErrorHandler errors = new ErrorHandler(output);
        CommandLine cli = new CommandLine(tree);
        cli.setExecutionStrategy(new CliExecution(output, errors, stdin, handlers, warmUp, pyros));
        cli.setParameterExceptionHandler(errors);
        cli.setOut(new PrintWriter(output.out(), true));
        cli.setErr(new PrintWriter(output.err(), true));
        cli.setColorScheme(CommandLine.Help.defaultColorScheme(colors));
        return cli;
    }
}
