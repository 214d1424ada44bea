package dev.pyro;

/**
 * Input typed into a shell: queued for its terminal as a whole, never interleaved with another
 * writer's input. Its effect (echo, the command's answer) shows in the output.
 *
 * @param workspaceId the workspace
 * @param shellId     the shell
 * @param bytes       how many bytes of input were queued (a newline included)
 */
public record ShellWriteResult(String workspaceId, String shellId, long bytes) {
}
