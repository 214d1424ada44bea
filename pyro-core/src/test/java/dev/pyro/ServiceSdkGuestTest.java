package dev.pyro;

import static dev.pyro.testing.GuestHttp.FETCH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.testing.GuestFixture;
import dev.pyro.testing.GuestHome;
import dev.pyro.testing.GuestHttp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Services (2.7.0) through the SDK against one real microVM shared by the class: an HTTP
 * server in the guest with HTTP readiness, checked by a command in the workspace, its logs,
 * its stop; a service that exits at once; a readiness timeout; and the delete that leaves
 * nothing running.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceSdkGuestTest {
    /** A GET from inside the workspace: what a curl would do, with the perl every debian:12 has. */
    static final String FETCH = "perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(\"127.0.0.1:\" . shift) "
            + "or die \"connect: $!\\n\"; print $s \"GET \" . shift . \" HTTP/1.0\\r\\n\\r\\n\"; print while <$s>'";

    @TempDir
    static Path home;

    @TempDir
    static Path host;

    static Pyro pyro;
    static Workspace ws;

    @BeforeAll
    static void workspace() throws IOException {
        GuestFixture.debian12();
        Path seed = GuestHttp.installServer(Files.createDirectories(host.resolve("seed")));
        pyro = GuestHome.pyro(home);
        ws = pyro.openWorkspace(CreateWorkspaceRequest.of("debian:12").withSeedPath(seed));
    }

    @AfterAll
    static void deleteLeavesNothingRunning() {
        GuestHome.deleteAndClose(home, pyro, ws);
    }

    private String guestProcesses() {
        // every command line in the guest's /proc (debian:12 has no ps)
        return ws.exec(List.of("sh", "-c", "for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline 2>/dev/null; echo; "
                + "done")).stdoutText();
    }

    @Test
    @Order(1)
    void anHttpServerGetsReadyServesTheWorkspaceLogsAndStops() {
        ServiceStatus web = ws.startService(ServiceStartRequest.of("web", List.of("perl", "serve.pl", "8080", "500"))
                .withReadyHttp("http://127.0.0.1:8080/health"));
        assertThat(web.state()).isEqualTo("ready");
        assertThat(web.readiness().kind()).isEqualTo("http");
        assertThat(web.readyAt()).isAfterOrEqualTo(web.startedAt());
        assertThat(web.cwd()).isEqualTo("/workspace");

        WorkspaceExecResult got = ws.exec(List.of("sh", "-c", FETCH + " 8080 /hello"));
        assertThat(got.exitCode()).as(got.stderrText()).isZero();
        assertThat(got.stdoutText()).startsWith("HTTP/1.0 200 OK\r\n").endsWith("\r\n\r\nhello from perl\n");

        WorkspaceStatus status = pyro.statusWorkspace(ws.id());
        assertThat(status.services()).isEqualTo(new ServiceCounts(0, 1, 0, 0, 0, 0));
        assertThat(ws.listServices()).extracting(ServiceStatus::name, ServiceStatus::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("web", "ready"));

        Service handle = ws.service("web");
        ServiceLogs logs = handle.logs();
        assertThat(logs.output()).isEqualTo("listening on 8080\nrequest: GET /health HTTP/1.0\n"
                + "request: GET /hello HTTP/1.0\n");
        assertThat(handle.logs(1).output()).isEqualTo("request: GET /hello HTTP/1.0\n");
        assertThat(ws.logsService("web", null, "stderr").output()).isEmpty();
        assertThat(guestProcesses()).contains("perl serve.pl 8080 500");

        ServiceStatus stopped = handle.stop();
        assertThat(stopped.state()).isEqualTo("stopped");
        assertThat(stopped.signal()).isEqualTo(15);
        assertThat(guestProcesses()).doesNotContain("serve.pl");
        assertThat(ws.exec(List.of("sh", "-c", FETCH + " 8080 /")).exitCode()).as("nobody listens").isNotZero();
        assertThat(ws.logs().entries()).as("services are not journal commands").allSatisfy(
                c -> assertThat(c.argv()).doesNotContain("serve.pl"));
    }

    @Test
    @Order(2)
    void aServiceThatExitsAtOnceFailsWithItsCodeAndTheEndOfItsLog() {
        assertThatThrownBy(() -> ws.startService(ServiceStartRequest.of("broken", List.of("sh", "-c",
                "echo loading; echo 'fatal: no config' >&2; exit 3")).withReadyTcp("127.0.0.1:9090")))
                .isInstanceOfSatisfying(PyroException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_FAILED);
                    assertThat(e.getMessage()).isEqualTo("service broken in " + ws.id() + " did not start: exited "
                            + "with code 3 before it was ready; last output:\nloading\nfatal: no config");
                });
        ServiceStatus broken = ws.statusService("broken");
        assertThat(broken.state()).isEqualTo("failed");
        assertThat(broken.exitCode()).isEqualTo(3);
        assertThat(broken.reason()).isEqualTo("exited with code 3 before it was ready");
    }

    @Test
    @Order(3)
    void aReadinessTimeoutIsReportedAndTheServiceEnded() {
        assertThatThrownBy(() -> ws.startService(ServiceStartRequest.of("stuck", List.of("sleep", "600"))
                .withReadyFile("/tmp/never").withReadyTiming(2, 200)))
                .isInstanceOfSatisfying(PyroException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_FAILED);
                    assertThat(e.getMessage()).startsWith("service stuck in " + ws.id() + " did not start: not "
                            + "ready within 2000 ms (").contains("last: the file does not exist yet)");
                });
        assertThat(ws.statusService("stuck").signal()).isEqualTo(15);
        assertThat(guestProcesses()).doesNotContain("sleep 600");
        assertThat(pyro.statusWorkspace(ws.id()).services()).isEqualTo(new ServiceCounts(0, 0, 0, 0, 2, 1));
    }

    @Test
    @Order(4)
    void aRunningServiceOutlivesThisProcessesConnectionAndEndsWithTheWorkspace() {
        ServiceStatus bg = ws.startService(ServiceStartRequest.of("bg", List.of("sh", "-c",
                "sleep 700 & exec sleep 701")));
        assertThat(bg.state()).isEqualTo("running");
        pyro.close(); // the kept agent connection goes; the service does not
        assertThat(ws.statusService("bg").state()).isEqualTo("running");
        assertThat(guestProcesses()).contains("sleep 700", "sleep 701");
        // @AfterAll deletes the workspace: no VM, so no guest process, is left
    }
}
