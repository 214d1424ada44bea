package dev.pyro.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.vm.ProcessIdentity;
import dev.pyro.vm.VmRecord;
import dev.pyro.workspace.store.CommandJournal;
import dev.pyro.workspace.store.LockMode;
import dev.pyro.workspace.store.NewWorkspace;
import dev.pyro.workspace.store.WorkspaceLock;
import dev.pyro.workspace.store.WorkspaceRecord;
import dev.pyro.workspace.store.WorkspaceState;
import dev.pyro.workspace.store.WorkspaceStore;
import dev.pyro.workspace.store.WorkspaceVm;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live checks of status/list, without a VM: process identity, the clock, the create lock. */
class WorkspaceInspectorTest {
    @TempDir
    Path home;

    private final java.util.List<Process> vmms = new java.util.ArrayList<>();

    /** A stand-in VMM: a real process the workspace's VM record names. */
    private ProcessIdentity liveVmm() throws java.io.IOException {
        Process p = new ProcessBuilder("sleep", "600").start();
        vmms.add(p);
        return ProcessIdentity.of(p.pid()).orElseThrow();
    }

    @org.junit.jupiter.api.AfterEach
    void stopVmms() {
        vmms.forEach(Process::destroyForcibly);
    }

    private WorkspaceContext context(Clock clock) {
        WorkspaceStore store = new WorkspaceStore(home);
        return new WorkspaceContext(store, new CommandJournal(store), (name, progress) -> {
            throw new AssertionError("no environment needed");
        }, () -> {
            throw new AssertionError("no backend needed");
        }, choice -> {
            throw new AssertionError("no VMM needed");
        }, clock);
    }

    private static WorkspaceVm vm(ProcessIdentity p) {
        return new WorkspaceVm("qemu", "qemu-tcg", "/unused", p.pid(), java.time.Instant.now());
    }

    /** A started workspace whose VM record names {@code vmm} as its VMM process. */
    private String started(WorkspaceContext ctx, ProcessIdentity vmm) throws java.io.IOException {
        String id = ctx.store().create(NewWorkspace.of("debian:12")).workspaceId();
        Path vmDir = java.nio.file.Files.createDirectories(ctx.store().paths(id).vmStateDir());
        new VmRecord(id, vmm, java.time.Instant.now(), vmDir.resolve("console.log"), 1, 512,
                new VmRecord.Qemu("tcg")).write(vmDir);
        ctx.store().update(id, r -> r.withVm(vm(vmm)).withState(WorkspaceState.STARTED, null));
        return id;
    }

    @Test
    void aLiveVmWithinItsTimeToLiveStaysStarted() throws Exception {
        WorkspaceContext ctx = context(Clock.systemUTC());
        String id = started(ctx, liveVmm());
        assertThat(new WorkspaceInspector(ctx).status(id).state()).isEqualTo(WorkspaceState.STARTED);
    }

    @Test
    void aGoneVmmMakesTheWorkspaceFailedWithAReason() throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        ProcessIdentity dead = ProcessIdentity.of(p.pid()).orElseThrow();
        p.destroyForcibly();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        WorkspaceContext ctx = context(Clock.systemUTC());
        String id = started(ctx, dead);
        WorkspaceRecord r = new WorkspaceInspector(ctx).status(id);
        assertThat(r.state()).isEqualTo(WorkspaceState.FAILED);
        assertThat(r.stateReason()).startsWith("vm died: ");
        assertThat(r.vm()).isNull();
        assertThat(ctx.store().read(id).state()).as("persisted").isEqualTo(WorkspaceState.FAILED);
    }

    @Test
    void pastItsTimeToLiveTheWorkspaceExpiresAndIsKept() throws Exception {
        WorkspaceContext later = context(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(601)));
        ProcessIdentity vmm = liveVmm();
        String id = started(later, vmm);
        WorkspaceRecord r = new WorkspaceInspector(later).status(id);
        assertThat(r.state()).isEqualTo(WorkspaceState.EXPIRED);
        assertThat(vmm.isAlive()).as("expiry stops the VM").isFalse();
        assertThat(r.stateReason()).startsWith("time to live of 600 s ran out");
        assertThat(later.store().read(id).state()).isEqualTo(WorkspaceState.EXPIRED);
        assertThat(new WorkspaceInspector(later).list()).extracting(WorkspaceRecord::workspaceId).containsExactly(id);
    }

    @Test
    void aCreateWhoseProcessIsGoneIsFailedButOneInProgressIsLeftAlone() throws Exception {
        WorkspaceContext ctx = context(Clock.systemUTC());
        String id = ctx.store().create(NewWorkspace.of("debian:12")).workspaceId();
        // The creator holds the exclusive lock for the whole create; another thread stands in for it.
        var locked = new java.util.concurrent.CountDownLatch(1);
        var release = new java.util.concurrent.CountDownLatch(1);
        Thread creator = Thread.ofPlatform().start(() -> {
            try (WorkspaceLock held = ctx.store().lock(id, LockMode.EXCLUSIVE)) {
                locked.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        locked.await();
        assertThat(new WorkspaceInspector(ctx).status(id).state()).isEqualTo(WorkspaceState.CREATING);
        release.countDown();
        creator.join();
        assertThat(new WorkspaceInspector(ctx).status(id).state()).isEqualTo(WorkspaceState.FAILED);
    }
}
