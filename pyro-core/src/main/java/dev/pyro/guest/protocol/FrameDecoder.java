package dev.pyro.guest.protocol;

import java.nio.ByteBuffer;

/**
 * Incremental frame decoder with resynchronisation (protocol §1). Feed it bytes as they
 * arrive, in any split, and drain {@link #next()} until it returns {@code null}.
 *
 * <p>Memory is bounded: the buffer grows only as far as one maximal frame
 * ({@link FrameCodec#HEADER_SIZE} + {@link FrameCodec#MAX_PAYLOAD}), and only once a
 * header with a valid CRC announced that length. Not thread-safe; one reader owns it.
 */
public final class FrameDecoder {
    private static final int INITIAL_CAPACITY = FrameCodec.HEADER_SIZE + FrameCodec.MAX_DATA;
    private static final int MAX_CAPACITY = FrameCodec.HEADER_SIZE + FrameCodec.MAX_PAYLOAD;

    private byte[] buf = new byte[INITIAL_CAPACITY];
    private int pos;
    private int limit;
    private boolean inSync = true;
    private long discarded;

    /**
     * Copies as many of {@code src[off..off+len)} as fit and returns that count. The caller
     * feeds the rest after draining {@link #next()}; at least one byte is always accepted
     * once {@code next()} has returned {@code null}.
     */
    public int feed(byte[] src, int off, int len) {
        if (limit + len > buf.length && pos > 0) {
            compact();
        }
        int n = Math.min(len, buf.length - limit);
        System.arraycopy(src, off, buf, limit, n);
        limit += n;
        return n;
    }

    /** The next decoded item, or {@code null} when more input is needed. */
    public Decoded next() {
        while (true) {
            int avail = limit - pos;
            if (avail == 0) {
                return null;
            }
            if (buf[pos] != FrameCodec.MAGIC_0) {
                Decoded lost = skipByte("bad magic");
                if (lost != null) {
                    return lost;
                }
                continue;
            }
            if (avail < 2) {
                return null;
            }
            if (buf[pos + 1] != FrameCodec.MAGIC_1) {
                Decoded lost = skipByte("bad magic");
                if (lost != null) {
                    return lost;
                }
                continue;
            }
            if (avail < FrameCodec.HEADER_SIZE) {
                return null;
            }
            ByteBuffer h = ByteBuffer.wrap(buf, pos, FrameCodec.HEADER_SIZE);
            int typeCode = h.get(pos + 2) & 0xff;
            int flags = h.get(pos + 3) & 0xff;
            int streamId = h.getInt(pos + 4);
            long length = Integer.toUnsignedLong(h.getInt(pos + 8));
            long crc = Integer.toUnsignedLong(h.getInt(pos + 12));
            if (crc != FrameCodec.headerCrc(buf, pos)) {
                Decoded lost = skipByte("bad header CRC");
                if (lost != null) {
                    return lost;
                }
                continue;
            }
            if (length > FrameCodec.MAX_PAYLOAD) {
                Decoded lost = skipByte("payload length " + length + " over the limit");
                if (lost != null) {
                    return lost;
                }
                continue;
            }
            int total = FrameCodec.HEADER_SIZE + (int) length;
            if (avail < total) {
                ensureCapacity(total);
                return null;
            }
            inSync = true;
            int payloadAt = pos + FrameCodec.HEADER_SIZE;
            pos += total;
            FrameType type = FrameType.fromCode(typeCode);
            if (type == null) {
                return new Decoded.UnknownType(typeCode, flags, streamId, (int) length);
            }
            byte[] payload = new byte[(int) length];
            System.arraycopy(buf, payloadAt, payload, 0, payload.length);
            return new Decoded.FrameReady(new Frame(type, flags, streamId, payload));
        }
    }

    /** Total bytes thrown away while out of sync, for diagnostics and tests. */
    public long discardedBytes() {
        return discarded;
    }

    /** Bytes buffered but not yet decoded. */
    public int buffered() {
        return limit - pos;
    }

    /** Current buffer capacity; never above one maximal frame. */
    int capacity() {
        return buf.length;
    }

    /** Drops the byte at {@code pos}; reports the loss only on the first byte of a resync. */
    private Decoded skipByte(String reason) {
        pos++;
        discarded++;
        if (inSync) {
            inSync = false;
            return new Decoded.SyncLost(reason);
        }
        return null;
    }

    private void ensureCapacity(int frameSize) {
        if (frameSize > buf.length - pos) {
            compact();
            if (frameSize > buf.length) {
                byte[] bigger = new byte[Math.min(MAX_CAPACITY, Math.max(frameSize, buf.length * 2))];
                System.arraycopy(buf, 0, bigger, 0, limit);
                buf = bigger;
            }
        }
    }

    private void compact() {
        System.arraycopy(buf, pos, buf, 0, limit - pos);
        limit -= pos;
        pos = 0;
    }
}
