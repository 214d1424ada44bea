package dev.pyro.cli;

import dev.pyro.trace.StartTrace;
import java.io.OutputStream;
import java.io.PrintStream;

/** Entry point of the {@code pyro} command. */
public final class Main {
    /**
     * Set on the launchers' class-data training run only: {@code pyro --version} runs first, in
     * the same JVM and with its output dropped, so the class data holds its classes too (an AOT
     * cache records one process; a class it lacks is loaded from the jar, which sets up the class
     * loader's jar access: docs/performance.md, "CLI start-up").
     */
    static final String TRAINING_PROPERTY = "pyro.classdata.training";

    private Main() {
    }

    public static void main(String[] args) {
        StartTrace.mark("main");
        JdkSelectorProvider.name(System.getProperties()); // before any channel opens
        if (Boolean.getBoolean(TRAINING_PROPERTY)) {
            String[] version = {"--version"};
            PyroCli.commandLineFor(new Output(nowhere(), nowhere()), CliStdin.system(), version).execute(version);
        }
        // First, before pyro opens any file: what fd 0 is (see CliStdin).
        CliStdin stdin = CliStdin.system();
        // Logging is set up when an operation runs (CliExecution).
        picocli.CommandLine cli = PyroCli.commandLineFor(Output.system(), stdin, args);
        StartTrace.mark("cli: tree wired");
        int status = cli.execute(args);
        StartTrace.mark("cli: executed");
        if (status == 0 && JvmExit.onlyDaemonThreadsLeft()) {
            // The JVM ends as main returns, running the same shutdown hooks as System.exit, but
            // without Runtime.exit's logging check (JDK 21+), which looks for a logger provider
            // in the class path's jar: ~10 ms on every successful command.
            return;
        }
        System.exit(status);
    }

    /** Runs the CLI and returns its exit status (tests call this in-process). */
    public static int run(String... args) {
        return PyroCli.commandLineFor(Output.system(), CliStdin.system(), args).execute(args);
    }

    private static PrintStream nowhere() {
        return new PrintStream(OutputStream.nullOutputStream());
    }
}
