package dev.pyro.vm;

/**
 * Host ports forwarded to a running guest, added and removed while it runs (QEMU user-mode
 * networking's host forwards). Every forward listens on the host's {@code 127.0.0.1} only.
 */
public interface PortForwarder {
    /**
     * Forwards {@code 127.0.0.1:hostPort} on the host to {@code guestPort} on the guest's address.
     *
     * @throws dev.pyro.PyroException {@link dev.pyro.ErrorCode#PORT_IN_USE} when the host port is taken,
     *                                {@link dev.pyro.ErrorCode#IO_ERROR} when the VMM cannot be asked
     */
    void add(int hostPort, int guestPort);

    /** Removes the forward of {@code hostPort}; no-op when there is none. */
    void remove(int hostPort);
}
