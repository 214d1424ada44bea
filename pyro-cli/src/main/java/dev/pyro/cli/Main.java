package dev.pyro.cli;

import dev.pyro.workspace.store.StartTrace;

/** Entry point of the {@code pyro} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        StartTrace.mark("main");
        // First, before pyro opens any file: what fd 0 is (see CliStdin).
        CliStdin stdin = CliStdin.system();
        // Logging is set up when an operation runs (CliExecution).
        picocli.CommandLine cli = PyroCli.commandLineFor(Output.system(), stdin, args);
        StartTrace.mark("cli: tree wired");
        int status = cli.execute(args);
        StartTrace.mark("cli: executed");
        System.exit(status);
    }

    /** Runs the CLI and returns its exit status (tests call this in-process). */
    public static int run(String... args) {
        return PyroCli.commandLineFor(Output.system(), CliStdin.system(), args).execute(args);
    }
}
