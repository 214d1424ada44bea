package dev.pyro.vm;

import java.nio.file.Path;

/** Where the host reaches a VM's guest agent; the runtime turns it into a transport. */
public sealed interface AgentEndpoint {
    /** A Unix socket carrying the agent stream directly (QEMU's virtio-serial chardev). */
    record UnixSocket(Path path) implements AgentEndpoint {}

    /**
     * Several Unix sockets, each the host end of one guest agent port (QEMU: one
     * virtio-serial port per socket). A port serves one host at a time, so a client leases
     * a free one: it holds an OS lock on {@link #lockFile(Path) the port's lock file} for
     * as long as it is connected, which works across processes and threads alike.
     */
    record UnixSocketPool(java.util.List<Path> sockets) implements AgentEndpoint {
        /** Copies. */
        public UnixSocketPool {
            sockets = java.util.List.copyOf(sockets);
            if (sockets.isEmpty()) {
                throw new IllegalArgumentException("a socket pool needs at least one socket");
            }
        }

        /** The lock file that guards {@code socket}: {@code <socket>.lock}. */
        public static Path lockFile(Path socket) {
            return socket.resolveSibling(socket.getFileName() + ".lock");
        }
    }

    /** Firecracker's vsock Unix socket: write {@code CONNECT <port>\n} before the stream. */
    record VsockUds(Path path, int port) implements AgentEndpoint {}
}
