package dev.pyro.cli.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The exec server: a resident pyro process that runs {@code pyro workspace exec} calls for
 * CLI processes of the same user, code and configuration ({@link ServerAddress}), so that
 * each such call costs a JVM start and a round trip rather than a JVM start and all of
 * pyro's own start-up (docs/performance.md, "The exec server"). It keeps no state of its own:
 * every call runs as in the caller's process would (records, journal and locks on disk), and
 * the call's journal writes are on disk before the caller is told its exit status.
 *
 * <p>It listens on the loopback address and admits only clients that present the token of its
 * endpoint file ({@link Endpoint}). It exits after {@link ServerAddress#IDLE_SECONDS} without a
 * call (default {@link #DEFAULT_IDLE}), or within a second of its endpoint file being removed
 * or taken over (the state directory was deleted, or another server replaced it) or of its
 * class path changing (a rebuild: a new build has its own server).
 */
public final class ExecServer {
    /** How long a server waits for its next call before it exits. */
    static final Duration DEFAULT_IDLE = Duration.ofMinutes(15);
    /** How long a connection may take to send its request. */
    static final Duration REQUEST_WAIT = Duration.ofSeconds(10);
    /**
     * Connections served at once; one more is closed at once (its caller runs the call itself).
     * The port is open to every local user: this bounds what connections without a token can hold.
     */
    static final int MAX_CONNECTIONS = 64;
    private static final Duration WATCH_EVERY = Duration.ofSeconds(1);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private final ServerAddress address;
    private final Duration idle;
    private final CountDownLatch listening = new CountDownLatch(1);
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicLong lastCallEnded = new AtomicLong(System.nanoTime());
    private final KeptPyros pyros = new KeptPyros();
    /** Set by the watchdog when the class path changed under the server. */
    private volatile boolean codeChanged;

    ExecServer(ServerAddress address, Duration idle) {
        this.address = address;
        this.idle = idle;
    }

    /** Started by a CLI process ({@link ServerSpawn}) with the caller's environment and class path; exits when idle. */
    public static void main(String[] args) {
        Optional<ServerAddress> address = ServerAddress.of(System.getenv(), System.getProperties());
        if (address.isEmpty()) {
            System.err.println("pyro exec server: switched off (" + ServerAddress.SWITCH + "); exiting");
            System.exit(2);
        }
        try {
            new ExecServer(address.get(), idle(System.getenv(ServerAddress.IDLE_SECONDS))).serve();
        } catch (IOException | RuntimeException e) {
            System.err.println("pyro exec server: " + e);
            System.exit(1);
        }
        System.exit(0);
    }

    static Duration idle(String seconds) {
        if (seconds == null || seconds.isBlank()) {
            return DEFAULT_IDLE;
        }
        try {
            long s = Long.parseLong(seconds.strip());
            return s > 0 ? Duration.ofSeconds(s) : DEFAULT_IDLE;
        } catch (NumberFormatException e) {
            return DEFAULT_IDLE;
        }
    }

    /**
     * Serves {@code address} from this process, on a daemon thread, until the process ends; returns
     * once it listens, false if it could not. The class-data training runs its exec through it, so
     * the archive holds the client's, the server's and the exec's classes (dev.pyro.cli.Main).
     */
    public static boolean serveInBackground(ServerAddress address) {
        ExecServer server = new ExecServer(address, Duration.ofDays(1));
        Thread.ofPlatform().daemon().name("pyro-exec-server").start(() -> {
            try {
                server.serve();
            } catch (IOException | RuntimeException e) {
                System.err.println("pyro exec server: " + e);
            } finally {
                server.listening.countDown();
            }
        });
        try {
            server.listening.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return Files.exists(address.endpoint(), LinkOption.NOFOLLOW_LINKS);
    }

    /** Serves until idle or displaced; returns at once when another server holds the lock. */
    void serve() throws IOException {
        privateDirectory(address.endpoint().getParent());
        try (FileChannel lockFile = FileChannel.open(address.lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = tryLock(lockFile)) {
            if (lock == null) {
                return; // another server for this key is up (or starting)
            }
            try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                Endpoint endpoint = Endpoint.fresh(server.getLocalPort());
                endpoint.write(address.endpoint());
                try {
                    System.err.println("pyro exec server " + ProcessHandle.current().pid() + ": serving "
                            + address.endpoint() + " on port " + endpoint.port());
                    listening.countDown();
                    String code = ServerAddress.key(System.getenv(), System.getProperties());
                    Thread watchdog = Thread.ofPlatform().daemon().name("pyro-server-watch")
                            .start(() -> watch(server, endpoint, code));
                    accept(server, endpoint);
                    watchdog.interrupt();
                    if (codeChanged) {
                        // Its jar was rebuilt under it: a class it has not loaded yet may be
                        // gone, so it leaves its connections to the end of the process.
                        return;
                    }
                    awaitCalls();
                    pyros.closeAll();
                } finally {
                    // Only the lock holder removes the endpoint, and only its own.
                    if (endpoint.equals(readOrNull(address.endpoint()))) {
                        Files.deleteIfExists(address.endpoint());
                    }
                }
            }
        }
    }

    /** Connections being served now. */
    int activeConnections() {
        return active.get();
    }

    private static FileLock tryLock(FileChannel file) throws IOException {
        try {
            return file.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return null; // held by a server in this process (the class-data training's)
        }
    }

    /** Lets the calls still running end (bounded: each is the caller's, and it waits for it). */
    private void awaitCalls() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (active.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void accept(ServerSocket server, Endpoint endpoint) {
        while (true) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return; // closed by the watchdog
            }
            if (active.incrementAndGet() > MAX_CONNECTIONS) {
                active.decrementAndGet();
                try {
                    socket.close();
                } catch (IOException e) {
                    // closed either way
                }
                continue;
            }
            Thread.ofPlatform().daemon().name("pyro-served-call").start(() -> {
                try {
                    new ServedCall(socket, endpoint, address.key(), pyros).run();
                } finally {
                    lastCallEnded.set(System.nanoTime());
                    active.decrementAndGet();
                }
            });
        }
    }

    /** Closes the server once it has been idle long enough, or once it is no longer the one its callers find. */
    private void watch(ServerSocket server, Endpoint endpoint, String code) {
        try {
            while (true) {
                Thread.sleep(WATCH_EVERY);
                String why = null;
                if (!endpoint.equals(readOrNull(address.endpoint()))) {
                    why = "its endpoint file is gone or another server's";
                } else if (!ServerAddress.key(System.getenv(), System.getProperties()).equals(code)) {
                    why = "its class path changed";
                    codeChanged = true;
                } else if (active.get() == 0 && System.nanoTime() - lastCallEnded.get() > idle.toNanos()) {
                    why = "idle for " + idle.toSeconds() + " s";
                }
                trimLog();
                if (why != null) {
                    System.err.println("pyro exec server " + ProcessHandle.current().pid() + ": " + why + "; exiting");
                    server.close();
                    return;
                }
            }
        } catch (InterruptedException | IOException e) {
            // the server is closing anyway
        }
    }

    /**
     * Empties the log once it passes {@link ServerSpawn#MAX_LOG}: a server that runs for days
     * must not fill the disk with what pyro logged. Its stderr appends, so it writes on at the
     * start of the emptied file.
     */
    private void trimLog() {
        try (FileChannel log = FileChannel.open(address.log(), StandardOpenOption.WRITE)) {
            if (log.size() > ServerSpawn.MAX_LOG) {
                log.truncate(0);
                System.err.println("pyro exec server " + ProcessHandle.current().pid() + ": log emptied past "
                        + ServerSpawn.MAX_LOG + " bytes");
            }
        } catch (IOException e) {
            // no log (a server in the training's process), or none to trim
        }
    }

    private static Endpoint readOrNull(Path file) {
        try {
            return Endpoint.read(file);
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code dir}, created if missing; refused unless it is a directory of this user's that only this user can enter. */
    static Path privateDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // made meanwhile: checked below like any other
            }
        }
        PosixFileAttributes attrs = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String self = System.getProperty("user.name");
        if (!attrs.isDirectory() || !attrs.permissions().equals(OWNER_ONLY) || !attrs.owner().getName().equals(self)) {
            throw new IOException(dir + " must be a directory of " + self + "'s with mode 700 (it is "
                    + (attrs.isDirectory() ? PosixFilePermissions.toString(attrs.permissions()) + ", owned by "
                    + attrs.owner().getName() : "no directory") + ")");
        }
        return dir;
    }
}
