package dev.pyro.cli;

import dev.pyro.ErrorCode;
import dev.pyro.Pyro;
import dev.pyro.PyroConfig;
import dev.pyro.PyroException;
import dev.pyro.cli.progress.CliProgress;
import dev.pyro.contract.Arguments;
import dev.pyro.contract.Face;
import dev.pyro.contract.HostPaths;
import dev.pyro.contract.HostStdin;
import dev.pyro.contract.Invocation;
import dev.pyro.contract.Operation;
import dev.pyro.contract.Param;
import dev.pyro.contract.Params;
import dev.pyro.log.PyroLoggers;
import dev.pyro.present.Handlers;
import dev.pyro.present.LogLine;
import dev.pyro.present.OperationHandler;
import dev.pyro.present.Outcome;
import dev.pyro.trace.StartTrace;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Runs a parsed command line: help and version requests, command groups (their usage),
 * {@code pyro help A B}, and operations through their handler. The handlers are created
 * only here, when an operation runs, so {@code pyro --version} builds none.
 */
final class CliExecution implements CommandLine.IExecutionStrategy {
    private final Output output;
    private final ErrorHandler errors;
    private final HostStdin stdin;
    private final Supplier<Handlers> handlers;
    private final StartupWarmUp warmUp;
    private final PyroSource pyros;

    CliExecution(Output output, ErrorHandler errors, HostStdin stdin, Supplier<Handlers> handlers,
            StartupWarmUp warmUp, PyroSource pyros) {
        this.output = output;
        this.errors = errors;
        this.stdin = stdin;
        this.handlers = handlers;
        this.warmUp = warmUp;
        this.pyros = pyros;
    }

    @Override
    public int execute(ParseResult parseResult) {
        StartTrace.mark("cli: parsed");
        Integer helpExit = CommandLine.executeHelpRequest(parseResult);
        if (helpExit != null) {
            return helpExit;
        }
        ParseResult leaf = parseResult;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        // instanceof rather than a pattern switch: each pattern switch spins a class at run
        // time on its first use (docs/performance.md, "CLI start-up").
        Object command = leaf.commandSpec().userObject();
        if (command instanceof Operation op) {
            return run(op, leaf);
        }
        if (command instanceof CliTree.Help) {
            return help(parseResult.commandSpec().commandLine(), leaf.matchedPositionalValue(0, List.<String>of()));
        }
        leaf.commandSpec().commandLine().usage(output.err());
        return 0;
    }

    private int help(CommandLine root, List<String> words) {
        CommandLine target = root;
        for (String word : words) {
            CommandLine next = target.getSubcommands().get(word);
            if (next == null) {
                return errors.usage(new PyroException(ErrorCode.INVALID_ARGUMENT, "unknown command '"
                        + String.join(" ", words) + "'"), target.getCommandSpec().qualifiedName(), false);
            }
            target = next;
        }
        target.usage(output.out());
        return 0;
    }

    private int run(Operation op, ParseResult leaf) {
        boolean json = op.takes(Params.JSON) && leaf.hasMatchedOption("--json");
        Arguments args;
        try {
            args = CliArguments.from(op, leaf);
        } catch (PyroException e) {
            return errors.usage(e, leaf.commandSpec().qualifiedName(), json);
        }
        // Logging (one line per event on stderr) is set up only when the operation logs
        // something: setting up java.util.logging looks for logger providers in every jar on
        // the class path and reads its configuration (~28 ms), which an exec that goes well
        // need not pay for. Until then DEBUG is answered "off" as the JDK's defaults would.
        StartTrace.mark("cli: arguments");
        PyroLoggers.deferSetUp(LogLine::install);
        StartTrace.mark("cli: logging");
        CliProgress progress = CliProgress.open(progressMode(op, args), output.err());
        StartTrace.mark("cli: progress");
        try (PyroSource.Lease lease = new PyroSource.Lease(pyros, config(op, args))) {
            Pyro pyro = lease.pyro();
            StartTrace.mark("cli: Pyro created");
            Invocation invocation = new Invocation(pyro, progress, HostPaths.asGiven(), stdin);
            OperationHandler handler = handlers.get().requireFor(Face.CLI).of(op).orElseThrow();
            StartTrace.mark("cli: handlers");
            warmUp.await(); // what it builds is the operation's next step
            StartTrace.mark("cli: warm-up awaited");
            Outcome outcome = handler.handle(args, invocation);
            StartTrace.mark("cli: handled");
            progress.finish();
            output.print(outcome, json);
            StartTrace.mark("cli: printed");
            return outcome.exitStatus();
        } catch (PyroException e) {
            progress.failed();
            return errors.failed(e, json);
        } catch (RuntimeException e) {
            progress.failed();
            return errors.failed(new PyroException(ErrorCode.INTERNAL, "internal error: " + e, e), json);
        }
    }

    /**
     * {@code --quiet} shows no progress; machine-readable output ({@code --json}, {@code --id-only})
     * gets plain phase lines on stderr, never a live display; otherwise a terminal gets one.
     */
    static CliProgress.Mode progressMode(Operation op, Arguments args) {
        if (op.takes(Params.QUIET) && args.flag(Params.QUIET)) {
            return CliProgress.Mode.QUIET;
        }
        boolean machine = op.params().stream().anyMatch(p -> p != Params.QUIET
                && p.cli() instanceof Param.CliForm.OutputOption && args.flag(p));
        return machine ? CliProgress.Mode.LINES : CliProgress.Mode.AUTO;
    }

    private static PyroConfig config(Operation op, Arguments args) {
        PyroConfig config = PyroConfig.fromEnvironment();
        Optional<String> backend = op.takes(Params.BACKEND) ? args.optionalString(Params.BACKEND) : Optional.empty();
        return backend.isPresent() ? config.withBackend(backend) : config;
    }

}
