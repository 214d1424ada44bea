package dev.pyro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.pyro.testing.GuestFixture;
import dev.pyro.testing.GuestHome;
import dev.pyro.testing.GuestHttp;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Network policies (2.10.0) on real microVMs: {@code off} has no device but {@code lo};
 * {@code egress} has an interface the agent configured, reaches a test server on the host's
 * loopback through the user-mode gateway, and names 10.0.2.3 as its resolver. No test here
 * sends a DNS query through that resolver: it forwards to the host's resolver, which is not
 * on this machine (docs/network.md, "Testing").
 */
class NetworkPolicyGuestTest {
    @TempDir
    static Path home;

    @TempDir
    static Path host;

    static Pyro pyro;
    static Workspace off;
    static Workspace egress;

    @BeforeAll
    static void workspaces() throws IOException {
        GuestFixture.debian12();
        Path seed = GuestHttp.installServer(Files.createDirectories(host.resolve("seed")));
        pyro = GuestHome.pyro(home);
        off = pyro.openWorkspace(CreateWorkspaceRequest.of("debian:12"));
        egress = pyro.openWorkspace(CreateWorkspaceRequest.of("debian:12").withSeedPath(seed)
                .withNetworkPolicy(NetworkPolicy.EGRESS_PUBLISHED_PORTS));
    }

    @AfterAll
    static void deleteLeavesNothingRunning() {
        GuestHome.deleteAndClose(home, pyro, off, egress);
    }

    private static String sh(Workspace w, String script) {
        WorkspaceExecResult r = w.exec(List.of("sh", "-c", script));
        assertThat(r.exitCode()).as("%s: %s", script, r.stderrText()).isZero();
        return r.stdoutText();
    }

    @Test
    void offHasOnlyLoopbackAndNoResolver() {
        assertThat(sh(off, "ls /sys/class/net")).isEqualTo("lo\n");
        assertThat(sh(off, "grep -c nameserver /etc/resolv.conf || true")).isEqualTo("0\n");
        assertThat(sh(off, "getent hosts localhost")).isEqualTo("127.0.0.1       localhost\n");
        WorkspaceStatus.NetworkInfo net = pyro.statusWorkspace(off.id()).networkInfo();
        assertThat(net).isEqualTo(new WorkspaceStatus.NetworkInfo("off", null, null, null, List.of(), List.of()));
        assertThat(pyro.statusWorkspace(off.id()).network()).isFalse();
    }

    @Test
    void egressHasAConfiguredInterfaceAndTheUserModeResolver() {
        assertThat(sh(egress, "ls /sys/class/net")).isEqualTo("eth0\nlo\n");
        // /proc/net/route: the default route (destination 0) through 10.0.2.2 (little-endian hex)
        assertThat(sh(egress, "awk '$2 == \"00000000\" {print $1, $3}' /proc/net/route")).isEqualTo("eth0 0202000A\n");
        assertThat(sh(egress, "grep -E '^nameserver' /etc/resolv.conf")).isEqualTo("nameserver 10.0.2.3\n");
        assertThat(sh(egress, "grep -c '10.0.2.15' /proc/net/fib_trie")).isNotEqualTo("0\n");
        WorkspaceStatus status = pyro.statusWorkspace(egress.id());
        assertThat(status.network()).isTrue();
        assertThat(status.networkInfo()).isEqualTo(new WorkspaceStatus.NetworkInfo("egress+published-ports",
                "10.0.2.15", "10.0.2.2", "10.0.2.3", List.of(), List.of()));
    }

