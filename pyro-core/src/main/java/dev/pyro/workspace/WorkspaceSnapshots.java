package dev.pyro.workspace;

import dev.pyro.workspace.store.Failpoints;
import dev.pyro.ErrorCode;
import dev.pyro.ProgressListener;
import dev.pyro.PyroException;
import dev.pyro.guest.AgentConnection;
import dev.pyro.vm.VmInstance;
import dev.pyro.workspace.disk.DiskLayers;
import dev.pyro.workspace.store.DiskLayer;
import dev.pyro.workspace.store.DiskOperation;
import dev.pyro.workspace.store.DiskState;
import dev.pyro.workspace.store.DiskStates;
import dev.pyro.workspace.store.LockMode;
import dev.pyro.workspace.store.WorkspaceId;
import dev.pyro.workspace.store.WorkspaceLock;
import dev.pyro.workspace.store.WorkspacePaths;
import dev.pyro.workspace.store.WorkspaceRecord;
import dev.pyro.workspace.store.WorkspaceState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Named snapshots of {@code /workspace}: {@code snapshot create}, {@code list} and
 * {@code delete}. A snapshot is a frozen disk layer (see {@link DiskLayers}), so taking one
 * costs the same whatever the workspace holds, and snapshots share what they have in common.
 * {@code baseline} (the disk right after create seeded it) always exists and cannot be
 * deleted. A workspace keeps at most {@link #MAX_SNAPSHOTS} more, which bounds the layer
 * chain a VM reads through (deleting a snapshot merges its layer into the ones above it).
 */
public final class WorkspaceSnapshots {
    /** Snapshots a workspace may keep besides {@code baseline}. */
    public static final int MAX_SNAPSHOTS = 32;
    private static final String CREATE = "workspace-snapshot-create";
    private static final String DELETE = "workspace-snapshot-delete";

    private final WorkspaceContext ctx;

    /** Snapshots over {@code ctx}. */
    public WorkspaceSnapshots(WorkspaceContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Takes snapshot {@code name} of a workspace's {@code /workspace}: of a started one with its
     * file system frozen for the moment of the switch (execs wait for the workspace lock, so
     * none is half-way), of a stopped one as it rests.
     *
     * @return the snapshot's layer
     * @throws PyroException {@link ErrorCode#INVALID_ARGUMENT} (name), {@link ErrorCode#ALREADY_EXISTS},
     *                       {@link ErrorCode#TOO_MANY_SNAPSHOTS}, {@link ErrorCode#WORKSPACE_NOT_RUNNING}
     *                       (no disk), {@link ErrorCode#VM_DIED}, {@link ErrorCode#BUSY}
     */
    public DiskLayer create(String id, String name, ProgressListener progress) {
        SnapshotName.check(name);
        return new ExclusiveWorkspace(ctx).use(id, held -> {
            DiskState disk = held.requireDisk("snapshot");
            if (disk.snapshot(name).isPresent()) {
                throw new PyroException(ErrorCode.ALREADY_EXISTS, "workspace " + id + " already has a snapshot named "
                        + name + (name.equals(DiskState.BASELINE) ? " (taken at create)" : "; delete it first or "
                        + "choose another name"));
            }
            if (disk.namedSnapshots() >= MAX_SNAPSHOTS) {
                throw new PyroException(ErrorCode.TOO_MANY_SNAPSHOTS, "workspace " + id + " has " + MAX_SNAPSHOTS
                        + " snapshots besides baseline, the most it keeps; delete one first");
            }
            Optional<VmInstance> vm = runningVm(held);
            DiskState done;
            if (vm.isPresent()) {
                try (AgentConnection agent = ctx.supervisor().connect(vm.get())) {
                    done = SnapshotTaker.take(held.paths(), disk, name,
                            Optional.of(new SnapshotTaker.Running(vm.get(), agent)), ctx.clock().instant(), CREATE,
                            progress);
                }
            } else {
                done = SnapshotTaker.take(held.paths(), disk, name, Optional.empty(), ctx.clock().instant(), CREATE,
                        progress);
            }
            ctx.store().touch(id);
            return done.snapshot(name).orElseThrow();
        });
    }

    /**
     * The snapshots of a workspace, {@code baseline} first, then in creation order. An
     * operation a killed process left is repaired first when the workspace is free; while
     * another operation holds it, its current record is listed.
     */
    public List<DiskLayer> list(String id) {
        WorkspacePaths paths = ctx.store().paths(id);
        Optional<DiskState> disk = DiskStates.read(paths);
        if (disk.isPresent() && disk.get().operation() != null) {
            try (WorkspaceLock lock = WorkspaceLock.acquire(new WorkspaceId(id), paths.lockFile(), LockMode.EXCLUSIVE,
                    Duration.ZERO)) {
                disk = new ExclusiveWorkspace(ctx).repaired(id).disk();
            } catch (PyroException e) {
                if (e.code() != ErrorCode.BUSY) {
                    throw e;
                }
            }
        }
        WorkspaceRecord r = ctx.store().read(id);
        return new ExclusiveWorkspace.Held(paths, r, disk).requireDisk("list snapshots of").layers();
    }

    /**
     * Deletes snapshot {@code name}. Its layer is merged into the layers written over it (in a
     * running VM too), which costs what that layer holds, never the whole disk.
     *
     * @throws PyroException {@link ErrorCode#INVALID_ARGUMENT} ({@code baseline}, or a malformed
     *                       name), {@link ErrorCode#SNAPSHOT_NOT_FOUND}, {@link ErrorCode#BUSY}
     */
    public void delete(String id, String name, ProgressListener progress) {
        SnapshotName.check(name);
        if (name.equals(DiskState.BASELINE)) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "the baseline snapshot of workspace " + id
                    + " cannot be deleted: diff and reset rely on it");
        }
        new ExclusiveWorkspace(ctx).use(id, held -> {
            DiskState disk = held.requireDisk("delete snapshots of");
            DiskLayer layer = disk.snapshot(name).orElseThrow(() -> notFound(id, name));
            DiskState pending = DiskStates.write(held.paths(), disk.withOperation(DiskOperation.begin(
                    DiskOperation.Kind.SNAPSHOT_DELETE, name, null, ctx.clock().instant())));
            Failpoints.reached(DELETE, "recorded");
            DiskLayers layers = DiskLayers.of(pending.layout(), held.paths().diskDir());
            layers.delete(pending, layer, runningVm(held).flatMap(VmInstance::liveDisk));
            DiskStates.write(held.paths(), layers.deleted(pending, layer).withOperation(null));
            return null;
        });
    }

    /** The error for an unknown snapshot name. */
    static PyroException notFound(String id, String name) {
        return new PyroException(ErrorCode.SNAPSHOT_NOT_FOUND, "workspace " + id + " has no snapshot named " + name
                + "; snapshot list shows the ones it has");
    }

    /** The VM of a started workspace; a started one whose VM is gone is recorded as such first. */
    private Optional<VmInstance> runningVm(ExclusiveWorkspace.Held held) {
        if (held.record().state() != WorkspaceState.STARTED) {
            return Optional.empty();
        }
        Optional<VmInstance> vm = ctx.supervisor().attach(held.paths().vmStateDir()).filter(VmInstance::isAlive);
        if (vm.isEmpty()) {
            WorkspaceRecord r = new WorkspaceInspector(ctx).markDied(held.id());
            throw new PyroException(ErrorCode.VM_DIED, "workspace " + held.id() + ": the VM died (" + r.stateReason()
                    + "); the workspace is now " + r.state().wireName() + " and keeps its files and snapshots");
        }
        return vm;
    }
}
