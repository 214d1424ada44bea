package dev.pyro.vm;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.transport.AgentTransport;
import dev.pyro.guest.transport.UnixSocketTransport;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Leases a free port of an {@link AgentEndpoint.UnixSocketPool}: an OS lock on the port's lock
 * file, held by the transport until it closes, so one host at a time uses each port, across
 * processes and threads alike.
 */
final class AgentPortLeases {
    /**
     * The lock-file channels this process holds, by lock file. POSIX record locks belong to the
     * process, and closing <em>any</em> descriptor of a file releases them all: probing a port
     * this process already holds (open, tryLock, close) would silently free it for other
     * processes while its connection is still in use, and their connect would then queue
     * behind it until the handshake times out. So held ports are skipped without opening them.
     */
    private static final Map<Path, FileChannel> HELD = new HashMap<>();

    private AgentPortLeases() {
    }

    /**
     * Connects to the first free port of the pool. {@code tryLock} never waits, so a busy port
     * is skipped, and so is one this process holds ({@link #HELD}).
     *
     * @throws PyroException {@link ErrorCode#BUSY} when every port is leased,
     *                       {@link ErrorCode#AGENT_UNAVAILABLE} when a lock file cannot be used
     *                       or the connection fails
     */
    static AgentTransport lease(AgentEndpoint.UnixSocketPool pool, Duration timeout) {
        for (Path socket : pool.sockets()) {
            Path lockFile = AgentEndpoint.UnixSocketPool.lockFile(socket);
            FileChannel channel = null;
            try {
                synchronized (HELD) {
                    HELD.values().removeIf(c -> !c.isOpen());
                    if (HELD.containsKey(lockFile)) {
                        continue;
                    }
                    channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.tryLock();
                    if (lock == null) {
                        channel.close(); // safe: this process holds no lock on it
                        continue;
                    }
                    HELD.put(lockFile, channel);
                }
                return UnixSocketTransport.connect(socket, timeout, channel);
            } catch (OverlappingFileLockException busy) {
                closeQuietly(channel);
            } catch (IOException e) {
                closeQuietly(channel);
                throw new PyroException(ErrorCode.AGENT_UNAVAILABLE, "cannot lease agent port " + socket + ": "
                        + e.getMessage(), e);
            }
        }
        throw new PyroException(ErrorCode.BUSY, "all " + pool.sockets().size()
                + " agent ports of the VM are in use by other pyro clients; retry when one finishes");
    }

    private static void closeQuietly(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // releasing the descriptor is all that matters
            }
        }
    }
}
