package dev.pyro.env.build;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.log.PyroLoggers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs host programs with {@link ProcessBuilder}: output into the {@link BuildLog}, failures
 * turned into {@link PyroException}s with the right code (a full disk or an unreachable
 * mirror is recognised in the tool's output) and the last lines of output in the message.
 */
public final class ToolRunner {
    private static final System.Logger LOG = PyroLoggers.of(ToolRunner.class);
    private static final int TAIL_LINES = 60;

    private final HostTools tools;
    private final BuildLog log;
    private final Duration timeout;

    /** A runner whose commands each get at most {@code timeout}. */
    public ToolRunner(HostTools tools, BuildLog log, Duration timeout) {
        this.tools = tools;
        this.log = log;
        this.timeout = timeout;
    }

    /** The tools this runner resolves programs with. */
    public HostTools tools() {
        return tools;
    }

    /** The build log. */
    public BuildLog log() {
        return log;
    }

    /** One invocation: the tool, its arguments, a working directory and extra environment. */
    public record Invocation(HostTool tool, List<String> args, Path workDir, Map<String, String> env) {
        public Invocation {
            args = List.copyOf(args);
            env = Map.copyOf(env);
        }

        /** An invocation in the current directory with the inherited environment. */
        public static Invocation of(HostTool tool, List<String> args) {
            return new Invocation(tool, args, null, Map.of());
        }

        public Invocation in(Path dir) {
            return new Invocation(tool, args, dir, env);
        }

        public Invocation withEnv(Map<String, String> extra) {
            return new Invocation(tool, args, workDir, extra);
        }
    }

    /** Runs to completion with stdout and stderr merged into the log. */
    public void run(Invocation inv) {
        execute(inv, false, NO_LINES);
    }

    /**
     * Runs to completion with stdout and stderr merged into the log, showing every line to
     * {@code lines} as well (a progress parser); a failing observer is logged, not fatal.
     */
    public void run(Invocation inv, Consumer<String> lines) {
        execute(inv, false, lines);
    }

    /** Runs to completion and returns stdout; stderr goes to the log. */
    public String capture(Invocation inv) {
        return execute(inv, true, NO_LINES);
    }

    private static final Consumer<String> NO_LINES = line -> { };

    private String execute(Invocation inv, boolean captureStdout, Consumer<String> lines) {
        List<String> command = new ArrayList<>();
        command.add(tools.require(inv.tool()).toString());
        command.addAll(inv.args());
        log.note("$ " + String.join(" ", command));
        LOG.log(System.Logger.Level.DEBUG, "running {0}", String.join(" ", command));
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (inv.workDir() != null) {
            pb.directory(inv.workDir().toFile());
        }
        pb.environment().putAll(inv.env());
        pb.environment().put("LC_ALL", "C.UTF-8"); // stable English messages for classification
        pb.redirectErrorStream(!captureStdout);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new PyroException(ErrorCode.MISSING_HOST_TOOL, inv.tool().command() + " could not be started ("
                    + e.getMessage() + "): apt-get install " + inv.tool().debianPackage(), e);
        }
        Deque<String> tail = new ArrayDeque<>();
        StringBuilder stdout = new StringBuilder();
        Thread errDrainer = null;
        if (captureStdout) {
            errDrainer = Thread.ofVirtual().start(() -> drain(process.getErrorStream(), tail, null, NO_LINES));
        }
        drain(process.getInputStream(), tail, captureStdout ? stdout : null, lines);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new PyroException(ErrorCode.TIMEOUT, inv.tool().command() + " did not finish within " + timeout.toMinutes() + " min");
            }
            if (errDrainer != null) {
                errDrainer.join();
            }
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new PyroException(ErrorCode.CANCELLED, inv.tool().command() + " was interrupted", e);
        }
        int rc = process.exitValue();
        log.note("exit " + rc);
        if (rc != 0) {
            String text;
            synchronized (tail) {
                text = String.join("\n", tail);
            }
            ErrorCode code = IoErrors.classifyText(text, ErrorCode.ENVIRONMENT_BUILD_FAILED);
            String last = lastMeaningfulLine(text);
            throw new PyroException(code, inv.tool().command() + " failed (exit " + rc + ")"
                    + (last.isEmpty() ? "" : ": " + last) + " [log: " + log.file() + "]");
        }
        return stdout.toString();
    }

    private void drain(InputStream in, Deque<String> tail, StringBuilder capture, Consumer<String> lines) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (capture != null) {
                    capture.append(line).append('\n');
                    continue;
                }
                log.write(line);
                observe(lines, line);
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void observe(Consumer<String> lines, String line) {
        try {
            lines.accept(line);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "tool output observer failed: " + e);
        }
    }

    private static String lastMeaningfulLine(String text) {
        String[] lines = text.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String l = lines[i].strip();
            if (l.startsWith("E:") || l.contains("rror")) {
                return l;
            }
        }
        return lines.length == 0 ? "" : lines[lines.length - 1].strip();
    }
}
