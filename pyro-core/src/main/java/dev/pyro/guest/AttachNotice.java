package dev.pyro.guest;

import java.util.Arrays;

/**
 * How the agent noticed the host of a connection: the optional HELLO member {@code attach}
 * (protocol §4). Diagnostic only: it tells whether the virtio-serial SIGIO wake-up works
 * ({@link #SIGNAL}) or the agent fell back to probing ({@link #PROBE}).
 */
public enum AttachNotice {
    /** Virtio-serial: the probe that found the host ran because the guest kernel signalled it. */
    SIGNAL("signal"),
    /** Virtio-serial: found by a probe no signal prompted (right after a host left, a new port, the timer). */
    PROBE("probe"),
    /** A listener accepted the connection (vsock, {@code --listen-unix}). */
    ACCEPT("accept"),
    /** The agent connected ({@code --connect-unix}). */
    CONNECT("connect"),
    /** The agent's stdin and stdout. */
    STDIO("stdio"),
    /** Not the first HELLO the agent answered since it noticed this host: a resend, or a new host it did not see come. */
    AGAIN("again"),
    /** Not said (an older agent) or a value this host does not know. */
    UNKNOWN("");

    private static final int MAX_WIRE = 16;
    private final String wire;

    AttachNotice(String wire) {
        this.wire = wire;
    }

    /** The value on the wire ({@code ""} for {@link #UNKNOWN}). */
    public String wire() {
        return wire;
    }

    /** The member's value as the agent sent it (hostile: anything, or null) → a known value or {@link #UNKNOWN}. */
    static AttachNotice fromWire(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_WIRE) {
            return UNKNOWN;
        }
        return Arrays.stream(values()).filter(a -> a.wire.equals(value)).findFirst().orElse(UNKNOWN);
    }
}
