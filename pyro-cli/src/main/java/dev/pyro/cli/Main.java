package dev.pyro.cli;

import dev.pyro.present.LogLine;

/** Entry point of the {@code pyro} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Environment builds log through java.util.logging: one line per event on stderr.
        LogLine.install();
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit status (tests call this in-process). */
    public static int run(String... args) {
        return PyroCli.commandLine().execute(args);
    }
}
