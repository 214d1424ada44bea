package dev.pyro.guest;

import java.util.ArrayList;
import java.util.List;

/**
 * A collected exec's output: keeps up to a cap and counts (and drops) the rest. The agent
 * applies the same cap, but the guest is untrusted, so host memory is bounded here too.
 *
 * <p>It is filled on the connection's reader thread as DATA arrives
 * ({@link InboundChannel#collectInto}), so an append must never be slow: bytes go into blocks
 * of at most {@link #MAX_BLOCK} that are never reallocated (a large cap never makes the reader
 * copy a growing array, which would stall every other stream of the connection), and small
 * payloads are packed into the current block instead of being kept one array each (a guest
 * sending one-byte frames cannot multiply host memory by the arrays' headers). The caller reads
 * it with {@link #toByteArray()} once the stream's outcome is known: the outcome's completion
 * orders every append before that read.
 */
final class CappedBuffer {
    /** Largest block; the first is small, so a short output costs a small array. */
    static final int MAX_BLOCK = 64 * 1024;
    private static final int FIRST_BLOCK = 4 * 1024;

    private final long cap;
    private final List<byte[]> blocks = new ArrayList<>(2);
    private byte[] tail;
    private int tailUsed;
    private long size;
    private boolean truncated;

    CappedBuffer(long cap) {
        this.cap = Math.min(cap, Integer.MAX_VALUE - 64); // a byte array cannot hold more
    }

    /** Keeps what fits under the cap of {@code b[off..off+len)}; flags the rest as truncated. */
    void append(byte[] b, int off, int len) {
        long room = cap - size;
        int keep = (int) Math.max(0, Math.min(room, len));
        if (keep < len) {
            truncated = true;
        }
        int done = 0;
        while (done < keep) {
            if (tail == null || tailUsed == tail.length) {
                int want = tail == null ? FIRST_BLOCK : Math.min(MAX_BLOCK, tail.length * 2);
                tail = new byte[(int) Math.min(cap - size, Math.max(want, Math.min(keep - done, MAX_BLOCK)))];
                tailUsed = 0;
                blocks.add(tail);
            }
            int n = Math.min(keep - done, tail.length - tailUsed);
            System.arraycopy(b, off + done, tail, tailUsed, n);
            tailUsed += n;
            size += n;
            done += n;
        }
    }

    /** The bytes kept, in order. */
    byte[] toByteArray() {
        byte[] all = new byte[(int) size];
        int at = 0;
        for (byte[] block : blocks) {
            int n = (int) Math.min(block.length, size - at);
            System.arraycopy(block, 0, all, at, n);
            at += n;
        }
        return all;
    }

    /** Bytes kept so far. */
    long size() {
        return size;
    }

    /** Arrays holding the bytes (tests check small payloads are packed). */
    int blockCount() {
        return blocks.size();
    }

    /** True once something was dropped for the cap. */
    boolean truncated() {
        return truncated;
    }
}
