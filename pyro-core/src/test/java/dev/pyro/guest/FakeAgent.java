package dev.pyro.guest;

import dev.pyro.guest.protocol.Decoded;
import dev.pyro.guest.protocol.Frame;
import dev.pyro.guest.protocol.FrameCodec;
import dev.pyro.guest.protocol.FrameDecoder;
import dev.pyro.guest.protocol.FrameType;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * A scripted agent on a Unix socket, for testing client behaviour the real agent cannot be
 * made to show on demand (lost HELLOs, credit violations, odd errors). Tests read the frames
 * the client sent from {@link #next} and answer with {@link #send}.
 */
final class FakeAgent implements AutoCloseable {
    final Path socket;
    private final ServerSocketChannel server;
    private final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
    private volatile SocketChannel conn;
    private Thread reader;
    /** The HELLO {@link #handshake} answered. */
    volatile Frame lastHello;

    FakeAgent(Path dir) throws IOException {
        socket = dir.resolve("fake-agent.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread.ofPlatform().daemon().name("fake-agent-accept").start(this::acceptOne);
    }

    private void acceptOne() {
        try {
            conn = server.accept();
            reader = Thread.currentThread();
            FrameDecoder d = new FrameDecoder();
            ByteBuffer buf = ByteBuffer.allocate(1 << 17);
            while (conn.read(buf.clear()) >= 0) {
                int off = 0;
                while (off < buf.position()) {
                    off += d.feed(buf.array(), off, buf.position() - off);
                    Decoded x;
                    while ((x = d.next()) != null) {
                        if (x instanceof Decoded.FrameReady(Frame f)) {
                            received.add(f);
                        }
                    }
                }
            }
        } catch (IOException e) {
            // connection closed
        }
    }

    /**
     * The next frame the client sent, waiting up to 30 s; fails the test on timeout. The limit
     * only bounds how long a broken test hangs: a client's first frames in a fresh JVM come
     * after the connection stack's classes load, which took over 5 s on the loaded 2-core
     * host (a class's first test failed its handshake in 1 of 3 JVMs at load 17).
     */
    Frame next() throws InterruptedException {
        Frame f = received.poll(30, TimeUnit.SECONDS);
        if (f == null) {
            throw new AssertionError("the client sent no frame within 30 s");
        }
        return f;
    }

    /** The next frame of a type, skipping others (CREDIT and the like). */
    Frame next(FrameType type) throws InterruptedException {
        while (true) {
            Frame f = next();
            if (f.type() == type) {
                return f;
            }
        }
    }

    /** The next frame if one arrives within {@code ms}, else null. */
    Frame poll(long ms) throws InterruptedException {
        return received.poll(ms, TimeUnit.MILLISECONDS);
    }

    /**
     * A barrier for checks that the client has sent nothing: sends a PING with a fresh payload
     * and reads until the client's PONG to it. The client answers in order on its one
     * connection, so the first frame other than HELLO that came before the PONG is what it sent
     * too early (returned), and null means it sent nothing before it handled the PING. A HELLO
     * resend racing the handshake's answer is legal (protocol §4) and skipped. No clock: the
     * check waits for the client's answer, however slow the machine.
     */
    Frame sentBeforeBarrier() throws Exception {
        byte[] token = new byte[16];
        new java.security.SecureRandom().nextBytes(token);
        send(new Frame(FrameType.PING, 0, 0, token));
        Frame early = null;
        while (true) {
            Frame f = next();
            if (f.type() == FrameType.PONG && java.util.Arrays.equals(f.payload(), token)) {
                return early;
            }
            if (early == null && f.type() != FrameType.HELLO) {
                early = f;
            }
        }
    }

    void send(Frame f) throws IOException {
        ByteBuffer b = FrameCodec.encode(f);
        synchronized (this) {
            while (b.hasRemaining()) {
                conn.write(b);
            }
        }
    }

    /** Bytes as they are, for frames {@link FrameCodec#encode} cannot make (unknown types). */
    void sendRaw(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        synchronized (this) {
            while (b.hasRemaining()) {
                conn.write(b);
            }
        }
    }

    void sendJson(FrameType type, int stream, String json) throws IOException {
        send(Frame.text(type, stream, json));
    }

    /** Reads HELLOs until one arrives and answers it like the real agent. */
    JsonNode handshake() throws Exception {
        return handshake("exec");
    }

    /** {@link #handshake()} announcing these capabilities. */
    JsonNode handshake(String... capabilities) throws Exception {
        Frame hello = next(FrameType.HELLO);
        lastHello = hello;
        JsonNode h = Json.parseObject(hello.payload(), "hello");
        String caps = String.join(",", java.util.Arrays.stream(capabilities).map(c -> "\"" + c + "\"").toList());
        sendJson(FrameType.HELLO, 0, "{\"protocol\":1,\"reply_to\":\"" + h.get("nonce").stringValue()
                + "\",\"agent_version\":\"fake\",\"pid\":7,\"mode\":\"dev\",\"capabilities\":[" + caps + "],"
                + "\"max_frame\":1048576,\"window\":262144,\"boot_ms\":5}");
        return h;
    }

    /** Drops the connection abruptly (both directions). */
    void disconnect() throws IOException {
        conn.close();
    }

    @Override
    public void close() throws IOException {
        if (conn != null) {
            conn.close();
        }
        server.close();
        if (reader != null) {
            reader.interrupt();
        }
    }
}
