package dev.pyro.guest;

/**
 * How a shell subscription ended.
 *
 * @param detached   the host detached (the shell runs on)
 * @param closed     the shell was closed from elsewhere
 * @param status     the shell's state then, {@code null} when it was closed
 * @param nextCursor where a later read or attach continues
 */
public record ShellAttachEnd(boolean detached, boolean closed, ShellStatus status, long nextCursor) {
}
