package dev.pyro.guest.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One protocol frame (docs/protocol.md §1). The payload array is not copied: a frame is
 * a short-lived message, and copying every 64 KiB DATA chunk twice would be waste. Callers
 * must not modify a payload after handing it over.
 *
 * @param type     the frame type
 * @param flags    the flags byte; for DATA, EOF and CREDIT its low 4 bits are the channel
 * @param streamId the stream id, an unsigned 32-bit value held in an int; 0 is the connection
 * @param payload  the payload, at most {@link FrameCodec#MAX_PAYLOAD} bytes
 */
public record Frame(FrameType type, int flags, int streamId, byte[] payload) {

    /** Channel 0: host to agent (exec stdin, archive import bytes). */
    public static final int CHANNEL_IN = 0;
    /** Channel 1: agent to host (exec stdout, archive export bytes, list NDJSON). */
    public static final int CHANNEL_OUT = 1;
    /** Channel 2: agent to host (exec stderr). */
    public static final int CHANNEL_ERR = 2;

    private static final byte[] EMPTY = new byte[0];

    /** Validates the fields; see the record description. */
    public Frame {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        if (flags < 0 || flags > 0xff) {
            throw new IllegalArgumentException("flags out of range: " + flags);
        }
        if (payload.length > FrameCodec.MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds "
                    + FrameCodec.MAX_PAYLOAD);
        }
    }

    /** The channel ({@code flags & 0x0f}); meaningful for DATA, EOF and CREDIT. */
    public int channel() {
        return flags & 0x0f;
    }

    /** A frame without payload. */
    public static Frame empty(FrameType type, int streamId) {
        return new Frame(type, 0, streamId, EMPTY);
    }

    /** A frame whose payload is UTF-8 text (JSON). */
    public static Frame text(FrameType type, int streamId, String text) {
        return new Frame(type, 0, streamId, text.getBytes(StandardCharsets.UTF_8));
    }

    /** DATA on a channel. */
    public static Frame data(int streamId, int channel, byte[] bytes) {
        return new Frame(FrameType.DATA, checkChannel(channel), streamId, bytes);
    }

    /** EOF on a channel. */
    public static Frame eof(int streamId, int channel) {
        return new Frame(FrameType.EOF, checkChannel(channel), streamId, EMPTY);
    }

    /** CREDIT granting {@code bytes} more bytes on a channel. */
    public static Frame credit(int streamId, int channel, long bytes) {
        if (bytes <= 0 || bytes > 0xffff_ffffL) {
            throw new IllegalArgumentException("credit out of range: " + bytes);
        }
        return new Frame(FrameType.CREDIT, checkChannel(channel), streamId,
                ByteBuffer.allocate(4).putInt((int) bytes).array());
    }

    /** The CREDIT amount of this frame, or -1 when the payload is not exactly 4 bytes. */
    public long creditAmount() {
        return payload.length == 4 ? Integer.toUnsignedLong(ByteBuffer.wrap(payload).getInt()) : -1;
    }

    /** The payload decoded as UTF-8. */
    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** The stream id as the unsigned value it is on the wire. */
    public long unsignedStreamId() {
        return Integer.toUnsignedLong(streamId);
    }

    private static int checkChannel(int channel) {
        if (channel < 0 || channel > 0x0f) {
            throw new IllegalArgumentException("channel out of range: " + channel);
        }
        return channel;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && f.type == type && f.flags == flags && f.streamId == streamId
                && Arrays.equals(f.payload, payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, flags, streamId, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "Frame[" + type + " flags=0x" + Integer.toHexString(flags) + " stream="
                + unsignedStreamId() + " len=" + payload.length + "]";
    }
}
