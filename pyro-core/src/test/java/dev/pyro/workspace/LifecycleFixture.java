package dev.pyro.workspace;

import dev.pyro.ErrorCode;
import dev.pyro.ProgressListener;
import dev.pyro.PyroException;
import dev.pyro.vm.BackendChoice;
import dev.pyro.vm.BackendKind;
import dev.pyro.vm.BootImage;
import dev.pyro.vm.DiskFormat;
import dev.pyro.vm.VmInstance;
import dev.pyro.vm.VmLocator;
import dev.pyro.vm.VmSpec;
import dev.pyro.vm.Vmm;
import dev.pyro.workspace.disk.DiskLayers;
import dev.pyro.workspace.store.CommandJournal;
import dev.pyro.workspace.store.DiskState;
import dev.pyro.workspace.store.DiskStates;
import dev.pyro.workspace.store.NewWorkspace;
import dev.pyro.workspace.store.WorkspacePaths;
import dev.pyro.workspace.store.WorkspaceState;
import dev.pyro.workspace.store.WorkspaceStore;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Workspaces with a real layered disk (qcow2 layers made by qemu-img) but no VM: what the
 * lifecycle operations do to records and layers when nothing runs. Booting always fails
 * ({@link ErrorCode#VM_BOOT_FAILED}), like a guest that never comes up.
 */
final class LifecycleFixture {
    static final BootImage IMAGE = new BootImage(Path.of("/nonexistent/vmlinux"), List.of(),
            Path.of("/nonexistent/rootfs.ext4"), "6.1.0-test");

    private LifecycleFixture() {
    }

    /** A context over {@code home} with no VM anywhere, whose boots fail, and a short lock timeout. */
    static WorkspaceContext context(Path home, VmLocator vms) {
        WorkspaceStore store = new WorkspaceStore(home, Clock.systemUTC(), Duration.ofMillis(300));
        Vmm failing = new Vmm() {
            @Override
            public BackendKind kind() {
                return BackendKind.QEMU;
            }

            @Override
            public VmInstance start(VmSpec spec) {
                throw new PyroException(ErrorCode.VM_BOOT_FAILED, "the test VMM boots nothing");
            }
        };
        return new WorkspaceContext(store, new CommandJournal(store), (name, progress) -> IMAGE,
                () -> new BackendChoice(BackendKind.QEMU, false, true, "test"), choice -> failing, Clock.systemUTC(),
                AgentConnections.none(), vms);
    }

    /** A context in which no VM exists. */
    static WorkspaceContext context(Path home) {
        return context(home, stateDir -> Optional.empty());
    }

    /** A stopped workspace with a 16 MiB qcow2 disk and its baseline snapshot; returns its id. */
    static String stoppedWorkspace(WorkspaceContext ctx) throws Exception {
        String id = ctx.store().create(NewWorkspace.of("debian:12")).workspaceId();
        withDisk(ctx, id);
        ctx.store().update(id, r -> r.withState(WorkspaceState.STOPPED, null));
        return id;
    }

    /** Gives workspace {@code id} a layered disk with its baseline, as create does. */
    static DiskState withDisk(WorkspaceContext ctx, String id) throws Exception {
        WorkspacePaths paths = ctx.store().paths(id);
        Files.createDirectories(paths.diskDir());
        DiskLayers layers = DiskLayers.of(DiskFormat.QCOW2, paths.diskDir());
        try (RandomAccessFile f = new RandomAccessFile(layers.baseImage().toFile(), "rw")) {
            f.setLength(16L << 20);
        }
        DiskState disk = DiskStates.write(paths, layers.init());
        return SnapshotTaker.take(paths, disk, DiskState.BASELINE, Optional.empty(), ctx.clock().instant(), "test",
                ProgressListener.NONE);
    }

    /** The disk record of {@code id}. */
    static DiskState disk(WorkspaceContext ctx, String id) {
        return DiskStates.read(ctx.store().paths(id)).orElseThrow();
    }
}
