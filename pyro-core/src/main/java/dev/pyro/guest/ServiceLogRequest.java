package dev.pyro.guest;

import java.util.Objects;

/**
 * What to read of a service's log: from a cursor, or the last lines, or (neither) from the
 * oldest kept byte.
 *
 * @param stream    stdout, stderr or both
 * @param cursor    where to start, or {@code null}
 * @param tailLines start at the last this many lines, or {@code null}; not with a cursor
 * @param maxBytes  at most this many bytes (the agent takes 4…262144)
 */
public record ServiceLogRequest(ServiceLogStream stream, Long cursor, Integer tailLines, int maxBytes) {
    /** The agent's default read size. */
    public static final int DEFAULT_MAX_BYTES = 65536;
    /** The largest read the agent answers. */
    public static final int MAX_BYTES = 262144;

    /** Validates. */
    public ServiceLogRequest {
        Objects.requireNonNull(stream, "stream");
        if (cursor != null && tailLines != null) {
            throw new IllegalArgumentException("a cursor or tail lines, not both");
        }
    }

    /** Everything kept, both streams, from the oldest byte. */
    public static ServiceLogRequest all(ServiceLogStream stream) {
        return new ServiceLogRequest(stream, null, null, MAX_BYTES);
    }

    /** The last {@code lines} lines of {@code stream}. */
    public static ServiceLogRequest tail(ServiceLogStream stream, int lines) {
        return new ServiceLogRequest(stream, null, lines, MAX_BYTES);
    }

    /** From {@code cursor} on. */
    public static ServiceLogRequest from(ServiceLogStream stream, long cursor) {
        return new ServiceLogRequest(stream, cursor, null, MAX_BYTES);
    }
}
