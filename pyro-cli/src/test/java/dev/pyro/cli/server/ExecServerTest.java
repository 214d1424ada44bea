package dev.pyro.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exec server and its client in this JVM, with calls that need no VM (an unknown
 * workspace, usage errors): what the caller sees is what an in-process call prints, and a
 * connection that is not a client's changes nothing. Served execs on a real guest, killed
 * callers and killed servers: {@code ExecServerGuestTest}.
 */
class ExecServerTest {
    @TempDir
    Path dir;

    private ServerAddress address;
    private ExecServer server;
    private CompletableFuture<Void> serving;

    @BeforeEach
    void start() throws Exception {
        address = new ServerAddress(dir.resolve("run/cli-test.endpoint"), "the key");
        server = new ExecServer(address, Duration.ofMinutes(5));
        serving = serve(server);
        awaitEndpoint();
    }

    @AfterEach
    void stop() throws Exception {
        Files.deleteIfExists(address.endpoint()); // the server notices within a second and ends
        serving.get(10, TimeUnit.SECONDS);
    }

    /** Threads of their own: the common pool may have one thread on a small machine. */
    private static final java.util.concurrent.ExecutorService THREADS = java.util.concurrent.Executors.newCachedThreadPool(
            r -> Thread.ofPlatform().daemon().unstarted(r));

