package dev.pyro.guest.transport;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A connection to a guest vsock port through Firecracker's host-side Unix socket: connect,
 * write {@code CONNECT <port>\n}, read {@code OK <hostport>\n}, then the byte stream is the
 * agent's (protocol §8).
 *
 * <p>Firecracker closes the socket right away when nothing listens on the guest port yet
 * (the agent is still booting); that case is retried until the deadline. Any other answer
 * is an error at once.
 */
public final class FirecrackerVsockTransport implements AgentTransport {
    /** The guest port the agent listens on. */
    public static final int AGENT_PORT = 5252;

    private static final int MAX_REPLY = 64;
    private static final Pattern OK_LINE = Pattern.compile("OK [0-9]{1,10}");
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pyro-vsock-connect-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final Path udsPath;
    private final int port;
    private final long hostPort;
    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;

    private FirecrackerVsockTransport(Path udsPath, int port, long hostPort, SocketChannel channel) {
        this.udsPath = udsPath;
        this.port = port;
        this.hostPort = hostPort;
        this.channel = channel;
        this.in = SocketChannelStreams.input(channel);
        this.out = SocketChannelStreams.output(channel);
    }

    /** Connects to the agent's port {@link #AGENT_PORT}. */
    public static FirecrackerVsockTransport connect(Path udsPath, Duration timeout) {
        return connect(udsPath, AGENT_PORT, timeout);
    }

    /**
     * Connects to guest vsock {@code port} through Firecracker's socket at {@code udsPath}.
     *
     * @throws PyroException {@link ErrorCode#AGENT_UNAVAILABLE} when the socket cannot be
     *     reached or the guest port does not accept in time, or
     *     {@link ErrorCode#AGENT_PROTOCOL_ERROR} when Firecracker answers something other than
     *     {@code OK <port>}
     */
    public static FirecrackerVsockTransport connect(Path udsPath, int port, Duration timeout) {
        if (port <= 0) {
            throw new IllegalArgumentException("vsock port must be positive: " + port);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        long backoffMs = 10;
        String lastProblem = "no attempt";
        while (true) {
            SocketChannel ch;
            try {
                ch = SocketChannelStreams.connectUnix(udsPath, deadline);
            } catch (IOException e) {
                throw new PyroException(ErrorCode.AGENT_UNAVAILABLE, "cannot connect to the Firecracker vsock socket "
                        + udsPath + ": " + e.getMessage(), e);
            }
            String reply;
            try {
                reply = handshake(ch, port, deadline);
            } catch (IOException e) {
                closeQuietly(ch);
                reply = null;
                lastProblem = e.getMessage();
            }
            if (reply != null && OK_LINE.matcher(reply).matches()) {
                return new FirecrackerVsockTransport(udsPath, port, Long.parseLong(reply.substring(3)), ch);
            }
            if (reply != null && !reply.isEmpty()) {
                closeQuietly(ch);
                throw new PyroException(ErrorCode.AGENT_PROTOCOL_ERROR, "Firecracker vsock socket " + udsPath
                        + " answered \"" + printable(reply) + "\" to CONNECT " + port + " (expected \"OK <port>\")");
            }
            if (reply != null) {
                closeQuietly(ch);
                lastProblem = "connection closed before a reply (nothing listens on guest port " + port + " yet)";
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new PyroException(ErrorCode.AGENT_UNAVAILABLE, "guest vsock port " + port + " behind "
                        + udsPath + " did not accept within " + timeout.toMillis() + " ms: " + lastProblem);
            }
            sleep(backoffMs);
            backoffMs = Math.min(backoffMs * 2, 200);
        }
    }

    /**
     * Sends CONNECT and reads the reply line without reading past its newline (what follows
     * belongs to the agent). Returns the line without {@code \n}; an empty string when the
     * peer closed first. The read is bounded in time by closing the channel at the deadline.
     */
    private static String handshake(SocketChannel ch, int port, long deadline) throws IOException {
        long remaining = Math.max(1, deadline - System.nanoTime());
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> closeQuietly(ch), remaining, TimeUnit.NANOSECONDS);
        try {
            ByteBuffer req = ByteBuffer.wrap(("CONNECT " + port + "\n").getBytes(StandardCharsets.US_ASCII));
            while (req.hasRemaining()) {
                ch.write(req);
            }
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            ByteBuffer one = ByteBuffer.allocate(1);
            while (true) {
                one.clear();
                int n = ch.read(one);
                if (n < 0) {
                    return line.size() == 0 ? "" : line.toString(StandardCharsets.ISO_8859_1) + " (then closed)";
                }
                if (n == 0) {
                    continue;
                }
                byte b = one.get(0);
                if (b == '\n') {
                    return line.toString(StandardCharsets.ISO_8859_1);
                }
                line.write(b);
                if (line.size() > MAX_REPLY) {
                    return line.toString(StandardCharsets.ISO_8859_1) + "...";
                }
            }
        } finally {
            watchdog.cancel(false);
        }
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return sb.toString();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms); // bounded retry while the guest agent starts listening
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PyroException(ErrorCode.CANCELLED, "interrupted while connecting to the guest agent");
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** The host-side port Firecracker reported in {@code OK <port>}. */
    public long hostPort() {
        return hostPort;
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
        return "vsock:" + udsPath + ":" + port;
    }

    /** Closes the socket in both directions at once (never a half-close). */
    @Override
    public void close() {
        closeQuietly(channel);
    }
}
