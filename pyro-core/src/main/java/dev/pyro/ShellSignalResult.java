package dev.pyro;

/**
 * A signal sent to a shell's foreground job (the command that runs, else the shell itself), as
 * the terminal sends it for Ctrl-C.
 *
 * @param workspaceId the workspace
 * @param shellId     the shell
 * @param signal      the signal's name: {@code HUP}, {@code INT}, {@code QUIT}, {@code TERM} or {@code KILL}
 * @param pgid        the process group it went to
 */
public record ShellSignalResult(String workspaceId, String shellId, String signal, long pgid) {
}
