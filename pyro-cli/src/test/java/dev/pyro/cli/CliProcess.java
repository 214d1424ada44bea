package dev.pyro.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code pyro} CLI in a child JVM, as a user would, with its own
 * {@code PYRO_HOME} and the machine's shared environment cache (building an environment
 * costs a minute; every test reuses the one install).
 */
final class CliProcess {
    /** What a finished CLI run left behind. */
    record Result(int exitCode, String stdout, String stderr) {}

    private final Path home;
    private final Map<String, String> extraEnv;

    CliProcess(Path home) {
        this(home, Map.of());
    }

    /** With more environment variables for the CLI (e.g. {@code PYRO_SECRETS_DIR}). */
    CliProcess(Path home, Map<String, String> extraEnv) {
        this.home = home;
        this.extraEnv = Map.copyOf(extraEnv);
    }

    Path home() {
        return home;
    }

    /** What a finished CLI run left behind, stdout as the bytes written. */
    record RawResult(int exitCode, byte[] stdout, String stderr) {}

    /** Where the CLI's stdin comes from: a file, or nothing at all (fd 0 closed). */
    sealed interface Stdin {
        /** Reads this file. */
        record From(Path file) implements Stdin {}

        /** Started with fd 0 closed. */
        record Closed() implements Stdin {}
    }

    ProcessBuilder builder(String... args) {
        return builder(List.of(), args);
    }

    /** {@code pyro args...} in a JVM with these extra options (e.g. a small heap). */
    ProcessBuilder builder(List<String> jvmOptions, String... args) {
        ProcessBuilder pb = new ProcessBuilder(command(jvmOptions, args));
        Map<String, String> env = pb.environment();
        env.put("PYRO_HOME", home.toString());
        env.remove("PYRO_BACKEND");
        // In-process, as before the exec server: ExecServerGuestTest turns the server on.
        env.put("PYRO_CLI_SERVER", "0");
        env.putAll(extraEnv);
        return pb;
    }

    /**
     * Runs {@code pyro args...} with stdin from {@code stdin} and extra JVM options; stdout is
     * kept as bytes.
     */
    RawResult runRaw(Duration timeout, Stdin stdin, List<String> jvmOptions, String... args)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(home, "out", ".bin");
        Path err = Files.createTempFile(home, "err", ".txt");
        ProcessBuilder pb = builder(jvmOptions, args);
        switch (stdin) {
            case Stdin.From f -> pb.redirectInput(f.file().toFile());
            case Stdin.Closed c -> {
                // sh closes fd 0, then becomes the JVM: the way a daemon or a careless parent starts pyro.
                List<String> cmd = new ArrayList<>(List.of("sh", "-c", "exec 0<&-; exec \"$@\"", "sh"));
                cmd.addAll(pb.command());
                pb.command(cmd);
            }
        }
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("pyro " + String.join(" ", args) + " did not finish within " + timeout
                    + "; stderr: " + Files.readString(err));
        }
        return new RawResult(p.exitValue(), Files.readAllBytes(out), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Deletes every workspace of this home: what a test leaves behind, whatever happened. */
    void deleteAllWorkspaces() throws IOException, InterruptedException {
        Result list = run(Duration.ofMinutes(2), "workspace", "list", "--json");
        for (var ws : dev.pyro.json.PyroJson.compact().readTree(list.stdout()).get("workspaces")) {
            run(Duration.ofMinutes(2), "workspace", "delete", ws.get("workspace_id").asString());
        }
    }

    /** {@code java … dev.pyro.cli.Main args…}, as the {@code pyro} launcher runs it. */
    static List<String> command(String... args) {
        return command(List.of(), args);
    }

    /** {@link #command(String...)} with extra JVM options. */
    static List<String> command(List<String> jvmOptions, String... args) {
        return CliJvm.command(List.of("-XX:TieredStopAtLevel=1", "-Djdk.reflect.useNativeAccessorOnly=true",
                "--enable-native-access=ALL-UNNAMED"), jvmOptions, List.of(args));
    }

    Result run(Duration timeout, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process p = builder(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("pyro " + String.join(" ", args) + " did not finish within " + timeout
                    + "; stderr: " + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
