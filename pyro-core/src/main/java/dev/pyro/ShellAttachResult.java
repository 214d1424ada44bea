package dev.pyro;

/**
 * How a {@link ShellAttachment} ended.
 *
 * @param workspaceId the workspace
 * @param shellId     the shell
 * @param ending      {@code detached} (the shell runs on), {@code exited} (its process ended)
 *                    or {@code closed} (someone closed it)
 * @param exitCode    the shell's exit status once it exited normally, else {@code null}
 * @param signal      the signal that ended it, else {@code null}
 * @param nextCursor  where a later read or attach continues
 */
public record ShellAttachResult(String workspaceId, String shellId, String ending, Integer exitCode,
        Integer signal, long nextCursor) {
    /** {@code ending} of a detach. */
    public static final String DETACHED = "detached";
    /** {@code ending} when the shell's process ended. */
    public static final String EXITED = "exited";
    /** {@code ending} when the shell was closed. */
    public static final String CLOSED = "closed";
}
