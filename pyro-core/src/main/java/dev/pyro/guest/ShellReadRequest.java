package dev.pyro.guest;

import java.time.Duration;
import java.util.Objects;

/**
 * What to read of a shell's output.
 *
 * @param cursor      where to start: the {@code nextCursor} of the previous read (0 for the
 *                    beginning). Output that fell out of the buffer is skipped and reported as
 *                    {@link ShellOutput#truncated()}
 * @param maxBytes    at most this much (the agent takes 4…262144; 65536 by default)
 * @param waitForIdle if not zero: answer only once no output arrived for this long (counted
 *                    from the request at the earliest), so a command's whole answer is read at
 *                    once; the agent takes up to 120 s
 * @param maxWait     the longest a waiting read waits in all (up to 120 s; default 10 s, or
 *                    {@code waitForIdle} when longer)
 */
public record ShellReadRequest(long cursor, int maxBytes, Duration waitForIdle, Duration maxWait) {
    /** The agent's default {@code max_bytes}. */
    public static final int DEFAULT_MAX_BYTES = 65536;

    /** Validates presence; the agent checks the ranges. */
    public ShellReadRequest {
        Objects.requireNonNull(waitForIdle, "waitForIdle");
    }

    /** Everything from {@code cursor} that is there now, at most {@value #DEFAULT_MAX_BYTES} bytes. */
    public static ShellReadRequest from(long cursor) {
        return new ShellReadRequest(cursor, DEFAULT_MAX_BYTES, Duration.ZERO, null);
    }

    /** A copy that waits until the shell was quiet for {@code idle}. */
    public ShellReadRequest waitingForIdle(Duration idle) {
        return new ShellReadRequest(cursor, maxBytes, idle, maxWait);
    }

    /** A copy that waits at most {@code limit} in all. */
    public ShellReadRequest withMaxWait(Duration limit) {
        return new ShellReadRequest(cursor, maxBytes, waitForIdle, limit);
    }

    /** A copy reading at most {@code bytes}. */
    public ShellReadRequest withMaxBytes(int bytes) {
        return new ShellReadRequest(cursor, bytes, waitForIdle, maxWait);
    }
}
