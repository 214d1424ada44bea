package dev.pyro.vm;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.AgentConnectionOptions;
import dev.pyro.guest.transport.AgentTransport;
import dev.pyro.guest.transport.FirecrackerVsockTransport;
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
 * Connects to a VM's guest agent and completes the handshake, turning the many ways a
 * boot can fail (VMM gone, guest silent, kernel panic) into one clear error that carries
 * the tail of the guest console.
 */
public final class GuestConnector {
    private GuestConnector() {
    }

    /**
     * A handshaken client, or {@link ErrorCode#VM_BOOT_FAILED} with the console tail. A
     * successful handshake ends the boot: the VM's console capture stops
     * ({@link VmInstance#guestReady}).
     */
    public static AgentConnection connect(VmInstance vm, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        AgentTransport transport = null;
        try {
            transport = open(vm.agentEndpoint(), timeout);
            Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), Duration.ofSeconds(1).toNanos()));
            AgentConnection agent = AgentConnection.connect(transport,
                    AgentConnectionOptions.defaults().withHandshakeTimeout(left));
            vm.guestReady();
            return agent;
        } catch (PyroException e) {
            closeQuietly(transport);
            throw bootFailure(vm, timeout, e);
        }
    }

    /** Opens a transport for an endpoint (no handshake). */
    public static AgentTransport open(AgentEndpoint endpoint, Duration timeout) {
        return switch (endpoint) {
            case AgentEndpoint.UnixSocket u -> UnixSocketTransport.connect(u.path(), timeout);
            case AgentEndpoint.VsockUds v -> FirecrackerVsockTransport.connect(v.path(), v.port(), timeout);
            case AgentEndpoint.UnixSocketPool pool -> openLeased(pool, timeout);
        };
    }

    /**
     * The lock-file channels this process holds, by lock file. POSIX record locks belong to the
     * process, and closing <em>any</em> descriptor of a file releases them all: probing a port
     * this process already holds (open, tryLock, close) would silently free it for other
     * processes while its connection is still in use, and their connect would then queue
     * behind it until the handshake times out. So held ports are skipped without opening them.
     */
    private static final Map<Path, FileChannel> HELD = new HashMap<>();

    /**
     * Leases the first free port of the pool: an OS lock on the port's lock file, held by
     * the transport until it closes. {@code tryLock} never waits, so a busy port is skipped,
     * and so is one this process holds ({@link #HELD}).
     */
    private static AgentTransport openLeased(AgentEndpoint.UnixSocketPool pool, Duration timeout) {
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

    private static PyroException bootFailure(VmInstance vm, Duration timeout, PyroException cause) {
        // A VMM that is gone explains itself, boot console included; a live one only has its console.
        String why = vm.isAlive()
                ? "the guest agent did not answer within " + timeout.toSeconds() + " s (" + cause.getMessage() + ")"
                        + ConsoleLog.bootSummary(vm.consoleLog(), 6)
                : vm.exitReason().orElse("the VMM exited");
        return new PyroException(ErrorCode.VM_BOOT_FAILED, "VM " + vm.vmId() + " did not become ready: " + why, cause);
    }

    private static void closeQuietly(AgentTransport t) {
        if (t != null) {
            try {
                t.close();
            } catch (RuntimeException ignored) {
                // already failing; the boot error is what matters
            }
        }
    }
}
