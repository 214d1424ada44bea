package dev.pyro.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One program run as a user's shell would run it: exactly the given environment (nothing
 * inherited from the test JVM), stdin from a file or empty, stdout and stderr captured.
 *
 * @param argv the program and its arguments
 * @param env  the whole environment
 * @param dir  the working directory
 */
record Command(List<String> argv, Map<String, String> env, Path dir) {
    /** What a finished run left behind. */
    record Result(int exitCode, String stdout, String stderr) {
        String describe() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    Command {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
    }

    Result run(Duration limit) throws IOException, InterruptedException {
        return run(limit, "");
    }

    /** Runs to the end, with {@code stdin} as its input; kills the whole tree past {@code limit}. */
    Result run(Duration limit, String stdin) throws IOException, InterruptedException {
        Path in = Files.createTempFile("stdin", ".txt");
        Path out = Files.createTempFile("stdout", ".txt");
        Path err = Files.createTempFile("stderr", ".txt");
        try {
            Files.writeString(in, stdin, StandardCharsets.UTF_8);
            ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile())
                    .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", argv) + " did not end within " + limit
                        + "; stderr so far:\n" + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            for (Path p : List.of(in, out, err)) {
                Files.deleteIfExists(p);
            }
        }
    }
}