    private static CompletableFuture<Void> serve(ExecServer s) {
        return CompletableFuture.runAsync(() -> {
            try {
                s.serve();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, THREADS);
    }

    private void awaitEndpoint() throws InterruptedException {
        for (int i = 0; i < 200 && !Files.exists(address.endpoint()); i++) {
            Thread.sleep(25);
        }
        assertThat(address.endpoint()).exists();
    }

    /** One call through the client: exit status, stdout, stderr. */
    private record Served(int status, String out, String err) {}

    private Served call(ServerAddress to, InputStream stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new ExecClient(to, new Properties()).run(args, Optional.of("pipe:[1]"), "", Map.of(), stdin, out,
                err);
        return new Served(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Served call(String... args) {
        return call(address, new ByteArrayInputStream(new byte[0]), args);
    }

    @Test
    void aServedCallPrintsAndEndsAsAnInProcessOneWould() {
        Served missing = call("workspace", "exec", "ws-nosuch", "--", "true");
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.err()).contains("workspace_not_found").contains("ws-nosuch");

        Served json = call("workspace", "exec", "ws-nosuch", "--json", "--", "true");
        assertThat(json.status()).isEqualTo(1);
        assertThat(json.out()).contains("\"code\" : \"workspace_not_found\"");

        Served usage = call("workspace", "exec", "--no-such-flag", "ws-1", "--", "true");
        assertThat(usage.status()).isEqualTo(2);
        assertThat(usage.err()).contains("no-such-flag").contains("Try 'pyro workspace exec --help'.");

        Served help = call("workspace", "exec", "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("Usage: pyro workspace exec");
        assertThat(help.out()).doesNotContain("\u001b["); // the caller's stdout is no terminal: no colours

        // The caller's stdout decides, not the server's (a log file): on a terminal, colours.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ExecClient(address, new Properties()).run(new String[] {"workspace", "exec", "--help"}, Optional.empty(),
                "/dev/pts/9", Map.of(), InputStream.nullInputStream(), out, new ByteArrayOutputStream());
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\u001b[");
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        new ExecClient(address, new Properties()).run(new String[] {"workspace", "exec", "--help"}, Optional.empty(),
                "/dev/pts/9", Map.of("NO_COLOR", "1"), InputStream.nullInputStream(), plain,
                new ByteArrayOutputStream());
        assertThat(plain.toString(StandardCharsets.UTF_8)).contains("Usage:").doesNotContain("\u001b[");
    }

    @Test
    void aCallerWhoseOutputIsGoneStillGetsTheCallsStatus() {
        java.io.OutputStream broken = new java.io.OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        int status = new ExecClient(address, new Properties()).run(
                new String[] {"workspace", "exec", "ws-nosuch", "--", "true"}, Optional.empty(), "", Map.of(),
                InputStream.nullInputStream(), broken, broken);
        assertThat(status).as("the call's own status, not 'the server ended'").isEqualTo(1);
    }

    @Test
    void manyCallsAtOnceAreEachTheirOwn() throws Exception {
        List<CompletableFuture<Served>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String id = "ws-n" + i;
            calls.add(CompletableFuture.supplyAsync(() -> call("workspace", "exec", id, "--", "true"), THREADS));
        }
        for (int i = 0; i < 8; i++) {
            Served s = calls.get(i).get(60, TimeUnit.SECONDS);
            assertThat(s.status()).isEqualTo(1);
            assertThat(s.err()).contains("ws-n" + i).doesNotContain("ws-n" + ((i + 1) % 8));
        }
    }

    @Test
    void anotherKeyIsRefusedAndTheCallerRunsItItself() throws IOException {
        ServerAddress other = new ServerAddress(address.endpoint(), "another key");
        assertThat(call(other, new ByteArrayInputStream(new byte[0]), "workspace", "exec", "ws-1", "--", "true")
                .status()).isEqualTo(ExecClient.NOT_SERVED);
        assertThat(call("workspace", "exec", "ws-x", "--", "true").status()).isEqualTo(1); // still serving
    }

    @Test
    void noServerMeansNotServedAndAServerWanted() throws IOException {
        ServerAddress none = new ServerAddress(dir.resolve("run/cli-none.endpoint"), "k");
        ExecClient client = new ExecClient(none, new Properties());
        assertThat(client.run(new String[] {"workspace", "exec", "x"}, Optional.empty(), "", Map.of(),
                InputStream.nullInputStream(), OutputStream(), OutputStream())).isEqualTo(ExecClient.NOT_SERVED);
        assertThat(client.wantsServer()).as("no endpoint file: start one").isTrue();

        // An endpoint file whose server is gone: the port refuses.
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Endpoint.fresh(closedPort).write(none.endpoint());
        ExecClient again = new ExecClient(none, new Properties());
        assertThat(again.run(new String[] {"workspace", "exec", "x"}, Optional.empty(), "", Map.of(),
                InputStream.nullInputStream(), OutputStream(), OutputStream())).isEqualTo(ExecClient.NOT_SERVED);
        assertThat(again.wantsServer()).as("a dead server's file: start one").isTrue();
    }

    @Test
    void aLogPastItsLimitIsEmptied() throws IOException {
        Files.write(address.log(), new byte[(int) ServerSpawn.MAX_LOG + 1]);
        dev.pyro.testing.Await.until("the log emptied", () -> {
            try {
                return Files.size(address.log()) < ServerSpawn.MAX_LOG;
            } catch (IOException e) {
                return false;
            }
        });
    }

    @Test
    void serversAreNotStartedOverAndOverWhileOneStarts() throws IOException {
        ServerAddress none = new ServerAddress(dir.resolve("run/cli-spawn.endpoint"), "k");
        java.nio.file.Files.createDirectories(none.log().getParent());
        java.nio.file.Files.writeString(none.log(), "a server started a moment ago\n");
        assertThat(ServerSpawn.start(none, new Properties())).as("within a start's grace").isFalse();
        java.nio.file.Files.setLastModifiedTime(none.log(),
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Properties broken = new Properties();
        broken.setProperty("java.home", dir.resolve("no-jdk").toString()); // it starts, and fails at once
        broken.setProperty("java.class.path", "");
        assertThat(ServerSpawn.start(none, broken)).isTrue();
        assertThat(ServerSpawn.start(none, broken)).as("the next call, right after").isFalse();
    }

    private static ByteArrayOutputStream OutputStream() {
        return new ByteArrayOutputStream();
    }

    @Test
    void connectionsThatAreNoClientsChangeNothing() throws Exception {
        Endpoint endpoint = Endpoint.read(address.endpoint());
        // Garbage, a frame that claims 2 GiB, a request with the wrong token, one that says nothing yet.
        try (Socket idle = connect(endpoint)) {
            for (byte[] hostile : new byte[][] {"GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                {Wire.REQUEST, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff},
                frame(new Request("00".repeat(32), "the key", List.of("workspace", "exec", "ws-1", "--", "true"),
                        Optional.empty(), "", Map.of()).encode())}) {
                try (Socket s = connect(endpoint)) {
                    s.getOutputStream().write(hostile);
                    s.getOutputStream().flush();
                    assertThat(s.getInputStream().read()).as("closed without an answer").isEqualTo(-1);
                }
            }
            // A caller is served meanwhile.
            assertThat(call("workspace", "exec", "ws-y", "--", "true").err()).contains("workspace_not_found");
        }
    }

    @Test
    void connectionsBeyondTheLimitAreClosedAndTheirCallersRunTheCallThemselves() throws Exception {
        Endpoint endpoint = Endpoint.read(address.endpoint());
        List<Socket> held = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < ExecServer.MAX_CONNECTIONS; i++) {
                held.add(connect(endpoint)); // tokenless connections that say nothing
            }
            dev.pyro.testing.Await.until("every connection taken",
                    () -> server.activeConnections() == ExecServer.MAX_CONNECTIONS);
            try (Socket extra = connect(endpoint)) {
                assertThat(extra.getInputStream().read()).as("closed at once").isEqualTo(-1);
            }
            ExecClient turnedAway = new ExecClient(address, new Properties());
            assertThat(turnedAway.run(new String[] {"workspace", "exec", "ws-1", "--", "true"}, Optional.empty(), "",
                    Map.of(), InputStream.nullInputStream(), OutputStream(), OutputStream()))
                    .isEqualTo(ExecClient.NOT_SERVED);
            assertThat(turnedAway.wantsServer()).as("a full server is no missing one").isFalse();
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        dev.pyro.testing.Await.until("the held connections' ends seen", () -> server.activeConnections() == 0);
        assertThat(call("workspace", "exec", "ws-2", "--", "true").status()).isEqualTo(1); // served again
    }

    private static Socket connect(Endpoint endpoint) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), endpoint.port());
        s.setSoTimeout(20_000);
        return s;
    }

