package dev.pyro.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.ServiceCounts;
import dev.pyro.ServiceLogs;
import dev.pyro.ServiceStartRequest;
import dev.pyro.ServiceStatus;
import dev.pyro.workspace.store.WorkspaceState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK's services over a workspace whose "VM" is the development-mode agent: what a failed
 * start says, counts by state, the checks made before the guest is asked, and the workspace's
 * own rules (not started, activity).
 */
@Timeout(120)
class WorkspaceServicesTest {
    @TempDir
    Path tmp;

    private DevAgentVm vm;
    private WorkspaceContext ctx;
    private WorkspaceServices services;
    private String id;

    @BeforeEach
    void startVm() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        vm = DevAgentVm.start(tmp.resolve("vm"), root.toRealPath());
        ctx = vm.context(tmp.resolve("home"), AgentConnections.none());
        id = vm.startedWorkspace(ctx);
        services = new WorkspaceServices(ctx);
    }

    @AfterEach
    void stopVm() throws Exception {
        vm.close();
    }

    private static PyroException expect(ThrowingCallable call, ErrorCode code) {
        try {
            call.call();
        } catch (PyroException e) {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
            return e;
        } catch (Throwable t) {
            throw new AssertionError("expected " + code + ", got " + t, t);
        }
        throw new AssertionError("expected " + code + ", nothing was thrown");
    }

    @Test
    void aServiceThatExitsBeforeItIsReadyFailsTheStartWithItsCodeAndTheEndOfItsLog() {
        PyroException e = expect(() -> services.start(id, ServiceStartRequest.of("api", List.of("sh", "-c",
                "for i in $(seq 1 30); do echo step $i; done; echo 'error: port 8080 in use' >&2; exit 3"))
                .withReadyHttp("http://127.0.0.1:1/health")), ErrorCode.SERVICE_FAILED);
        assertThat(e.getMessage()).startsWith("service api in " + id + " did not start: exited with code 3 before it "
                + "was ready; last output:\n").endsWith("step 30\nerror: port 8080 in use")
                .doesNotContain("step 20\n");
        ServiceStatus after = services.status(id, "api");
        assertThat(after.state()).isEqualTo("failed");
        assertThat(after.exitCode()).isEqualTo(3);
        assertThat(after.live()).isFalse();
    }

    @Test
    void aReadinessTimeoutSaysWhatItWaitedForAndHowTheLastCheckWent() {
        PyroException e = expect(() -> services.start(id, ServiceStartRequest.of("quiet", List.of("sleep", "1000"))
                .withReadyFile("never.flag").withReadyTiming(1, 100)), ErrorCode.SERVICE_FAILED);
        assertThat(e.getMessage()).startsWith("service quiet in " + id + " did not start: not ready within 1000 ms (")
                .contains("last: the file does not exist yet)").endsWith("; it wrote nothing");
        ServiceStatus after = services.status(id, "quiet");
        assertThat(after.state()).isEqualTo("failed");
        assertThat(after.signal()).isEqualTo(15);
        assertThat(after.readiness()).isEqualTo(new ServiceStatus.Readiness("file", "never.flag", 1000, 100,
                after.readiness().checks(), "the file does not exist yet"));
    }

    @Test
    void countsByStateAndListInStartOrder() {
        assertThat(services.counts(id)).isEqualTo(ServiceCounts.NONE);
        services.start(id, ServiceStartRequest.of("runner", List.of("sleep", "1000")));
        services.start(id, ServiceStartRequest.of("ready", List.of("sh", "-c", "touch up; exec sleep 1000"))
                .withReadyFile("up").withReadyTiming(10, 20));
        services.start(id, ServiceStartRequest.of("stopped", List.of("sleep", "1000")));
        services.stop(id, "stopped", 5);
        expect(() -> services.start(id, ServiceStartRequest.of("crash", List.of("false")).withReadyTcp("127.0.0.1:1")),
                ErrorCode.SERVICE_FAILED);
        ServiceCounts c = services.counts(id);
        assertThat(c).isEqualTo(new ServiceCounts(0, 1, 1, 0, 1, 1));
        assertThat(c.live()).isEqualTo(2);
        assertThat(c.total()).isEqualTo(4);
        assertThat(services.list(id)).extracting(ServiceStatus::name).containsExactly("runner", "ready", "stopped",
                "crash");
        assertThat(services.list(id)).allSatisfy(s -> assertThat(s.workspaceId()).isEqualTo(id));
    }

    @Test
    void logsByStreamAndTail() {
        services.start(id, ServiceStartRequest.of("talk", List.of("sh", "-c",
                "echo one; echo two; echo oops >&2; touch done; exec sleep 1000")).withReadyFile("done")
                .withReadyTiming(10, 20));
        ServiceLogs out = services.logs(id, "talk", null, "stdout");
        assertThat(out.output()).isEqualTo("one\ntwo\n");
        assertThat(out).isEqualTo(new ServiceLogs(id, "talk", "stdout", null, "one\ntwo\n", false, "ready"));
        assertThat(services.logs(id, "talk", 1, "stderr").output()).isEqualTo("oops\n");
        assertThat(services.logs(id, "talk", 1, "stdout").output()).isEqualTo("two\n");
        expect(() -> services.logs(id, "talk", null, "stdin"), ErrorCode.INVALID_ARGUMENT);
        expect(() -> services.logs(id, "talk", -1, "both"), ErrorCode.INVALID_ARGUMENT);
        expect(() -> services.logs(id, "ghost", null, "both"), ErrorCode.SERVICE_NOT_FOUND);
    }

    @Test
    void badRequestsAreRefusedBeforeTheGuestIsAsked() {
        expect(() -> ServiceStartRequest.of("bad name", List.of("true")), ErrorCode.INVALID_ARGUMENT);
        expect(() -> ServiceStartRequest.of("", List.of("true")), ErrorCode.INVALID_ARGUMENT);
        expect(() -> ServiceStartRequest.of("x".repeat(65), List.of("true")), ErrorCode.INVALID_ARGUMENT);
        expect(() -> ServiceStartRequest.of("ok", List.of()), ErrorCode.INVALID_ARGUMENT);
        expect(() -> ServiceStartRequest.of("ok", List.of("")), ErrorCode.INVALID_ARGUMENT);
        expect(() -> ServiceStartRequest.of("ok", java.util.Collections.nCopies(10_000, "argument")),
                ErrorCode.INVALID_ARGUMENT);
        PyroException conflict = expect(() -> new ServiceStartRequest("ok", null, "f", null, "http://127.0.0.1/", null,
                30, 500, List.of("true")), ErrorCode.INVALID_ARGUMENT);
        assertThat(conflict.getMessage()).isEqualTo("give at most one readiness check, not ready_file and ready_http");
        expect(() -> ServiceStartRequest.of("ok", List.of("true")).withReadyTcp(" "), ErrorCode.INVALID_ARGUMENT);
        expect(() -> ServiceStartRequest.of("ok", List.of("true")).withReadyTiming(0, 500),
                ErrorCode.INVALID_ARGUMENT);
        expect(() -> ServiceStartRequest.of("ok", List.of("true")).withReadyTiming(30, 5),
                ErrorCode.INVALID_ARGUMENT);
        expect(() -> services.status(id, "../etc"), ErrorCode.INVALID_ARGUMENT);
        expect(() -> services.stop(id, "ok", -1), ErrorCode.INVALID_ARGUMENT);
        // the guest's own checks arrive with their codes
        expect(() -> services.start(id, ServiceStartRequest.of("ok", List.of("true")).withReadyHttp("https://x/")),
                ErrorCode.INVALID_ARGUMENT);
        expect(() -> services.start(id, ServiceStartRequest.of("ok", List.of("/nope"))), ErrorCode.EXEC_FAILED);
        expect(() -> services.start(id, ServiceStartRequest.of("ok", List.of("true")).withCwd("/etc")),
                ErrorCode.PATH_OUTSIDE_WORKSPACE);
        assertThat(services.list(id)).isEmpty();
    }

    @Test
    void aWorkspaceThatIsNotStartedHasNoServicesToReach() {
        services.start(id, ServiceStartRequest.of("web", List.of("sleep", "1000")));
        expect(() -> services.start(id, ServiceStartRequest.of("web", List.of("sleep", "1"))),
                ErrorCode.SERVICE_ALREADY_RUNNING);
        ctx.store().update(id, r -> r.withState(WorkspaceState.STOPPED, "stopped for the test"));
        expect(() -> services.list(id), ErrorCode.WORKSPACE_NOT_RUNNING);
        expect(() -> services.start(id, ServiceStartRequest.of("other", List.of("true"))),
                ErrorCode.WORKSPACE_NOT_RUNNING);
        expect(() -> services.list("ws-000000000000"), ErrorCode.WORKSPACE_NOT_FOUND);
    }

    @Test
    void startingAndStoppingAreActivityLookingIsNot() {
        var before = ctx.store().read(id).lastActivityAt(); // the create, a few agent round trips ago
        services.list(id);
        services.counts(id);
        assertThat(ctx.store().read(id).lastActivityAt()).isEqualTo(before);
        services.start(id, ServiceStartRequest.of("web", List.of("sleep", "1000")));
        assertThat(ctx.store().read(id).lastActivityAt()).isAfter(before);
    }
}
