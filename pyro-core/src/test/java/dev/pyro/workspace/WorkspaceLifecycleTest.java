package dev.pyro.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.ProgressListener;
import dev.pyro.PyroException;
import dev.pyro.ServiceCounts;
import dev.pyro.run.HelperVm;
import dev.pyro.workspace.store.BoundedOutput;
import dev.pyro.workspace.store.CommandRequest;
import dev.pyro.workspace.store.CommandResult;
import dev.pyro.workspace.store.DiskLayer;
import dev.pyro.workspace.store.DiskOperation;
import dev.pyro.workspace.store.DiskState;
import dev.pyro.workspace.store.DiskStates;
import dev.pyro.workspace.store.LockMode;
import dev.pyro.workspace.store.ProcessOwner;
import dev.pyro.workspace.store.WorkspaceLock;
import dev.pyro.workspace.store.WorkspacePaths;
import dev.pyro.workspace.store.WorkspaceRecord;
import dev.pyro.workspace.store.WorkspaceState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots, reset, stop/start and the disk tools on workspaces with a real layered disk but no
 * VM: names, limits, state checks, boot failures, locks, and the repair of operations a killed
 * process left (the guest side is in the guest tests).
 */
class WorkspaceLifecycleTest {
    /** An owner that is certainly gone. */
    private static final ProcessOwner DEAD = new ProcessOwner(Long.MAX_VALUE, null);

    @TempDir
    Path home;

