package dev.pyro.workspace;

import dev.pyro.workspace.store.Failpoints;
import dev.pyro.ErrorCode;
import dev.pyro.ProgressEvent;
import dev.pyro.ProgressListener;
import dev.pyro.PyroException;
import dev.pyro.vm.BackendChoice;
import dev.pyro.vm.BootImage;
import dev.pyro.workspace.disk.DiskLayers;
import dev.pyro.workspace.store.DiskLayer;
import dev.pyro.workspace.store.DiskOperation;
import dev.pyro.workspace.store.DiskState;
import dev.pyro.workspace.store.DiskStates;
import dev.pyro.workspace.store.WorkspacePaths;
import dev.pyro.workspace.store.WorkspaceRecord;
import dev.pyro.workspace.store.WorkspaceState;
import java.io.IOException;
import java.nio.file.Files;

/**
 * {@code workspace reset}: rebuilds the sandbox from a snapshot. The VM is shut down, a new
 * active layer is put on the chosen snapshot's layer (the old active layer goes), the kept
 * root layer is dropped (the root file system starts from the environment again), the
 * command journal is emptied, and a fresh VM boots with its own time to live. The id, the
 * snapshots and the diff baseline stay, so a diff afterwards shows exactly what the
 * snapshot holds beyond the baseline. Shells and services ended with the old guest.
 */
public final class WorkspaceReset {
    private static final String OP = "workspace-reset";

    private final WorkspaceContext ctx;

    /** Reset over {@code ctx}. */
    public WorkspaceReset(WorkspaceContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Resets {@code id} to snapshot {@code snapshot} ({@code null}: {@code baseline}).
     *
     * @throws PyroException {@link ErrorCode#INVALID_ARGUMENT} (a malformed name),
     *                       {@link ErrorCode#SNAPSHOT_NOT_FOUND}, {@link ErrorCode#WORKSPACE_NOT_RUNNING}
     *                       (no disk: its create failed), {@link ErrorCode#BUSY} (another operation
     *                       holds the workspace), {@link ErrorCode#VM_BOOT_FAILED}
     */
    public WorkspaceRecord reset(String id, String snapshot, ProgressListener progress) {
        String name = SnapshotName.check(snapshot == null ? DiskState.BASELINE : snapshot);
        return new ExclusiveWorkspace(ctx).use(id, held -> {
            WorkspacePaths paths = held.paths();
            DiskState disk = held.requireDisk("reset");
            if (disk.snapshot(name).isEmpty()) {
                throw WorkspaceSnapshots.notFound(id, name);
            }
            BootImage image = ctx.environments().resolve(held.record().environment(), progress);
            BackendChoice choice = ctx.backend().get();
            String file = disk.nextLayerFile();
            DiskState pending = DiskStates.write(paths, disk.withLayerTaken().withOperation(DiskOperation.begin(
                    DiskOperation.Kind.RESET, name, file, ctx.clock().instant())));
            Failpoints.reached(OP, "recorded");
            // Before the VM goes, so that nothing takes the record for a running workspace meanwhile.
            WorkspaceRecord stopping = ctx.store().update(id, r -> r.withState(WorkspaceState.STOPPED,
                    "reset to " + name + " in progress"));
            progress.onProgress(ProgressEvent.phase(OP, "shutdown", id));
            WorkspacePower.endGuest(ctx, paths, GuestEndHook.Cause.RESET);
            ctx.store().update(id, r -> r.withVm(null));
            Failpoints.reached(OP, "stopped");
            progress.onProgress(ProgressEvent.phase(OP, "layers", id));
            DiskState rebuilt = rebuild(ctx, paths, pending);
            Failpoints.reached(OP, "rebuilt");
            try {
                return WorkspacePower.bootAndRecord(ctx, stopping, rebuilt, image, choice, OP, progress);
            } finally {
                DiskStates.write(paths, DiskStates.read(paths).orElse(rebuilt).withOperation(null));
            }
        });
    }

    /**
     * The disk side of a reset recorded in {@code disk} (its operation): a new active layer on
     * the snapshot's layer (unless that was done), the old active layer removed, the root layer
     * dropped, the journal emptied. Safe to run again after a crash at any point in it.
     */
    static DiskState rebuild(WorkspaceContext ctx, WorkspacePaths paths, DiskState disk) {
        DiskOperation op = disk.operation();
        DiskLayer target = disk.snapshot(op.snapshot()).orElseThrow(() -> new PyroException(ErrorCode.INTERNAL,
                "reset to " + op.snapshot() + ": the snapshot vanished"));
        DiskState current = disk;
        if (!current.active().equals(op.layer())) {
            DiskLayers layers = DiskLayers.of(current.layout(), paths.diskDir());
            String old = current.active();
            layers.reset(current, target, op.layer());
            current = DiskStates.write(paths, layers.resetDone(current, target, op.layer()));
            try {
                Files.deleteIfExists(paths.diskDir().resolve(old));
            } catch (IOException e) {
                throw new PyroException(ErrorCode.IO_ERROR, "cannot remove the old active layer " + old + ": "
                        + e.getMessage(), e);
            }
        }
        current = WorkspaceBoot.dropRootLayer(paths, current);
        ctx.journal().clear(paths.id().value());
        return current;
    }
}
