package dev.pyro.cli;

import picocli.CommandLine;

/** Entry point of the {@code pyro} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit status (tests call this in-process). */
    public static int run(String... args) {
        CommandLine cli = PyroCommand.commandLine();
        return cli.execute(args);
    }
}