    private static void assertCode(Throwable t, ErrorCode code) {
        assertThat(t).isInstanceOfSatisfying(PyroException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    private static List<String> names(List<DiskLayer> layers) {
        return layers.stream().map(DiskLayer::snapshot).toList();
    }

    @Test
    void aStoppedWorkspaceTakesListsAndDeletesSnapshotsOffline() throws Exception {
        WorkspaceContext ctx = LifecycleFixture.context(home);
        String id = LifecycleFixture.stoppedWorkspace(ctx);
        WorkspaceSnapshots snapshots = new WorkspaceSnapshots(ctx);
        assertThat(names(snapshots.list(id))).containsExactly("baseline");
        DiskLayer s1 = snapshots.create(id, "s1", ProgressListener.NONE);
        snapshots.create(id, "s-2.final_v1", ProgressListener.NONE);
        assertThat(s1.snapshot()).isEqualTo("s1");
        assertThat(names(snapshots.list(id))).containsExactly("baseline", "s1", "s-2.final_v1");
        snapshots.delete(id, "s1", ProgressListener.NONE);
        assertThat(names(snapshots.list(id))).containsExactly("baseline", "s-2.final_v1");
        DiskState disk = LifecycleFixture.disk(ctx, id);
        assertThat(home.resolve("workspaces").resolve(id).resolve("disk").resolve(s1.file())).doesNotExist();
        assertThat(disk.snapshot("s-2.final_v1").orElseThrow().parent()).isEqualTo("L-1.qcow2");
        assertThat(disk.operation()).isNull();
        assertThat(ctx.store().read(id).state()).isEqualTo(WorkspaceState.STOPPED);
    }

    @Test
    void hostileSnapshotNamesAreRefusedAndChangeNothing() throws Exception {
        WorkspaceContext ctx = LifecycleFixture.context(home);
        String id = LifecycleFixture.stoppedWorkspace(ctx);
        WorkspacePaths paths = ctx.store().paths(id);
        byte[] before = Files.readAllBytes(paths.diskStateFile());
        WorkspaceSnapshots snapshots = new WorkspaceSnapshots(ctx);
        for (String bad : List.of("", "-x", ".hidden", "_x", "a/b", "../../etc", "..", "a b", "x\ny", "\u001b[31m",
                "ünïcode", "a".repeat(65), "a\u0000b", "L-1.qcow2/")) {
            assertThatThrownBy(() -> snapshots.create(id, bad, ProgressListener.NONE)).as(bad)
                    .satisfies(t -> assertCode(t, ErrorCode.INVALID_ARGUMENT))
                    .hasMessageNotContaining("\u001b").hasMessageNotContaining("\n");
            assertThatThrownBy(() -> snapshots.delete(id, bad, ProgressListener.NONE)).as(bad)
                    .satisfies(t -> assertCode(t, ErrorCode.INVALID_ARGUMENT));
            assertThatThrownBy(() -> new WorkspaceReset(ctx).reset(id, bad, ProgressListener.NONE)).as(bad)
                    .satisfies(t -> assertCode(t, ErrorCode.INVALID_ARGUMENT));
        }
        assertThat(Files.readAllBytes(paths.diskStateFile())).isEqualTo(before);
        assertThat(snapshots.create(id, "a".repeat(64), ProgressListener.NONE).snapshot()).hasSize(64);
    }

    @Test
    void duplicatesTheBaselineAndUnknownSnapshotsHaveTheirOwnCodes() throws Exception {
        WorkspaceContext ctx = LifecycleFixture.context(home);
        String id = LifecycleFixture.stoppedWorkspace(ctx);
        WorkspaceSnapshots snapshots = new WorkspaceSnapshots(ctx);
        snapshots.create(id, "s1", ProgressListener.NONE);
        assertThatThrownBy(() -> snapshots.create(id, "s1", ProgressListener.NONE))
                .satisfies(t -> assertCode(t, ErrorCode.ALREADY_EXISTS)).hasMessageContaining("s1");
        assertThatThrownBy(() -> snapshots.create(id, "baseline", ProgressListener.NONE))
                .satisfies(t -> assertCode(t, ErrorCode.ALREADY_EXISTS));
        assertThatThrownBy(() -> snapshots.delete(id, "baseline", ProgressListener.NONE))
                .satisfies(t -> assertCode(t, ErrorCode.INVALID_ARGUMENT)).hasMessageContaining("cannot be deleted");
        assertThatThrownBy(() -> snapshots.delete(id, "nope", ProgressListener.NONE))
                .satisfies(t -> assertCode(t, ErrorCode.SNAPSHOT_NOT_FOUND));
        assertThatThrownBy(() -> new WorkspaceReset(ctx).reset(id, "nope", ProgressListener.NONE))
                .satisfies(t -> assertCode(t, ErrorCode.SNAPSHOT_NOT_FOUND));
        assertThatThrownBy(() -> snapshots.list("ws-doesnotexist")).satisfies(t -> assertCode(t,
                ErrorCode.WORKSPACE_NOT_FOUND));
        assertThat(names(snapshots.list(id))).containsExactly("baseline", "s1");
    }

    @Test
    void aWorkspaceKeepsAtMostItsLimitOfSnapshots() throws Exception {
        WorkspaceContext ctx = LifecycleFixture.context(home);
        String id = LifecycleFixture.stoppedWorkspace(ctx);
        WorkspaceSnapshots snapshots = new WorkspaceSnapshots(ctx);
        for (int i = 0; i < WorkspaceSnapshots.MAX_SNAPSHOTS; i++) {
            snapshots.create(id, "s" + i, ProgressListener.NONE);
        }
        assertThatThrownBy(() -> snapshots.create(id, "one-more", ProgressListener.NONE))
                .satisfies(t -> assertCode(t, ErrorCode.TOO_MANY_SNAPSHOTS));
        snapshots.delete(id, "s7", ProgressListener.NONE);
        snapshots.create(id, "one-more", ProgressListener.NONE);
        // The chain a VM reads through stays bounded: baseline, the snapshots, the active layer.
        assertThat(LifecycleFixture.disk(ctx, id).chain()).hasSize(WorkspaceSnapshots.MAX_SNAPSHOTS + 2);
    }

    @Test
    void anInterruptedSnapshotIsExplainedByStatusThenUndoneByTheNextCall() throws Exception {
        WorkspaceContext ctx = LifecycleFixture.context(home);
        String id = LifecycleFixture.stoppedWorkspace(ctx);
        WorkspacePaths paths = ctx.store().paths(id);
        DiskState disk = LifecycleFixture.disk(ctx, id);
        String file = disk.nextLayerFile();
        DiskStates.write(paths, disk.withLayerTaken().withOperation(new DiskOperation(
                DiskOperation.Kind.SNAPSHOT_CREATE, "s1", file, Instant.now(), DEAD)));
        Files.writeString(paths.diskDir().resolve(file), "not a layer yet");
        Files.writeString(paths.diskDir().resolve("L-99.qcow2"), "a stray layer nothing names");

        dev.pyro.WorkspaceStatus status = WorkspaceViews.status(ctx.store(), ctx.store().read(id), 0, ServiceCounts.NONE);
        assertThat(status.operation()).isEqualTo(new dev.pyro.WorkspaceStatus.Operation("snapshot_create", "s1",
                LifecycleFixture.disk(ctx, id).operation().startedAt(), true));
        assertThat(dev.pyro.present.WorkspaceText.status(status))
                .contains("Operation: snapshot create s1 since ").contains("interrupted");

        assertThat(names(new WorkspaceSnapshots(ctx).list(id))).containsExactly("baseline");
        DiskState repaired = LifecycleFixture.disk(ctx, id);
        assertThat(repaired.operation()).isNull();
        assertThat(paths.diskDir().resolve(file)).doesNotExist();
        assertThat(paths.diskDir().resolve("L-99.qcow2")).doesNotExist();
        assertThat(WorkspaceViews.status(ctx.store(), ctx.store().read(id), 0, ServiceCounts.NONE).operation()).isNull();
    }

    @Test
    void anInterruptedResetIsFinishedAndLeavesAStoppedWorkspaceThatSaysWhy() throws Exception {
        WorkspaceContext ctx = LifecycleFixture.context(home);
        String id = LifecycleFixture.stoppedWorkspace(ctx);
        WorkspacePaths paths = ctx.store().paths(id);
        new WorkspaceSnapshots(ctx).create(id, "s1", ProgressListener.NONE);
        long seq = ctx.journal().allocate(id, new CommandRequest(List.of("true"), "/workspace", "qemu-tcg"));
        ctx.journal().complete(id, seq, new CommandResult(0, null, false, 1, null, BoundedOutput.empty(),
                BoundedOutput.empty()));
        DiskState disk = LifecycleFixture.disk(ctx, id);
        String oldActive = disk.active();
        String file = disk.nextLayerFile();
        DiskStates.write(paths, disk.withLayerTaken().withOperation(new DiskOperation(DiskOperation.Kind.RESET, "s1",
                file, Instant.now(), DEAD)));
        ctx.store().update(id, r -> r.withState(WorkspaceState.STOPPED, "reset to s1 in progress"));

        assertThat(WorkspaceViews.status(ctx.store(), ctx.store().read(id), 0, ServiceCounts.NONE).operation().kind()).isEqualTo("reset");
        new WorkspaceSnapshots(ctx).list(id); // the next call

        DiskState repaired = LifecycleFixture.disk(ctx, id);
        assertThat(repaired.operation()).isNull();
        assertThat(repaired.active()).isEqualTo(file);
        assertThat(repaired.activeParent()).isEqualTo(repaired.snapshot("s1").orElseThrow().file());
        assertThat(paths.diskDir().resolve(oldActive)).doesNotExist();
        WorkspaceRecord r = ctx.store().read(id);
        assertThat(r.state()).isEqualTo(WorkspaceState.STOPPED);
        assertThat(r.stateReason()).contains("reset to s1 was interrupted").contains("start it");
        assertThat(r.commandCount()).isZero();
        assertThat(ctx.journal().entries(id)).isEmpty();
    }

    @Test
    void aBootThatFailsLeavesAFailedWorkspaceWithItsDiskAndNoOperation() throws Exception {
        WorkspaceContext ctx = LifecycleFixture.context(home);
        String id = LifecycleFixture.stoppedWorkspace(ctx);
        new WorkspaceSnapshots(ctx).create(id, "s1", ProgressListener.NONE);
        assertThatThrownBy(() -> new WorkspacePower(ctx).start(id, ProgressListener.NONE))
                .satisfies(t -> assertCode(t, ErrorCode.VM_BOOT_FAILED)).hasMessageContaining("disk is kept");
        WorkspaceRecord r = ctx.store().read(id);
        assertThat(r.state()).isEqualTo(WorkspaceState.FAILED);
        assertThat(r.stateReason()).startsWith("start failed: ");
        assertThat(LifecycleFixture.disk(ctx, id).operation()).isNull();
        assertThatThrownBy(() -> new WorkspaceReset(ctx).reset(id, "s1", ProgressListener.NONE))
                .satisfies(t -> assertCode(t, ErrorCode.VM_BOOT_FAILED));
        assertThat(names(new WorkspaceSnapshots(ctx).list(id))).containsExactly("baseline", "s1");
        assertThat(LifecycleFixture.disk(ctx, id).operation()).isNull();
    }

    @Test
    void stoppingAStoppedWorkspaceAndUsingOneWithoutADiskHaveTheirCodes() throws Exception {
        WorkspaceContext ctx = LifecycleFixture.context(home);
        String id = LifecycleFixture.stoppedWorkspace(ctx);
        assertThatThrownBy(() -> new WorkspacePower(ctx).stop(id, ProgressListener.NONE))
                .satisfies(t -> assertCode(t, ErrorCode.WORKSPACE_NOT_RUNNING));
        String bare = ctx.store().create(dev.pyro.workspace.store.NewWorkspace.of("debian:12")).workspaceId();
        ctx.store().update(bare, r -> r.withState(WorkspaceState.FAILED, "boot failed"));
        assertThatThrownBy(() -> new WorkspacePower(ctx).start(bare, ProgressListener.NONE))
                .satisfies(t -> assertCode(t, ErrorCode.WORKSPACE_NOT_RUNNING)).hasMessageContaining("boot failed");
        assertThatThrownBy(() -> new WorkspaceSnapshots(ctx).create(bare, "s1", ProgressListener.NONE))
                .satisfies(t -> assertCode(t, ErrorCode.WORKSPACE_NOT_RUNNING));
    }

    @Test
    void aResetWhileAnotherOperationHoldsTheWorkspaceIsBusyAndChangesNothing() throws Exception {
        WorkspaceContext ctx = LifecycleFixture.context(home);
        String id = LifecycleFixture.stoppedWorkspace(ctx);
        byte[] before = Files.readAllBytes(ctx.store().paths(id).diskStateFile());
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> {
            try (WorkspaceLock lock = ctx.store().lock(id, LockMode.SHARED)) { // an exec, say
                held.countDown();
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        held.await(10, TimeUnit.SECONDS);
        try {
            assertThatThrownBy(() -> new WorkspaceReset(ctx).reset(id, "baseline", ProgressListener.NONE))
                    .satisfies(t -> assertCode(t, ErrorCode.BUSY));
            assertThatThrownBy(() -> new WorkspaceSnapshots(ctx).create(id, "s1", ProgressListener.NONE))
                    .satisfies(t -> assertCode(t, ErrorCode.BUSY));
        } finally {
            release.countDown();
            holder.get(10, TimeUnit.SECONDS);
        }
        assertThat(Files.readAllBytes(ctx.store().paths(id).diskStateFile())).isEqualTo(before);
    }

    @Test
    void diskToolsCheckTheirArgumentsAndRefuseARunningWorkspace() throws Exception {
        Path root = Files.createDirectories(home.resolve("root"));
        try (DevAgentVm vm = DevAgentVm.start(home.resolve("agent"), root)) {
            WorkspaceContext ctx = LifecycleFixture.context(home.resolve("pyro"), stateDir -> java.util.Optional.of(vm));
            String id = vm.startedWorkspace(ctx);
            LifecycleFixture.withDisk(ctx, id);
            WorkspaceDiskTools tools = new WorkspaceDiskTools(ctx, new HelperVm(home.resolve("vms"),
                    ctx.backend(), ctx.vmms()));
            assertThatThrownBy(() -> tools.list(id, null, true, ProgressListener.NONE))
                    .satisfies(t -> assertCode(t, ErrorCode.WORKSPACE_RUNNING));
            assertThatThrownBy(() -> tools.read(id, "a.txt", 10, ProgressListener.NONE))
                    .satisfies(t -> assertCode(t, ErrorCode.WORKSPACE_RUNNING));
            assertThatThrownBy(() -> tools.export(id, home.resolve("disk.img"), ProgressListener.NONE))
                    .satisfies(t -> assertCode(t, ErrorCode.WORKSPACE_RUNNING));
            assertThatThrownBy(() -> new WorkspacePower(ctx).start(id, ProgressListener.NONE))
                    .satisfies(t -> assertCode(t, ErrorCode.WORKSPACE_RUNNING)).hasMessageContaining("already started");
            for (int bad : new int[] {0, -1, WorkspaceDiskTools.MAX_READ_BYTES + 1, Integer.MIN_VALUE}) {
                assertThatThrownBy(() -> tools.read(id, "a.txt", bad, ProgressListener.NONE))
                        .satisfies(t -> assertCode(t, ErrorCode.INVALID_ARGUMENT));
            }
            for (String escape : List.of("../etc", "/etc/passwd", "a/../../x")) {
                assertThatThrownBy(() -> tools.list(id, escape, false, ProgressListener.NONE)).as(escape)
                        .satisfies(t -> assertCode(t, ErrorCode.PATH_OUTSIDE_WORKSPACE));
            }
            Files.writeString(home.resolve("exists.img"), "mine");
            assertThatThrownBy(() -> tools.export(id, home.resolve("exists.img"), ProgressListener.NONE))
                    .satisfies(t -> assertCode(t, ErrorCode.ALREADY_EXISTS));
            assertThat(Files.readString(home.resolve("exists.img"))).isEqualTo("mine");
            assertThatThrownBy(() -> tools.export(id, home.resolve("no/such/dir/x.img"), ProgressListener.NONE))
                    .satisfies(t -> assertCode(t, ErrorCode.NOT_FOUND));
        }
    }
}
