package dev.pyro.guest;

/** What an attached shell reports besides its output (protocol §11 {@code shell_attach}). */
public sealed interface ShellEvent {
    /**
     * The subscription started.
     *
     * @param shellId the shell
     * @param cursor  where its output starts
     * @param cols    terminal width
     * @param rows    terminal height
     * @param status  the shell's state then
     */
    record Attached(String shellId, long cursor, int cols, int rows, ShellStatus status) implements ShellEvent {
    }

    /**
     * The subscriber fell behind the shell's buffer: {@code dropped} bytes were skipped and the
     * output goes on at {@code cursor}.
     */
    record Truncated(long cursor, long dropped) implements ShellEvent {
    }

    /** The shell's process ended; its last output follows, then the subscription ends. */
    record Exited(ShellStatus status) implements ShellEvent {
    }

    /** An event this client does not know (from a newer agent). */
    record Other(String name) implements ShellEvent {
    }
}
