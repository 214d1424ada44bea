package dev.pyro.guest;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;

/**
 * Collects up to a cap and counts (and drops) the rest. The agent applies the same cap, but
 * the guest is untrusted, so host memory is bounded here too.
 */
final class CappedBuffer extends OutputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final long cap;
    private boolean truncated;

    CappedBuffer(long cap) {
        this.cap = Math.min(cap, Integer.MAX_VALUE - 64); // a byte array cannot hold more
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        long room = cap - bytes.size();
        int keep = (int) Math.max(0, Math.min(room, len));
        bytes.write(b, off, keep);
        if (keep < len) {
            truncated = true;
        }
    }

    byte[] toByteArray() {
        return bytes.toByteArray();
    }

    boolean truncated() {
        return truncated;
    }
}
