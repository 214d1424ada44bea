package dev.pyro.cli;

/** Entry point of the {@code pyro} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // First, before pyro opens any file: what fd 0 is (see CliStdin).
        CliStdin stdin = CliStdin.system();
        // Logging is set up when an operation runs (CliExecution).
        System.exit(PyroCli.commandLineFor(Output.system(), stdin, args).execute(args));
    }

    /** Runs the CLI and returns its exit status (tests call this in-process). */
    public static int run(String... args) {
        return PyroCli.commandLineFor(Output.system(), CliStdin.system(), args).execute(args);
    }
}
