package dev.pyro.vm;

import dev.pyro.guest.transport.AgentTransport;
import dev.pyro.guest.transport.FirecrackerVsockTransport;
import dev.pyro.guest.transport.UnixSocketTransport;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the host reaches a VM's guest agent; each kind opens its own transport. A method of
 * each kind rather than a pattern {@code switch} over them: every CLI call on a workspace
 * opens one, and a pattern switch spins a class at run time on its first use
 * (docs/performance.md, "CLI start-up").
 */
public sealed interface AgentEndpoint {
    /**
     * Opens a transport to the agent (no handshake), waiting at most {@code timeout} for the
     * socket to accept.
     *
     * @throws dev.pyro.PyroException {@link dev.pyro.ErrorCode#AGENT_UNAVAILABLE} when no
     *     connection was made, {@link dev.pyro.ErrorCode#BUSY} when every port of a pool is leased
     */
    AgentTransport open(Duration timeout);

    /** A Unix socket carrying the agent stream directly (QEMU's virtio-serial chardev). */
    record UnixSocket(Path path) implements AgentEndpoint {
        @Override
        public AgentTransport open(Duration timeout) {
            return UnixSocketTransport.connect(path, timeout);
        }
    }

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

        /** Leases the first free port ({@link AgentPortLeases}) and connects to it. */
        @Override
        public AgentTransport open(Duration timeout) {
            return AgentPortLeases.lease(this, timeout);
        }
    }

    /** Firecracker's vsock Unix socket: write {@code CONNECT <port>\n} before the stream. */
    record VsockUds(Path path, int port) implements AgentEndpoint {
        @Override
        public AgentTransport open(Duration timeout) {
            return FirecrackerVsockTransport.connect(path, port, timeout);
        }
    }
}
