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
import java.util.stream.Collectors;
import org.jline.utils.ScreenTerminal;

/**
 * Runs the real {@code pyro} CLI on a pseudo-terminal, as a person at a terminal would: under
 * {@code script(1)} (util-linux), which gives the command a terminal of its own and copies
 * everything written to it to our pipe. The bytes are then replayed into JLine's
 * {@link ScreenTerminal}, a VT100 emulator, to see what the screen shows at the end.
 */
final class PtyRun {
    static final int COLUMNS = 120;
    static final int ROWS = 50;

    /** What the terminal received, and the exit status of pyro. */
    record Result(int exitCode, String output) {
        /** The screen after all output, one string per row (trailing blanks cut), and the cursor. */
        Screen screen() {
            ScreenTerminal term = new ScreenTerminal(COLUMNS, ROWS);
            term.write(output);
            long[] cells = new long[COLUMNS * ROWS];
            int[] cursor = new int[2];
            term.dump(cells, cursor);
            List<String> rows = new ArrayList<>();
            for (int y = 0; y < ROWS; y++) {
                StringBuilder row = new StringBuilder();
                for (int x = 0; x < COLUMNS; x++) {
                    int c = ScreenTerminal.cellCodePoint(cells[y * COLUMNS + x]);
                    row.appendCodePoint(c == 0 ? ' ' : c);
                }
                rows.add(row.toString().stripTrailing());
            }
            return new Screen(rows, cursor[0], cursor[1]);
        }
    }

    /** A screen: its rows, and where the cursor is. */
    record Screen(List<String> rows, int cursorColumn, int cursorRow) {
        /** The rows down to the last one with text. */
        List<String> text() {
            int last = rows.size() - 1;
            while (last >= 0 && rows.get(last).isEmpty()) {
                last--;
            }
            return rows.subList(0, last + 1);
        }

        @Override
        public String toString() {
            return String.join("\n", text()) + "\n(cursor at row " + cursorRow + ", column " + cursorColumn + ")";
        }
    }

    private PtyRun() {
    }

    /** {@code pyro args...} on a {@value #COLUMNS}x{@value #ROWS} terminal with {@code env} added. */
    static Result run(Map<String, String> env, Duration timeout, String... args)
            throws IOException, InterruptedException {
        return start(env, args).finish(timeout);
    }

    /** Starts {@code pyro args...} on a terminal; the caller waits for output, may interrupt, then finishes. */
    static Running start(Map<String, String> env, String... args) throws IOException {
        String pyro = PyroProcess.command(args).stream().map(PtyRun::quote).collect(Collectors.joining(" "));
        String inner = "stty cols " + COLUMNS + " rows " + ROWS + " && exec " + pyro;
        ProcessBuilder pb = new ProcessBuilder("script", "--quiet", "--return", "--flush", "--command", inner,
                "/dev/null");
        if (!env.containsKey("PYRO_HOME")) {
            throw new IllegalArgumentException("a test's pyro gets its own PYRO_HOME");
        }
        pb.environment().remove("PYRO_BACKEND");
        pb.environment().put("TERM", "xterm-256color");
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.redirectErrorStream(true);
        Path out = Files.createTempFile("pyro-pty", ".out");
        return new Running(pb.redirectOutput(out.toFile()).start(), out, String.join(" ", args));
    }

    /** pyro running on its terminal. */
    record Running(Process script, Path out, String command) {
        /** Waits until the terminal has received {@code text}. */
        void awaitOutput(String text, Duration timeout) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!Files.readString(out, StandardCharsets.UTF_8).contains(text)) {
                if (System.nanoTime() > deadline || !script.isAlive()) {
                    throw new AssertionError("no '" + text + "' from pyro " + command + ":\n"
                            + Files.readString(out, StandardCharsets.UTF_8));
                }
                Thread.sleep(20);
            }
        }

        /** Sends SIGINT to pyro itself (its JVM, under script), as a Ctrl-C would. */
        void interruptPyro() throws IOException, InterruptedException {
            ProcessHandle jvm = script.descendants().filter(h -> h.info().command().orElse("").endsWith("/java"))
                    .findFirst().orElseThrow(() -> new AssertionError("pyro's JVM is not running"));
            new ProcessBuilder("kill", "-INT", Long.toString(jvm.pid())).inheritIO().start().waitFor();
        }

        Result finish(Duration timeout) throws IOException, InterruptedException {
            try {
                if (!script.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    script.descendants().forEach(ProcessHandle::destroyForcibly);
                    script.destroyForcibly();
                    throw new AssertionError("pyro " + command + " did not finish within " + timeout
                            + " on the terminal:\n" + Files.readString(out, StandardCharsets.UTF_8));
                }
                return new Result(script.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        }
    }

    private static String quote(String arg) {
        return "'" + arg.replace("'", "'\\''") + "'";
    }
}
