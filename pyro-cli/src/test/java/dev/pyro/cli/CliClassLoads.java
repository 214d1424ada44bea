package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The classes one CLI run loads, from the JVM's own log ({@code -Xlog:class+load}, sharing off:
 * every class loaded on demand), for tests that keep a costly part of the JDK or a library off
 * a command's path.
 */
final class CliClassLoads {
    private CliClassLoads() {
    }

    /** One run: its exit status, its stdout and the classes it loaded. */
    record Run(int status, String out, List<String> classes) {}

    /** Runs {@code pyro args...} with {@code PYRO_HOME=home} and the extra JVM options; it must succeed. */
    static List<String> of(Path home, List<String> jvmOptions, String... args) throws Exception {
        Run run = run(home, jvmOptions, args);
        assertThat(run.status()).as(stderr(home)).isZero();
        return run.classes();
    }

    /** Runs {@code pyro args...} as {@link #of} does, whatever its exit status. */
    static Run run(Path home, List<String> jvmOptions, String... args) throws Exception {
        return run(home, java.util.Map.of(), jvmOptions, args);
    }

    /** {@link #run(Path, List, String...)} with these variables set for pyro too. */
    static Run run(Path home, java.util.Map<String, String> env, List<String> jvmOptions, String... args)
            throws Exception {
        Path log = home.resolve("classes-" + System.nanoTime() + ".txt");
        Path out = home.resolve("out.txt");
        Path err = home.resolve("err.txt");
        List<String> options = new ArrayList<>(List.of("-Xlog:class+load=info:file=" + log));
        options.addAll(jvmOptions);
        ProcessBuilder pb = new ProcessBuilder(CliJvm.command(List.of("-XX:+UseSerialGC", "-Xshare:off"),
                options, List.of(args)));
        pb.environment().remove("PYRO_BACKEND");
        pb.environment().remove("PYRO_DEBUG");
        pb.environment().put("PYRO_CLI_SERVER", "0"); // the in-process path, unless a test asks
        pb.environment().putAll(env);
        pb.environment().put("PYRO_HOME", home.toString());
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("pyro finished").isTrue();
        List<String> classes = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .map(line -> line.replaceFirst("^\\[[^]]*\\]\\[info\\]\\[class,load\\] ", ""))
                .map(line -> line.split(" ", 2)[0]).toList();
        assertThat(classes).as("the log lists loaded classes").contains("dev.pyro.cli.Main");
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), classes);
    }

    /** What the last run of {@link #of} under {@code home} wrote to stderr. */
    static String stderr(Path home) throws Exception {
        return Files.readString(home.resolve("err.txt"), StandardCharsets.UTF_8);
    }
}