    private static byte[] frame(byte[] payload) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Wire.write(new DataOutputStream(bytes), Wire.REQUEST, payload, 0, payload.length);
        return bytes.toByteArray();
    }

    @Test
    void theRunDirectoryIsTheUsersAloneAndAForeignOneIsRefused() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(address.endpoint().getParent())))
                .isEqualTo("rwx------");
        Path open = dir.resolve("open");
        Files.createDirectory(open);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExecServer.privateDirectory(open))
                .isInstanceOf(IOException.class).hasMessageContaining("mode 700");
        Path link = dir.resolve("link");
        Files.createSymbolicLink(link, address.endpoint().getParent());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExecServer.privateDirectory(link))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aSecondServerForTheSameKeyLeavesTheFirstAlone() throws Exception {
        Endpoint first = Endpoint.read(address.endpoint());
        new ExecServer(address, Duration.ofMinutes(5)).serve(); // returns at once: the lock is held
        assertThat(Endpoint.read(address.endpoint())).isEqualTo(first);
    }

    @Test
    void aServerEndsWhenItsEndpointIsTakenOverOrWhenIdle() throws Exception {
        Endpoint.fresh(1).write(address.endpoint()); // another server's, as far as this one knows
        serving.get(10, TimeUnit.SECONDS);
        assertThat(Endpoint.read(address.endpoint()).port()).isEqualTo(1); // not removed: not its own

        Files.delete(address.endpoint());
        ExecServer idle = new ExecServer(address, Duration.ofSeconds(1));
        serving = serve(idle);
        awaitEndpoint();
        assertThat(call("workspace", "exec", "ws-z", "--", "true").status()).isEqualTo(1);
        serving.get(10, TimeUnit.SECONDS);
        assertThat(address.endpoint()).doesNotExist(); // its own: removed
        serving = CompletableFuture.completedFuture(null);
    }
}
