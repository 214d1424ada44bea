package dev.pyro.cli.progress;

import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;

/** Whether stderr is an interactive terminal worth drawing on. */
final class TerminalProbe {
    private TerminalProbe() {
    }

    /**
     * True when file descriptor 2 is a terminal (asked of the OS through JLine's native
     * provider) and {@code TERM} is not {@code dumb}. Anything that goes wrong means no: plain
     * lines are always safe.
     */
    static boolean stderrIsTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            return TerminalProvider.load("jni").isSystemStream(SystemStream.Error);
        } catch (Exception | LinkageError e) {
            return false;
        }
    }
}
