package dev.pyro.guest.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * Encoding of frames and the protocol's framing constants (docs/protocol.md §1, §3).
 * Decoding is incremental and lives in {@link FrameDecoder}.
 */
public final class FrameCodec {
    /** Bytes of a frame header. */
    public static final int HEADER_SIZE = 16;
    /** Largest payload a frame may carry (1 MiB). */
    public static final int MAX_PAYLOAD = 1 << 20;
    /** Largest DATA payload a sender may use, so control frames interleave (64 KiB). */
    public static final int MAX_DATA = 1 << 16;
    /** Initial flow-control window each receiver grants per stream and channel (256 KiB). */
    public static final int INITIAL_WINDOW = 256 * 1024;
    /** First magic byte, {@code 'P'}. */
    public static final byte MAGIC_0 = 0x50;
    /** Second magic byte, {@code 'Y'}. */
    public static final byte MAGIC_1 = 0x59;

    private FrameCodec() {
    }

    /** The frame encoded into a new buffer, positioned at 0 and limited to the frame size. */
    public static ByteBuffer encode(Frame frame) {
        byte[] out = new byte[HEADER_SIZE + frame.payload().length];
        encodeInto(frame, out);
        return ByteBuffer.wrap(out);
    }

    /**
     * Writes header and payload of {@code frame} into {@code dst} from offset 0 and returns
     * the encoded size; {@code dst} must hold {@code HEADER_SIZE + payload length} bytes.
     */
    public static int encodeInto(Frame frame, byte[] dst) {
        int len = frame.payload().length;
        writeHeader(dst, frame.type().code(), frame.flags(), frame.streamId(), len);
        System.arraycopy(frame.payload(), 0, dst, HEADER_SIZE, len);
        return HEADER_SIZE + len;
    }

    /** Writes the frame to {@code out} in one {@code write} call (no flush). */
    public static void writeTo(Frame frame, OutputStream out) throws IOException {
        out.write(encode(frame).array());
    }

    /**
     * Writes a 16-byte header for arbitrary field values into {@code dst[0..16)}. Public so
     * tests can build deliberately odd headers (unknown types, oversized lengths).
     */
    public static void writeHeader(byte[] dst, int typeCode, int flags, int streamId, int length) {
        ByteBuffer b = ByteBuffer.wrap(dst, 0, HEADER_SIZE);
        b.put(MAGIC_0).put(MAGIC_1).put((byte) typeCode).put((byte) flags).putInt(streamId).putInt(length);
        b.putInt((int) headerCrc(dst, 0));
    }

    /** CRC-32 of the first 12 header bytes at {@code off}. */
    public static long headerCrc(byte[] buf, int off) {
        CRC32 crc = new CRC32();
        crc.update(buf, off, 12);
        return crc.getValue();
    }
}
