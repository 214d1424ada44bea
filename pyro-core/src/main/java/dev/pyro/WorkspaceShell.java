package dev.pyro;

import java.util.List;
import java.util.Objects;

/**
 * A PTY shell of a workspace, as {@code shell open} and {@code shell list} describe it. JSON
 * form (CLI {@code --json}, MCP) uses the snake_case of each component name.
 *
 * @param workspaceId    the workspace
 * @param shellId        the shell's id (8 hex characters), unique among the workspace's shells
 * @param state          {@code running}, or {@code exited} once its process ended (its output
 *                       and exit status stay readable until it is closed)
 * @param exitCode       the exit status once it exited normally, else {@code null}
 * @param signal         the number of the signal that ended it, else {@code null}
 * @param cols           terminal width
 * @param rows           terminal height
 * @param argv           the program it runs ({@code bash -l}, or {@code sh} where bash is missing)
 * @param pid            the shell's process id in the guest
 * @param foregroundPgid the terminal's foreground process group: the shell's own ({@code pid})
 *                       while it waits at its prompt, a command's while one runs; {@code null}
 *                       once it exited
 * @param oldestCursor   the oldest output byte still kept (the guest keeps the last 1 MiB)
 * @param nextCursor     where the next output byte will be: read from here for what comes next
 */
public record WorkspaceShell(String workspaceId, String shellId, String state, Integer exitCode, Integer signal,
        int cols, int rows, List<String> argv, long pid, Long foregroundPgid, long oldestCursor, long nextCursor) {

    /** Validates and copies. */
    public WorkspaceShell {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(shellId, "shellId");
        Objects.requireNonNull(state, "state");
        argv = List.copyOf(argv);
    }
}
