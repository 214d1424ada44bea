package dev.pyro.guest;

import java.nio.charset.StandardCharsets;

/**
 * One read of a service's log ({@code service_logs}).
 *
 * @param output       the selected bytes, in arrival order (never ends inside a UTF-8
 *                     character while more may follow)
 * @param stream       the streams read
 * @param cursor       where the read really started
 * @param nextCursor   where the next read continues
 * @param oldestCursor the oldest position still kept
 * @param endCursor    the end of the log when read: {@code nextCursor == endCursor} means all was read
 * @param truncated    part of what was asked for had been dropped (the log keeps its last 2 MiB)
 * @param state        the service's state when read
 * @param settled      the service ended and its log is complete
 */
public record ServiceLogChunk(byte[] output, ServiceLogStream stream, long cursor, long nextCursor, long oldestCursor,
        long endCursor, boolean truncated, ServiceState state, boolean settled) {

    /** Copies; see the record description. */
    public ServiceLogChunk {
        output = output.clone();
    }

    /** The bytes. */
    @Override
    public byte[] output() {
        return output.clone();
    }

    /** The output as text (UTF-8, invalid bytes replaced). */
    public String text() {
        return new String(output, StandardCharsets.UTF_8);
    }

    /** Whether everything kept up to the end of the log was read. */
    public boolean complete() {
        return nextCursor >= endCursor;
    }
}
