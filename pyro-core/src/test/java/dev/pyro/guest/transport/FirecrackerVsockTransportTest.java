package dev.pyro.guest.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.AgentBinary;
import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.ExecRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Firecracker's host-side vsock socket, faked: a Unix socket server that speaks the
 * {@code CONNECT}/{@code OK} preamble and then relays to a real agent on its stdio.
 */
@Timeout(60)
class FirecrackerVsockTransportTest {
    @TempDir
    Path base;
    ServerSocketChannel server;
    final List<Process> agents = new CopyOnWriteArrayList<>();
    final List<String> requests = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        for (Process p : agents) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** What the fake does with one accepted connection after reading the CONNECT line. */
    interface Behaviour {
        void handle(SocketChannel ch, String request, int connectionNumber) throws IOException;
    }

    private Path fakeFirecracker(Behaviour behaviour) throws IOException {
        Path sock = base.resolve("v.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(sock));
        AtomicInteger count = new AtomicInteger();
        Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    SocketChannel ch = server.accept();
                    int n = count.incrementAndGet();
                    Thread.ofVirtual().start(() -> {
                        try {
                            String line = readLine(ch);
                            requests.add(line);
                            behaviour.handle(ch, line, n);
                        } catch (IOException e) {
                            // the client went away
                        }
                    });
                }
            } catch (IOException e) {
                // server closed
            }
        });
        return sock;
    }

    private static String readLine(SocketChannel ch) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            one.clear();
            if (ch.read(one) < 0) {
                return line.toString(StandardCharsets.US_ASCII);
            }
            if (one.get(0) == '\n') {
                return line.toString(StandardCharsets.US_ASCII);
            }
            line.write(one.get(0));
        }
    }

    private static void write(SocketChannel ch, String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Answers OK and relays bytes both ways to a fresh agent process on its stdio. */
    private void relayToAgent(SocketChannel ch) throws IOException {
        write(ch, "OK 1073741824\n");
        Path root = Files.createDirectories(base.resolve("ws"));
        Process p = new ProcessBuilder(AgentBinary.extract().toString(), "--dev", "--root", root.toString(), "--stdio")
                .redirectError(base.resolve("agent.log").toFile()).start();
        agents.add(p);
        InputStream fromSocket = Channels.newInputStream(ch);
        OutputStream toSocket = Channels.newOutputStream(ch);
        Thread.ofVirtual().start(() -> copy(fromSocket, p.getOutputStream()));
        copy(p.getInputStream(), toSocket);
    }

    private static void copy(InputStream in, OutputStream out) {
        byte[] buf = new byte[65536];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            try {
                out.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    @Test
    void connectsThroughThePreambleAndSpeaksToTheAgent() throws Exception {
        Path sock = fakeFirecracker((ch, req, n) -> relayToAgent(ch));
        FirecrackerVsockTransport t = FirecrackerVsockTransport.connect(sock, Duration.ofSeconds(5));
        assertThat(t.hostPort()).isEqualTo(1073741824L);
        try (AgentConnection c = AgentConnection.connect(t)) {
            assertThat(c.exec().run(ExecRequest.of("echo", "via vsock")).stdoutText()).isEqualTo("via vsock\n");
            assertThat(c.ping()).isPositive();
        }
        assertThat(requests).containsExactly("CONNECT 5252");
    }

    @Test
    void retriesWhileTheGuestPortIsNotListeningYet() throws Exception {
        // Firecracker closes the connection when nothing listens on the guest port.
        Path sock = fakeFirecracker((ch, req, n) -> {
            if (n < 3) {
                ch.close();
            } else {
                relayToAgent(ch);
            }
        });
        try (AgentConnection c = AgentConnection.connect(FirecrackerVsockTransport.connect(sock, Duration.ofSeconds(10)))) {
            assertThat(c.ping()).isPositive();
        }
        assertThat(requests).hasSize(3).containsOnly("CONNECT 5252");
    }

    @Test
    void aGarbageAnswerIsAClearErrorAtOnce() throws Exception {
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        Path sock = fakeFirecracker((ch, req, n) -> {
            attempts.add(n);
            write(ch, "HTTP/1.1 400 Bad\r\n");
        });
        assertThatThrownBy(() -> FirecrackerVsockTransport.connect(sock, Duration.ofSeconds(10)))
                .isInstanceOf(PyroException.class)
                .satisfies(e -> assertThat(((PyroException) e).code()).isEqualTo(ErrorCode.AGENT_PROTOCOL_ERROR))
                .hasMessageContaining("HTTP/1.1 400 Bad\\x0d").hasMessageContaining("CONNECT 5252");
        // "At once": the one answer ended the connect; it did not retry until its 10 s deadline.
        assertThat(attempts).hasSize(1);
    }

    @Test
    void aSilentPeerTimesOut() throws Exception {
        Path sock = fakeFirecracker((ch, req, n) -> {
            // read the request, answer nothing, keep the connection open
        });
        assertThatThrownBy(() -> FirecrackerVsockTransport.connect(sock, Duration.ofMillis(500)))
                .isInstanceOf(PyroException.class)
                .satisfies(e -> assertThat(((PyroException) e).code()).isEqualTo(ErrorCode.AGENT_UNAVAILABLE));
    }

    @Test
    void aMissingSocketIsAgentUnavailable() {
        assertThatThrownBy(() -> FirecrackerVsockTransport.connect(base.resolve("none.sock"), Duration.ofMillis(200)))
                .isInstanceOf(PyroException.class)
                .satisfies(e -> assertThat(((PyroException) e).code()).isEqualTo(ErrorCode.AGENT_UNAVAILABLE));
    }
}
