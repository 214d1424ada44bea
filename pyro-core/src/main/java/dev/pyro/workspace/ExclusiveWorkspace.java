package dev.pyro.workspace;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.workspace.store.DiskState;
import dev.pyro.workspace.store.DiskStates;
import dev.pyro.workspace.store.LockMode;
import dev.pyro.workspace.store.WorkspaceLock;
import dev.pyro.workspace.store.WorkspacePaths;
import dev.pyro.workspace.store.WorkspaceRecord;
import java.util.Optional;

/**
 * The way into a workspace for the lifecycle operations that change its VM or its disk
 * (snapshot create and delete, reset, stop, start, the disk tools): the record is reconciled
 * with reality first (expiry, a dead VM), the workspace lock is taken <em>exclusively</em> (so
 * running execs finish first and none starts meanwhile; {@link ErrorCode#BUSY} when another
 * operation holds it too long), and an operation that a killed process left in
 * {@code disk.json} is finished or undone ({@link DiskRepair}) before anything else happens.
 */
final class ExclusiveWorkspace {
    private final WorkspaceContext ctx;

    ExclusiveWorkspace(WorkspaceContext ctx) {
        this.ctx = ctx;
    }

    /** What an operation holds: the paths, the record and the disk state (empty: a workspace without one). */
    record Held(WorkspacePaths paths, WorkspaceRecord record, Optional<DiskState> disk) {
        String id() {
            return record.workspaceId();
        }

        /**
         * The disk state, or {@link ErrorCode#WORKSPACE_NOT_RUNNING} for a workspace whose create
         * never made its disk (or that a pyro without disk layers created).
         */
        DiskState requireDisk(String what) {
            return disk.filter(d -> d.snapshot(DiskState.BASELINE).isPresent())
                    .orElseThrow(() -> new PyroException(ErrorCode.WORKSPACE_NOT_RUNNING, "workspace " + id()
                            + " has no /workspace disk to " + what + " (" + (disk.isEmpty() && record.stateReason() == null
                                    ? "it was created by an older pyro without disk layers"
                                    : "its create did not finish: " + record.stateReason()) + ")"));
        }
    }

    /** Work done while holding the workspace exclusively. */
    @FunctionalInterface
    interface Action<T> {
        T run(Held held);
    }

    /** Runs {@code action} on workspace {@code id}, exclusively, after repairing an interrupted operation. */
    <T> T use(String id, Action<T> action) {
        ctx.store().paths(id); // an unknown id first
        new WorkspaceInspector(ctx).refresh(id);
        try (WorkspaceLock lock = ctx.store().lock(id, LockMode.EXCLUSIVE)) {
            return action.run(repaired(id));
        }
    }

    /**
     * The workspace after repairing what an interrupted operation left; the caller holds the
     * exclusive lock (so no other process is in the middle of one).
     */
    Held repaired(String id) {
        WorkspacePaths paths = ctx.store().paths(id);
        Optional<DiskState> disk = DiskStates.read(paths);
        if (disk.isPresent() && disk.get().operation() != null) {
            disk = Optional.of(new DiskRepair(ctx).repair(paths, disk.get()));
        }
        return new Held(paths, ctx.store().read(id), disk);
    }
}
