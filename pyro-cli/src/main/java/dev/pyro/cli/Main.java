package dev.pyro.cli;

import dev.pyro.trace.StartTrace;
import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.cli.server.ExecClient;
import dev.pyro.cli.server.ExecServer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

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
        Optional<ExecClient> server = ExecClient.forCall(args, System.getenv(), System.getProperties());
        if (Boolean.getBoolean(TRAINING_PROPERTY)) {
            String[] version = {"--version"};
            PyroCli.commandLineFor(new Output(nowhere(), nowhere()), CliStdin.system(), version).execute(version);
            // An exec is then served by this process itself: the client's, the server's and the
            // exec's own classes all go into the class data.
            server.ifPresent(client -> ExecServer.serveInBackground(client.address()));
        }
        // First, before pyro opens any file: what fd 0 is (see CliStdin).
        CliStdin stdin = CliStdin.system();
        if (server.isPresent()) {
            int served = server.get().run(args, stdin.target(), HelpColors.stdoutTarget(Path.of("/proc/self/fd/1")),
                    System.getenv());
            StartTrace.mark("cli: served");
            if (served == ExecClient.SERVER_GONE) {
                served = new ErrorHandler(Output.system()).failed(new PyroException(ErrorCode.IO_ERROR,
                        "the exec server ended during the call: whether the command ran is unknown (its log: "
                        + server.get().log() + ")"), jsonOutput(args));
            }
            if (served != ExecClient.NOT_SERVED) {
                end(served);
                return;
            }
        }
        // Logging is set up when an operation runs (CliExecution).
        picocli.CommandLine cli = PyroCli.commandLineFor(Output.system(), stdin, args);
        StartTrace.mark("cli: tree wired");
        int status = cli.execute(args);
        StartTrace.mark("cli: executed");
        if (server.isPresent()) {
            server.get().startServer(); // for the next calls, if none answered this one
        }
        end(status);
    }

    /** {@code --json} before any {@code --}: the call's errors are JSON documents too. */
    private static boolean jsonOutput(String[] args) {
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals("--json")) {
                return true;
            }
        }
        return false;
    }

    private static void end(int status) {
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
