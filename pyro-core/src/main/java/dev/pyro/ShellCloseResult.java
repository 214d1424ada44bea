package dev.pyro;

/**
 * A closed shell: its session was hung up, whatever survived was killed, its output discarded;
 * its id is no longer found.
 *
 * @param workspaceId the workspace
 * @param shellId     the shell
 * @param closed      always {@code true}
 * @param exitCode    the shell process's exit status if it exited normally, else {@code null}
 * @param signal      the signal that ended it (usually {@code 1}, the hang-up), else {@code null}
 */
public record ShellCloseResult(String workspaceId, String shellId, boolean closed, Integer exitCode,
        Integer signal) {
}
