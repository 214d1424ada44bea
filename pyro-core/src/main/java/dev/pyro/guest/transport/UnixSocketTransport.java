package dev.pyro.guest.transport;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A Unix-domain socket to the agent: QEMU's {@code -chardev socket} behind the guest's
 * virtio-serial port, or an agent started with {@code --listen-unix PATH}.
 */
public final class UnixSocketTransport implements AgentTransport {
    private final Path path;
    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;
    private final java.io.Closeable lease;

    private UnixSocketTransport(Path path, SocketChannel channel, java.io.Closeable lease) {
        this.path = path;
        this.channel = channel;
        this.lease = lease;
        this.in = SocketChannelStreams.input(channel);
        this.out = SocketChannelStreams.output(channel);
    }

    /**
     * Connects to {@code path}, retrying while the socket does not exist yet or refuses
     * connections (the VMM or agent is still starting), for at most {@code connectTimeout}.
     *
     * @throws PyroException {@link ErrorCode#AGENT_UNAVAILABLE} when no connection was made in time
     */
    public static UnixSocketTransport connect(Path path, Duration connectTimeout) {
        return connect(path, connectTimeout, () -> { });
    }

    /**
     * Like {@link #connect(Path, Duration)}, and releases {@code lease} (e.g. the lock on a
     * shared port) when the transport is closed, or at once if the connection fails.
     */
    public static UnixSocketTransport connect(Path path, Duration connectTimeout, java.io.Closeable lease) {
        long deadline = System.nanoTime() + connectTimeout.toNanos();
        try {
            return new UnixSocketTransport(path, SocketChannelStreams.connectUnix(path, deadline), lease);
        } catch (IOException e) {
            release(lease);
            throw new PyroException(ErrorCode.AGENT_UNAVAILABLE,
                    "cannot connect to the agent socket " + path + " within " + connectTimeout.toMillis()
                            + " ms: " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream input() {
        return in;
    }

    @Override
    public OutputStream output() {
        return out;
    }

    @Override
    public String describe() {
        return "unix:" + path;
    }

    /** Closes the socket in both directions at once (never a half-close). */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing useful to do: the descriptor is released either way
        }
        release(lease);
    }

    private static void release(java.io.Closeable lease) {
        try {
            lease.close();
        } catch (IOException ignored) {
            // a lock is dropped with its descriptor in any case
        }
    }
}
