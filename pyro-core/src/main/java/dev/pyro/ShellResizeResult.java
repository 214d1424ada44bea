package dev.pyro;

/**
 * A shell's new terminal size; its foreground job got {@code SIGWINCH}.
 *
 * @param workspaceId the workspace
 * @param shellId     the shell
 * @param cols        terminal width
 * @param rows        terminal height
 */
public record ShellResizeResult(String workspaceId, String shellId, int cols, int rows) {
}
