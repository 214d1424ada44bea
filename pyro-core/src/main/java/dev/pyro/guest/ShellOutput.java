package dev.pyro.guest;

import java.nio.charset.StandardCharsets;

/**
 * A piece of a shell's output (terminal bytes: control sequences, {@code \r\n}) and where it
 * sits in the stream. It never ends in the middle of a UTF-8 character (an incomplete one is
 * held back until the rest arrives or the shell ended) and, after a gap, never starts in one.
 *
 * @param output     the bytes, possibly empty
 * @param cursor     where {@code output} starts: the requested cursor, or later when output
 *                   fell out of the buffer ({@code truncated})
 * @param nextCursor the cursor to read on from ({@code cursor + output.length})
 * @param truncated  bytes between the requested cursor and {@code cursor} were lost: the shell
 *                   wrote more than the agent keeps (1 MiB) before they were read
 * @param status     the shell's state when the read was answered
 */
public record ShellOutput(byte[] output, long cursor, long nextCursor, boolean truncated, ShellStatus status) {

    /** The output decoded as UTF-8 (invalid bytes become U+FFFD). */
    public String text() {
        return new String(output, StandardCharsets.UTF_8);
    }
}
