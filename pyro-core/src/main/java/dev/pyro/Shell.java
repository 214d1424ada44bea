package dev.pyro;

import java.util.Objects;

/**
 * A handle on one shell of a workspace, for programs that drive a shell step by step: it
 * remembers where it has read up to, so {@link #read} returns what came since the last read.
 * Every method is the {@link Pyro} method of the same meaning with the ids filled in.
 *
 * <pre>{@code
 * try (Shell sh = ws.openShell()) {
 *     sh.write("make test");
 *     System.out.print(sh.readPlain(1000).output());   // once quiet for 1 s
 *     sh.signal("INT");
 * } // closing the handle closes the shell
 * }</pre>
 *
 * <p><b>Closing closes the shell</b> in the guest. The shell itself is not tied to this handle:
 * any process can reach it by {@link #id()} while it is open. Thread-safe.
 */
public final class Shell implements AutoCloseable {
    private final Pyro pyro;
    private final String workspaceId;
    private final String id;
    private long cursor;
    private volatile boolean closed;

    Shell(Pyro pyro, String workspaceId, String shellId, long cursor) {
        this.pyro = Objects.requireNonNull(pyro, "pyro");
        this.workspaceId = Objects.requireNonNull(workspaceId, "workspaceId");
        this.id = Objects.requireNonNull(shellId, "shellId");
        this.cursor = cursor;
    }

    /** The shell id. */
    public String id() {
        return id;
    }

    /** The workspace id. */
    public String workspaceId() {
        return workspaceId;
    }

    /** Where the next {@link #read} starts. */
    public synchronized long cursor() {
        return cursor;
    }

    /** Types a command line (the input and a newline). */
    public ShellWriteResult write(String input) {
        return pyro.writeShell(workspaceId, id, input, false);
    }

    /** Types {@code input} as it is, without a newline (keys, a password, a partial line). */
    public ShellWriteResult type(String input) {
        return pyro.writeShell(workspaceId, id, input, true);
    }

    /**
     * Reads on from where the last read stopped; see {@link Pyro#readShell}. The cursor moves
     * to the result's {@code nextCursor}.
     */
    public synchronized ShellReadResult read(int maxChars, boolean plain, int waitForIdleMs) {
        ShellReadResult r = pyro.readShell(workspaceId, id, cursor, maxChars, plain, waitForIdleMs);
        cursor = r.nextCursor();
        return r;
    }

    /** The plain text (what a person sees) that came since the last read, once quiet for {@code waitForIdleMs}. */
    public ShellReadResult readPlain(int waitForIdleMs) {
        return read(dev.pyro.workspace.WorkspaceShells.DEFAULT_MAX_CHARS, true, waitForIdleMs);
    }

    /** Sends a signal to the foreground job ({@code INT} is Ctrl-C); see {@link Pyro#signalShell}. */
    public ShellSignalResult signal(String signal) {
        return pyro.signalShell(workspaceId, id, signal);
    }

    /** Changes the terminal size; see {@link Pyro#resizeShell}. */
    public ShellResizeResult resize(int cols, int rows) {
        return pyro.resizeShell(workspaceId, id, cols, rows);
    }

    /** The shell's current description (state, size, cursors). */
    public WorkspaceShell info() {
        return pyro.listShells(workspaceId).stream().filter(s -> s.shellId().equals(id)).findFirst()
                .orElseThrow(() -> new PyroException(ErrorCode.SHELL_NOT_FOUND, workspaceId + " has no shell " + id
                        + " (closed)"));
    }

    /** Closes the shell now; closing the handle afterwards does nothing. */
    public ShellCloseResult closeShell() {
        closed = true;
        return pyro.closeShell(workspaceId, id);
    }

    /** Closes the shell unless it is already gone. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            pyro.closeShell(workspaceId, id);
        } catch (PyroException e) {
            if (e.code() != ErrorCode.SHELL_NOT_FOUND && e.code() != ErrorCode.WORKSPACE_NOT_FOUND
                    && e.code() != ErrorCode.WORKSPACE_NOT_RUNNING) {
                throw e;
            }
        }
    }

    @Override
    public String toString() {
        return "Shell[" + workspaceId + "/" + id + "]";
    }
}
