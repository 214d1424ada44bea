package dev.pyro.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.ShellAttachment;
import dev.pyro.vm.AgentEndpoint;
import dev.pyro.vm.BackendKind;
import dev.pyro.vm.VmInstance;
import dev.pyro.workspace.store.WorkspaceState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shell view whose VM dies, with the VMM's exit seen late: a killed VMM closes its
 * descriptors (the view's stream ends) a moment before {@code /proc} shows it gone. The view
 * applies the one death rule with its grace, so the person attached reads {@code vm_died} and
 * the workspace is failed, not a bare {@code agent_unavailable} from a VMM that looked alive.
 * A real agent in development mode stands in for the VM; its "VMM" reports itself alive for a
 * few more checks after the kill.
 */
class AttachedShellDeathTest {
    @TempDir
    Path tmp;

    private DevAgentVm vm;
    private WorkspaceContext ctx;
    private String id;
    private final AtomicBoolean killed = new AtomicBoolean();
    private final AtomicInteger checksAfterKill = new AtomicInteger();

    @BeforeEach
    void startVm() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        vm = DevAgentVm.start(tmp.resolve("vm"), root.toRealPath());
        VmInstance lagging = new LaggingExit(vm, 3);
        ctx = vm.context(tmp.resolve("home"), AgentConnections.none(), stateDir -> Optional.of(lagging));
        id = vm.startedWorkspace(ctx);
    }

    @AfterEach
    void stopVm() throws Exception {
        vm.close();
    }

    @Test
    void aViewWhoseVmIsKilledSaysVmDiedEvenWhenTheExitIsSeenLate() throws Exception {
        WorkspaceShells shells = new WorkspaceShells(ctx);
        String shellId = shells.open(id, "/workspace", 80, 24).shellId();
        try (ShellAttachment view = shells.attach(id, shellId)) {
            killed.set(true);
            vm.kill();
            assertThatThrownBy(view::await).isInstanceOfSatisfying(PyroException.class, e -> {
                assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.VM_DIED);
                assertThat(e.getMessage()).contains("workspace " + id + ": the VM died");
            });
        }
        assertThat(checksAfterKill).as("the rule waited through the checks that still saw it alive")
                .hasValueGreaterThan(3);
        assertThat(ctx.store().read(id).state()).isEqualTo(WorkspaceState.FAILED);
    }

    @Test
    void aLiveVmsShellErrorIsExplainedNotADeath() {
        WorkspaceShells shells = new WorkspaceShells(ctx);
        String shellId = shells.open(id, "/workspace", 80, 24).shellId();
        try (ShellAttachment view = shells.attach(id, shellId)) {
            shells.close(id, shellId);
            // A resize of a shell that is gone is the guest's own error, explained with the ids.
            assertThatThrownBy(() -> view.resize(100, 30)).isInstanceOfSatisfying(PyroException.class, e -> {
                assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.SHELL_NOT_FOUND);
                assertThat(e.getMessage()).contains(shellId);
            });
        }
        assertThat(ctx.store().read(id).state()).isEqualTo(WorkspaceState.STARTED);
        assertThat(checksAfterKill).hasValue(0);
    }

    /** The dev agent as a VMM whose exit {@code /proc} shows only after {@code lag} more checks. */
    private final class LaggingExit implements VmInstance {
        private final DevAgentVm real;
        private final int lag;

        LaggingExit(DevAgentVm real, int lag) {
            this.real = real;
            this.lag = lag;
        }

        @Override public String vmId() { return real.vmId(); }
        @Override public BackendKind backend() { return real.backend(); }
        @Override public long pid() { return real.pid(); }
        @Override public AgentEndpoint agentEndpoint() { return real.agentEndpoint(); }
        @Override public Path consoleLog() { return real.consoleLog(); }
        @Override public Optional<String> exitReason() { return isAlive() ? Optional.empty() : real.exitReason(); }
        @Override public void stop(Duration grace) { real.stop(grace); }
        @Override public void cleanup() { real.cleanup(); }

        @Override
        public boolean isAlive() {
            if (!killed.get()) {
                return real.isAlive();
            }
            return checksAfterKill.incrementAndGet() <= lag || real.isAlive();
        }
    }
}
