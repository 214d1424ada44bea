package dev.pyro.guest.protocol;

/** The frame types of protocol version 1 (docs/protocol.md §2), with their wire byte. */
public enum FrameType {
    HELLO(0x01),
    OPEN(0x02),
    DATA(0x03),
    EOF(0x04),
    CREDIT(0x05),
    RESULT(0x06),
    ERROR(0x07),
    CANCEL(0x08),
    EVENT(0x09),
    PING(0x0a),
    PONG(0x0b);

    private static final FrameType[] BY_CODE = new FrameType[256];

    static {
        for (FrameType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    /** The type byte on the wire. */
    public int code() {
        return code;
    }

    /** True for the types whose low 4 flag bits name a channel. */
    public boolean hasChannel() {
        return this == DATA || this == EOF || this == CREDIT;
    }

    /** The type for a wire byte, or {@code null} when this version does not know it. */
    public static FrameType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
