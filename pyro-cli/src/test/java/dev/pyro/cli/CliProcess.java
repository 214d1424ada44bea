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

    CliProcess(Path home) {
        this.home = home;
    }

    Path home() {
        return home;
    }

    ProcessBuilder builder(String... args) {
        ProcessBuilder pb = new ProcessBuilder(command(args));
        Map<String, String> env = pb.environment();
        env.put("PYRO_HOME", home.toString());
        env.remove("PYRO_BACKEND");
        return pb;
    }

    /** {@code java … dev.pyro.cli.Main args…}, as the {@code pyro} launcher runs it. */
    static List<String> command(String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                "-cp", cp, "dev.pyro.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
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
