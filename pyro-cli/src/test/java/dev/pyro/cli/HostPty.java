package dev.pyro.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.impl.jni.JniNativePty;
import org.jline.terminal.impl.jni.JniTerminalProvider;

/**
 * A real pseudo-terminal on the host (JLine's native PTY), for driving a program the way a
 * person at a terminal would: the program runs as the leader of a new session whose
 * controlling terminal is the PTY's slave ({@code setsid -c}); the test types into the master,
 * reads what the screen would show, resizes the window and looks at the terminal settings.
 */
final class HostPty implements AutoCloseable {
    private final JniNativePty pty;
    private final OutputStream keys;
    private final StringBuffer screen = new StringBuffer();
    private final Thread reader;

    private HostPty(JniNativePty pty) throws IOException {
        this.pty = pty;
        this.keys = pty.getMasterOutput();
        InputStream in = pty.getMasterInput();
        this.reader = Thread.ofPlatform().daemon().name("pty-reader").start(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    screen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // closed
            }
        });
    }

    /** A PTY with the system's default (cooked) settings and this window size. */
    static HostPty open(int cols, int rows) throws IOException {
        return new HostPty((JniNativePty) new JniTerminalProvider().open(null, new Size(cols, rows)));
    }

    /** Starts {@code command} on the slave as a session leader with it as controlling terminal. */
    Process spawn(List<String> command, java.util.Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("setsid", "-c"));
        cmd.addAll(command);
        File tty = new File(pty.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(tty).redirectOutput(tty).redirectError(tty);
        if (!env.containsKey("PYRO_HOME")) {
            throw new IllegalArgumentException("a test's pyro gets its own PYRO_HOME");
        }
        pb.environment().remove("PYRO_BACKEND");
        pb.environment().putAll(env);
        pb.environment().put("TERM", "xterm-256color");
        return pb.start();
    }

    /** Types bytes as keys. */
    void type(String text) throws IOException {
        keys.write(text.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    /** Everything the program wrote since the PTY was opened. */
    String screen() {
        return screen.toString();
    }

    /** Waits until {@code text} was written after position {@code from} of {@link #screen()}; returns where it ends. */
    int await(String text, int from, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            int at = screen.indexOf(text, from);
            if (at >= 0) {
                return at + text.length();
            }
            synchronized (this) {
                wait(20); // the reader thread appends without notifying; poll the buffer
            }
        }
        throw new AssertionError("the terminal never showed " + text.replace("\u001b", "ESC") + "; it shows: "
                + screen.substring(Math.max(0, Math.min(from, screen.length()))).replace("\u001b", "ESC"));
    }

    /** Resizes the window: the foreground program gets SIGWINCH. */
    void resize(int cols, int rows) throws IOException {
        pty.setSize(new Size(cols, rows));
    }

    /** The terminal's current settings. */
    Attributes attributes() throws IOException {
        return pty.getAttr();
    }

    @Override
    public void close() throws IOException {
        pty.close();
        reader.interrupt();
    }
}
