package dev.pyro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.pyro.testing.GuestFixture;
import dev.pyro.testing.GuestHome;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An egress allow-list on a real microVM ({@code --allow-host allowed.test}): the guest's
 * resolver answers only allowed names, its proxy connects only to them (the test pins
 * allowed.test and denied.test to the host's loopback, PYRO_EGRESS_RESOLVE in the pom, so no
 * name is ever looked up outside this machine), IP literals are refused, and the guest cannot
 * go around the proxy: direct TCP and UDP to the host's loopback (the user-mode gateway) fail.
 */
class AllowListGuestTest {
    /** {@code PROXY_GET HOST:PORT PATH}: a GET through the proxy at 10.0.2.100:3128, printing the answer. */
    static final String PROXY_GET = "perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(\"10.0.2.100:3128\") "
            + "or die \"connect: $!\\n\"; $h = shift; print $s \"GET http://$h\" . shift . \" HTTP/1.0\\r\\n\\r\\n\"; "
            + "print while <$s>'";
    /** {@code CONNECT_GET HOST:PORT PATH}: a CONNECT tunnel through the proxy, then a GET in it. */
    static final String CONNECT_GET = "perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(\"10.0.2.100:3128\") "
            + "or die \"connect: $!\\n\"; $h = shift; print $s \"CONNECT $h HTTP/1.1\\r\\nHost: $h\\r\\n\\r\\n\"; "
            + "$l = <$s>; print $l; exit 1 unless $l =~ / 200 /; while (($x = <$s>) ne \"\\r\\n\") {} "
            + "print $s \"GET \" . shift . \" HTTP/1.0\\r\\n\\r\\n\"; print while <$s>'";

    @TempDir
    static Path home;

    static Pyro pyro;
    static Workspace ws;
    static HttpServer server;
    static int port;
    static final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void workspace() throws IOException {
        // without the pins the proxy would ask the host's DNS about the test names: refuse to run
        assertThat(System.getenv("PYRO_EGRESS_RESOLVE")).as("set by the pom").contains("allowed.test=127.0.0.1",
                "denied.test=127.0.0.1");
        GuestFixture.debian12();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            seen.add(ex.getRequestURI().getPath());
            byte[] body = ("host saw " + ex.getRequestURI().getPath() + "\n").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        port = server.getAddress().getPort();
        pyro = GuestHome.pyro(home);
        ws = pyro.openWorkspace(CreateWorkspaceRequest.of("debian:12").withNetworkPolicy(NetworkPolicy.EGRESS)
                .withAllowHost("allowed.test", "*.allowed.test"));
    }

    @AfterAll
    static void deleteLeavesNothingRunning() {
        try {
            GuestHome.deleteAndClose(home, pyro, ws);
        } finally {
            if (server != null) {
                server.stop(0);
            }
        }
    }

    private static WorkspaceExecResult sh(String script) {
        return ws.exec(List.of("sh", "-c", script));
    }

    @Test
    void theResolverAnswersOnlyAllowedNamesWithTheProxysAddress() {
        WorkspaceExecResult allowed = sh("getent hosts allowed.test; getent hosts www.allowed.test");
        assertThat(allowed.exitCode()).as(allowed.stderrText()).isZero();
        assertThat(allowed.stdoutText()).isEqualTo("10.0.2.100      allowed.test\n10.0.2.100      www.allowed.test\n");
        WorkspaceExecResult denied = sh("getent hosts denied.test");
        assertThat(denied.exitCode()).isEqualTo(2);
        assertThat(denied.stdoutText()).isEmpty();
        assertThat(sh("cat /etc/resolv.conf").stdoutText()).contains("nameserver 10.0.2.100\n", "options use-vc\n");
        assertThat(sh("echo $https_proxy").stdoutText()).isEqualTo("http://10.0.2.100:3128\n");
        WorkspaceStatus.NetworkInfo net = pyro.statusWorkspace(ws.id()).networkInfo();
        assertThat(net.allowHosts()).containsExactly("allowed.test", "*.allowed.test");
        assertThat(net.dns()).isEqualTo("10.0.2.100");
    }

    @Test
    void anAllowedNameIsReachedThroughTheProxyPlainAndTunnelled() {
        WorkspaceExecResult plain = sh(PROXY_GET + " allowed.test:" + port + " /plain");
        assertThat(plain.exitCode()).as(plain.stderrText()).isZero();
        assertThat(plain.stdoutText()).startsWith("HTTP/1.1 200 OK").endsWith("host saw /plain\n");
        WorkspaceExecResult tunnel = sh(CONNECT_GET + " allowed.test:" + port + " /tunnel");
        assertThat(tunnel.exitCode()).as(tunnel.stderrText()).isZero();
        assertThat(tunnel.stdoutText()).startsWith("HTTP/1.1 200 Connection established")
                .endsWith("host saw /tunnel\n");
    }

    @Test
    void otherNamesAndAddressesAreRefusedByTheProxy() {
        for (String target : List.of("denied.test:" + port, "127.0.0.1:" + port, "10.0.2.2:" + port,
                "2130706433:" + port, "0x7f.1:" + port, "allowed.test.evil:" + port, "[::1]:" + port)) {
            WorkspaceExecResult r = sh(PROXY_GET + " " + target + " /refused");
            assertThat(r.stdoutText()).as(target).matches("(?s)HTTP/1.1 40[03] .*");
            WorkspaceExecResult t = sh(CONNECT_GET + " " + target + " /refused");
            assertThat(t.exitCode()).as(target).isNotZero();
            assertThat(t.stdoutText()).as(target).matches("HTTP/1.1 40[03] .*\\r?\\n?");
        }
        assertThat(seen).doesNotContain("/refused");
    }

    @Test
    void theGuestCannotGoAroundTheProxyOrTheResolver() throws IOException {
        // direct TCP to the host's loopback through the gateway: restrict=on drops it
        WorkspaceExecResult direct = sh("timeout 20 perl -MIO::Socket::INET -e 'IO::Socket::INET->new("
                + "PeerAddr => \"10.0.2.2:" + port + "\", Timeout => 10) or exit 3; exit 0'");
        assertThat(direct.exitCode()).isEqualTo(3);
        // its own resolver and UDP: a datagram to a host socket, then a proxied request as the marker
        try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            udp.setSoTimeout(1);
            sh("echo 'nameserver 10.0.2.2' > /etc/resolv.conf; perl -MIO::Socket::INET -e '$s = IO::Socket::INET->"
                    + "new(PeerAddr => \"10.0.2.2:" + udp.getLocalPort() + "\", Proto => \"udp\"); $s->send(\"leak\")'; "
                    + PROXY_GET + " allowed.test:" + port + " /after-udp > /dev/null");
            assertThat(seen).contains("/after-udp");
            // the proxied marker came after the datagram: had it passed, it would be here by now
            assertThatThrownBy(() -> udp.receive(new DatagramPacket(new byte[16], 16)))
                    .isInstanceOf(java.net.SocketTimeoutException.class);
        } finally {
            sh("printf 'nameserver 10.0.2.100\\noptions use-vc\\n' > /etc/resolv.conf");
        }
    }
}
