package dev.pyro.workspace.store;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The head of a command's output stream, bounded in size, as the journal keeps it.
 *
 * @param text       the first bytes of the stream as UTF-8 text (malformed bytes become U+FFFD;
 *                   a character cut by the bound is dropped whole)
 * @param truncated  whether the stream was longer than what {@code text} holds
 * @param totalBytes the length of the whole stream in bytes
 */
public record BoundedOutput(String text, boolean truncated, long totalBytes) {
    /** Validates. */
    public BoundedOutput {
        Objects.requireNonNull(text, "text");
        if (totalBytes < 0) {
            throw new IllegalArgumentException("totalBytes must not be negative");
        }
    }

    /** No output. */
    public static BoundedOutput empty() {
        return new BoundedOutput("", false, 0);
    }

    /** The first {@code limit} bytes of {@code bytes}. */
    public static BoundedOutput of(byte[] bytes, int limit) {
        return head(bytes, bytes.length, limit, bytes.length);
    }

    /**
     * This output cut down to at most {@code limit} UTF-8 bytes of text. The total stays the
     * stream's: the text can be longer than the bytes it came from (each undecodable byte
     * became a three-byte U+FFFD), so its length says nothing about the stream.
     */
    public BoundedOutput limitTo(int limit) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= limit) {
            return this;
        }
        return new BoundedOutput(head(bytes, bytes.length, limit, bytes.length).text(), true, totalBytes);
    }

    /**
     * A sink that keeps the first {@code limit} bytes written to it and counts the rest,
     * for streaming a command's output without holding all of it.
     */
    public static Collector collector(int limit) {
        return new Collector(limit);
    }

    private static BoundedOutput head(byte[] bytes, int length, int limit, long total) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative");
        }
        int end = Math.min(length, limit);
        boolean truncated = total > end;
        if (end < length) {
            // Cut before a multi-byte character rather than through it.
            while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
                end--;
            }
        }
        return new BoundedOutput(new String(Arrays.copyOf(bytes, end), StandardCharsets.UTF_8), truncated, total);
    }

    /** See {@link #collector(int)}. Not thread-safe. */
    public static final class Collector extends OutputStream {
        private final int limit;
        private final ByteArrayOutputStream kept;
        private long total;

        private Collector(int limit) {
            if (limit < 0) {
                throw new IllegalArgumentException("limit must not be negative");
            }
            this.limit = limit;
            this.kept = new ByteArrayOutputStream(Math.min(limit, 8192));
        }

        @Override
        public void write(int b) {
            if (kept.size() < limit + 4) {
                kept.write(b);
            }
            total++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            // Keep up to 4 bytes past the limit so a character cut at the bound can be detected.
            int room = Math.max(0, limit + 4 - kept.size());
            kept.write(b, off, Math.min(room, len));
            total += len;
        }

        /** What was written so far, bounded. */
        public BoundedOutput result() {
            byte[] bytes = kept.toByteArray();
            return head(bytes, bytes.length, limit, total);
        }
    }
}
