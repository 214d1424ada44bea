package dev.pyro;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A live view of a workspace shell, for a person at a terminal: the shell's output as it
 * comes, keystrokes straight in, the terminal size followed. Detaching (or closing this
 * handle) leaves the shell running; anyone can attach again or read it by cursor. The view
 * starts at the beginning of the shell's current line (its prompt), so there is something to
 * see at once.
 *
 * <p>It holds its own connection to the guest but no lock: deleting the workspace, or its VM
 * dying, ends the view ({@link #await()} then throws).
 */
public interface ShellAttachment extends AutoCloseable {
    /** The workspace. */
    String workspaceId();

    /** The shell. */
    String shellId();

    /** The shell's terminal output (bytes as a terminal receives them); ends when the view ends. */
    InputStream output();

    /** Keystrokes for the shell; writes block while the guest takes no more input. */
    OutputStream input();

    /**
     * Changes the shell's terminal size (the foreground program gets {@code SIGWINCH}).
     *
     * @throws PyroException {@link ErrorCode#INVALID_ARGUMENT} for sizes outside 1…1000,
     *     {@link ErrorCode#SHELL_CLOSED} once the shell has exited
     */
    void resize(int cols, int rows);

    /**
     * Waits until the view ends: the shell exited or was closed, or someone called
     * {@link #detach()}.
     *
     * @throws PyroException {@link ErrorCode#VM_DIED} when the VM died (the workspace is then
     *     {@code failed}), {@link ErrorCode#AGENT_UNAVAILABLE} when the connection was lost
     *     (e.g. the workspace was deleted), {@link ErrorCode#SHELL_NOT_FOUND}
     */
    ShellAttachResult await();

    /** Stops following the shell, which keeps running; returns where its output stands. */
    ShellAttachResult detach();

    /** Detaches if still attached and releases the connection; never throws. */
    @Override
    void close();
}
