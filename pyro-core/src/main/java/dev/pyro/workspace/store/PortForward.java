package dev.pyro.workspace.store;

import java.util.Objects;

/**
 * One guest port published on the host's {@code 127.0.0.1}: {@code network/ports/<hostPort>.json}.
 * Written before the forward is added and removed after it is gone, so any process can find
 * and remove a forward another one added (a service stop, a VM stop).
 *
 * @param format   the file format, {@link #FORMAT}
 * @param service  the service that published it
 * @param hostPort the port on the host's 127.0.0.1
 * @param guestPort the port in the guest
 */
public record PortForward(int format, String service, int hostPort, int guestPort) {
    /** The file format this code writes and the newest it reads. */
    public static final int FORMAT = 1;

    /** Validates. */
    public PortForward {
        Objects.requireNonNull(service, "service");
        if (hostPort < 1 || hostPort > 65535 || guestPort < 1 || guestPort > 65535) {
            throw new IllegalArgumentException("ports must be in 1-65535: " + hostPort + ":" + guestPort);
        }
    }

    /** A published port of this format. */
    public static PortForward of(String service, int hostPort, int guestPort) {
        return new PortForward(FORMAT, service, hostPort, guestPort);
    }
}
