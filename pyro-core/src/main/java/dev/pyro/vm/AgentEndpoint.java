package dev.pyro.vm;

import java.nio.file.Path;

/** Where the host reaches a VM's guest agent; the runtime turns it into a transport. */
public sealed interface AgentEndpoint {
    /** A Unix socket carrying the agent stream directly (QEMU's virtio-serial chardev). */
    record UnixSocket(Path path) implements AgentEndpoint {}

    /** Firecracker's vsock Unix socket: write {@code CONNECT <port>\n} before the stream. */
    record VsockUds(Path path, int port) implements AgentEndpoint {}
}
