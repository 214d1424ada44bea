package dev.pyro;

import java.util.List;

/**
 * PTY shells (2.5.0) of the SDK: interactive shells on a real terminal in a started workspace,
 * read by cursor, written, signalled, attached. {@link Pyro} implements it; the CLI and MCP
 * tools of the same meaning are named in {@link dev.pyro.contract.Contract}.
 */
public sealed interface WorkspaceShellOperations permits Pyro {
    /** {@link #openShell(String, String, int, int)} in {@code /workspace} on a 120 × 30 terminal. */
    default WorkspaceShell openShell(String workspaceId) {
        return openShell(workspaceId, null, dev.pyro.workspace.WorkspaceShells.DEFAULT_COLS,
                dev.pyro.workspace.WorkspaceShells.DEFAULT_ROWS);
    }

    /**
     * Opens an interactive shell ({@code bash -l}, or {@code sh} where bash is missing) on a
     * real PTY in a started workspace, in {@code cwd} (under {@code /workspace}, or relative to
     * it; {@code null} for {@code /workspace}) on a {@code cols} × {@code rows} terminal. The
     * shell lives in the guest: any process can use it by id until it is closed or the
     * workspace ends. At most 16 per workspace.
     *
     * @throws PyroException {@link ErrorCode#INVALID_ARGUMENT} (sizes outside 1…1000),
     *                       {@link ErrorCode#PATH_OUTSIDE_WORKSPACE}, {@link ErrorCode#NOT_FOUND} (cwd),
     *                       {@link ErrorCode#TOO_MANY_SHELLS}, {@link ErrorCode#WORKSPACE_NOT_RUNNING},
     *                       {@link ErrorCode#WORKSPACE_NOT_FOUND}, {@link ErrorCode#VM_DIED}
     */
    WorkspaceShell openShell(String workspaceId, String cwd, int cols, int rows);

    /**
     * {@link #openShell(String, String, int, int)} with workspace secrets exposed to the shell as
     * environment variables: {@code secretEnv} maps a secret name to a variable name (empty: the
     * secret's own name). The shell's output, as every read returns it, shows {@code [REDACTED]}
     * in place of any secret value.
     *
     * @throws PyroException also {@link ErrorCode#SECRET_NOT_FOUND}, {@link ErrorCode#INVALID_SECRET_NAME},
     *                       {@link ErrorCode#DUPLICATE_NAME} (two secrets as one variable)
     */
    WorkspaceShell openShell(String workspaceId, String cwd, int cols, int rows, java.util.Map<String, String> secretEnv);

    /**
     * Reads a shell's output from {@code cursor} (0, or the {@code nextCursor} of an earlier
     * read by any process): at most {@code maxChars} characters (1…262144), never split inside
     * a character. With {@code plain}, the text a person would see (control sequences
     * stripped, carriage returns and backspaces applied). With {@code waitForIdleMs} (0…60000)
     * the answer waits until the shell has been quiet that long (at most 10 s longer), so a
     * whole answer is read at once. Output the guest no longer keeps (beyond its last 1 MiB) is
     * reported as {@link ShellReadResult#truncated()}, never skipped silently.
     *
     * @throws PyroException {@link ErrorCode#SHELL_NOT_FOUND}, {@link ErrorCode#INVALID_ARGUMENT},
     *                       {@link ErrorCode#WORKSPACE_NOT_RUNNING}, {@link ErrorCode#VM_DIED}
     */
    ShellReadResult readShell(String workspaceId, String shellId, long cursor, int maxChars, boolean plain,
            int waitForIdleMs);

    /** {@link #readShell(String, String, long, int, boolean, int)}: up to 65536 characters, at once. */
    default ShellReadResult readShell(String workspaceId, String shellId, long cursor) {
        return readShell(workspaceId, shellId, cursor, dev.pyro.workspace.WorkspaceShells.DEFAULT_MAX_CHARS, false, 0);
    }

    /**
     * Types {@code input} into a shell, followed by a newline unless {@code noNewline}; at most
     * 65536 bytes in UTF-8, queued as a whole (never interleaved with another writer's).
     *
     * @throws PyroException {@link ErrorCode#SHELL_NOT_FOUND}, {@link ErrorCode#SHELL_CLOSED} (it exited),
     *                       {@link ErrorCode#INVALID_ARGUMENT} (too long), {@link ErrorCode#WORKSPACE_NOT_RUNNING}
     */
    ShellWriteResult writeShell(String workspaceId, String shellId, String input, boolean noNewline);

    /** {@link #writeShell(String, String, String, boolean)} with a newline: one command line. */
    default ShellWriteResult writeShell(String workspaceId, String shellId, String input) {
        return writeShell(workspaceId, shellId, input, false);
    }

    /**
     * Sends {@code signal} ({@code HUP}, {@code INT}, {@code QUIT}, {@code TERM} or {@code KILL};
     * a {@code SIG} prefix is accepted) to the shell's foreground job, as the terminal does for
     * Ctrl-C: {@code INT} stops the running command, the shell survives it.
     *
     * @throws PyroException {@link ErrorCode#INVALID_ARGUMENT} (unknown signal), {@link ErrorCode#SHELL_NOT_FOUND},
     *                       {@link ErrorCode#SHELL_CLOSED}
     */
    ShellSignalResult signalShell(String workspaceId, String shellId, String signal);

    /**
     * Changes a shell's terminal size (1…1000 each); its foreground program gets {@code SIGWINCH}.
     *
     * @throws PyroException {@link ErrorCode#INVALID_ARGUMENT}, {@link ErrorCode#SHELL_NOT_FOUND},
     *                       {@link ErrorCode#SHELL_CLOSED}
     */
    ShellResizeResult resizeShell(String workspaceId, String shellId, int cols, int rows);

    /** A started workspace's shells, running or exited, oldest first. */
    List<WorkspaceShell> listShells(String workspaceId);

    /**
     * Closes a shell: its session is hung up, whatever survives is killed, its output is
     * discarded and its id is no longer found.
     *
     * @throws PyroException {@link ErrorCode#SHELL_NOT_FOUND}, {@link ErrorCode#WORKSPACE_NOT_RUNNING}
     */
    ShellCloseResult closeShell(String workspaceId, String shellId);

    /**
     * Follows a shell live, for a person at a terminal: output as it comes, keystrokes in,
     * resizes; see {@link ShellAttachment}. Close it (or detach) when done: the shell keeps
     * running.
     *
     * @throws PyroException {@link ErrorCode#SHELL_NOT_FOUND}, {@link ErrorCode#WORKSPACE_NOT_RUNNING},
     *                       {@link ErrorCode#VM_DIED}
     */
    ShellAttachment attachShell(String workspaceId, String shellId);
}