    @Test
    void egressReachesAServerOnTheHostsLoopbackThroughTheGateway() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            byte[] body = ("host saw " + ex.getRequestURI().getPath() + "\n").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            String got = sh(egress, GuestHttp.FETCH.replace("\"127.0.0.1:\"", "\"10.0.2.2:\"") + " " + port
                    + " /from-guest");
            assertThat(got).startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\nhost saw /from-guest\n");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aPublishedServiceAnswersOnTheHostsLoopbackUntilItStops() throws IOException {
        ServiceStatus web = egress.startService(ServiceStartRequest.of("web",
                List.of("perl", "serve.pl", "8080", "0", "0.0.0.0")).withReadyTcp("127.0.0.1:8080").withPublish("8080"));
        assertThat(web.publishedPorts()).hasSize(1);
        PublishedPort port = web.publishedPorts().get(0);
        assertThat(port.service()).isEqualTo("web");
        assertThat(port.hostAddress()).isEqualTo("127.0.0.1");
        assertThat(port.guestPort()).isEqualTo(8080);
        assertThat(port.hostPort()).isBetween(1, 65535);

        assertThat(hostGet(port.hostPort(), "/published")).startsWith("HTTP/1.0 200 OK").endsWith("hello from perl\n");
        assertThat(egress.statusService("web").publishedPorts()).containsExactly(port);
        assertThat(pyro.statusWorkspace(egress.id()).networkInfo().publishedPorts()).containsExactly(port);

        ServiceStatus stopped = egress.stopService("web");
        assertThat(stopped.state()).isEqualTo("stopped");
        assertThat(pyro.statusWorkspace(egress.id()).networkInfo().publishedPorts()).isEmpty();
        assertThatThrownBy(() -> hostGet(port.hostPort(), "/after-stop")).isInstanceOf(ConnectException.class);
    }

    @Test
    void aChosenHostPortIsUsedAndATakenOneIsRefusedWithoutLeavingTheServiceRunning() throws IOException {
        int chosen;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            chosen = probe.getLocalPort();
        }
        ServiceStatus api = egress.startService(ServiceStartRequest.of("api",
                List.of("perl", "serve.pl", "8081", "0", "0.0.0.0")).withReadyTcp("127.0.0.1:8081")
                .withPublish(chosen + ":8081"));
        assertThat(api.publishedPorts()).containsExactly(new PublishedPort("api", "127.0.0.1", chosen, 8081));
        assertThat(hostGet(chosen, "/chosen")).endsWith("hello from perl\n");

        // the same host port again (this workspace holds it), and one another program holds
        assertThatThrownBy(() -> egress.startService(ServiceStartRequest.of("again",
                List.of("perl", "serve.pl", "8082", "0", "0.0.0.0")).withPublish(chosen + ":8082")))
                .isInstanceOfSatisfying(PyroException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PORT_IN_USE));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> egress.startService(ServiceStartRequest.of("taken",
                    List.of("perl", "serve.pl", "8083", "0", "0.0.0.0")).withPublish(taken.getLocalPort() + ":8083")))
                    .isInstanceOfSatisfying(PyroException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.PORT_IN_USE);
                        assertThat(e.getMessage()).contains("port " + taken.getLocalPort());
                    });
        }
        assertThat(egress.statusService("again").live()).isFalse();
        assertThat(egress.statusService("taken").live()).isFalse();
        assertThat(pyro.statusWorkspace(egress.id()).networkInfo().publishedPorts()).extracting(PublishedPort::service)
                .containsExactly("api");
        egress.stopService("api");
        assertThat(pyro.statusWorkspace(egress.id()).networkInfo().publishedPorts()).isEmpty();
    }

    @Test
    void publishingNeedsThePolicyThatAllowsIt() {
        assertThatThrownBy(() -> off.startService(ServiceStartRequest.of("web", List.of("sleep", "60"))
                .withPublish("8080"))).isInstanceOfSatisfying(PyroException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PUBLISH_NOT_ALLOWED);
                    assertThat(e.getMessage()).contains("network policy off", "egress+published-ports");
                });
        assertThat(off.listServices()).isEmpty();
    }

    /** A GET from the host, the whole answer. */
    private static String hostGet(int port, String path) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
