package dev.pyro;

import java.util.Objects;

/**
 * A piece of a shell's output, read by cursor. Reading changes nothing: any process can read
 * any range the guest still keeps, and continue where another left off.
 *
 * @param workspaceId the workspace
 * @param shellId     the shell
 * @param output      the text: terminal output as it came (echo, control sequences,
 *                    {@code \r\n}), or with {@code plain} what a person would see. Never ends
 *                    inside a UTF-8 character (nor, when plain, inside an escape sequence)
 * @param cursor      where {@code output} starts: the requested cursor, or later when output was
 *                    lost ({@code truncated})
 * @param nextCursor  the cursor to read on from (a byte position in the shell's output)
 * @param truncated   output between the requested cursor and {@code cursor} was lost: the shell
 *                    wrote more than the guest keeps (1 MiB) before it was read
 * @param hasMore     the read stopped at its size limit: more output is waiting at {@code nextCursor}
 * @param plain       whether {@code output} is the plain rendering
 * @param state       {@code running} or {@code exited} when the read was answered
 * @param exitCode    the exit status once exited normally, else {@code null}
 * @param signal      the signal that ended the shell, else {@code null}
 */
public record ShellReadResult(String workspaceId, String shellId, String output, long cursor, long nextCursor,
        boolean truncated, boolean hasMore, boolean plain, String state, Integer exitCode, Integer signal) {

    /** Validates. */
    public ShellReadResult {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(shellId, "shellId");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(state, "state");
    }
}
