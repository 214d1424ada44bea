package dev.pyro.workspace;

import dev.pyro.workspace.store.Failpoints;
import dev.pyro.ErrorCode;
import dev.pyro.ProgressEvent;
import dev.pyro.ProgressListener;
import dev.pyro.PyroException;
import dev.pyro.vm.BackendChoice;
import dev.pyro.vm.BootImage;
import dev.pyro.workspace.store.DiskOperation;
import dev.pyro.workspace.store.DiskState;
import dev.pyro.workspace.store.DiskStates;
import dev.pyro.workspace.store.WorkspacePaths;
import dev.pyro.workspace.store.WorkspaceRecord;
import dev.pyro.workspace.store.WorkspaceState;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * {@code workspace stop} and {@code workspace start}. Stop shuts the guest down cleanly (the
 * agent ends every process, writes the file systems out and freezes the workspace disk, so its
 * image is clean), waits for the VMM to exit and frees its memory; {@code /workspace}, its
 * snapshots, the kept root layer, the journal and the baseline stay. Start boots the same
 * workspace again on them, with its time to live counted from the new boot. Shells and
 * services live in the guest and do not survive a stop. Both hold the workspace lock
 * exclusively and record themselves in {@code disk.json} first.
 */
public final class WorkspacePower {
    private static final String STOP = "workspace-stop";
    private static final String START = "workspace-start";

    private final WorkspaceContext ctx;

    /** Stop and start over {@code ctx}. */
    public WorkspacePower(WorkspaceContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Stops a started workspace.
     *
     * @throws PyroException {@link ErrorCode#WORKSPACE_NOT_RUNNING} unless started,
     *                       {@link ErrorCode#BUSY} while another operation holds it
     */
    public WorkspaceRecord stop(String id, ProgressListener progress) {
        return new ExclusiveWorkspace(ctx).use(id, held -> {
            WorkspaceRecord r = held.record();
            if (r.state() != WorkspaceState.STARTED) {
                throw StartedWorkspace.notRunning(r);
            }
            DiskState disk = held.requireDisk("stop and start again");
            DiskStates.write(held.paths(), disk.withOperation(DiskOperation.begin(DiskOperation.Kind.STOP, null, null,
                    now())));
            Failpoints.reached(STOP, "recorded");
            progress.onProgress(ProgressEvent.phase(STOP, "shutdown", id));
            endGuest(ctx, held.paths(), GuestEndHook.Cause.STOP);
            WorkspaceRecord stopped = ctx.store().update(id, cur -> cur.withState(WorkspaceState.STOPPED, null)
                    .withVm(null).withActivityAt(now()));
            DiskStates.write(held.paths(), disk.withOperation(null));
            progress.onProgress(ProgressEvent.phase(STOP, "stopped", id));
            return stopped;
        });
    }

    /**
     * Boots a stopped (or expired, or failed) workspace again on its disk.
     *
     * @throws PyroException {@link ErrorCode#WORKSPACE_RUNNING} when it is started already,
     *                       {@link ErrorCode#WORKSPACE_NOT_RUNNING} for one without a disk (its
     *                       create failed), {@link ErrorCode#VM_BOOT_FAILED} (the workspace is
     *                       then failed, its disk kept), {@link ErrorCode#BUSY}
     */
    public WorkspaceRecord start(String id, ProgressListener progress) {
        return new ExclusiveWorkspace(ctx).use(id, held -> {
            WorkspaceRecord r = held.record();
            if (r.state() == WorkspaceState.STARTED) {
                throw new PyroException(ErrorCode.WORKSPACE_RUNNING, "workspace " + id + " is already started");
            }
            DiskState disk = held.requireDisk("start");
            BootImage image = ctx.environments().resolve(r.environment(), progress);
            BackendChoice choice = ctx.backend().get();
            DiskState pending = DiskStates.write(held.paths(), disk.withOperation(DiskOperation.begin(
                    DiskOperation.Kind.START, null, null, now())));
            Failpoints.reached(START, "recorded");
            try {
                return bootAndRecord(ctx, r, pending, image, choice, START, progress);
            } finally {
                DiskStates.write(held.paths(), DiskStates.read(held.paths()).orElse(pending).withOperation(null));
            }
        });
    }

    /**
     * Boots {@code r} on {@code disk} and records it started with a fresh time to live; a boot
     * that fails leaves no VM and the workspace {@code failed} (its disk kept; start again).
     */
    static WorkspaceRecord bootAndRecord(WorkspaceContext ctx, WorkspaceRecord r, DiskState disk, BootImage image,
            BackendChoice choice, String op, ProgressListener progress) {
        String id = r.workspaceId();
        try {
            WorkspaceBoot.Booted booted = new WorkspaceBoot(ctx).boot(r, disk, image, choice, op, progress);
            booted.agent().close();
        } catch (PyroException e) {
            ctx.supervisor().stop(ctx.store().paths(id).vmStateDir());
            String reason = WorkspaceCreator.oneLine(op.substring(op.indexOf('-') + 1) + " failed: " + e.getMessage());
            ctx.store().update(id, cur -> cur.withState(WorkspaceState.FAILED, reason).withVm(null));
            throw new PyroException(e.code(), "workspace " + id + " did not start: " + e.getMessage()
                    + " (its disk is kept; start it again or delete it)", e);
        }
        Instant now = now(ctx);
        WorkspaceRecord started = ctx.store().update(id, cur -> cur.withState(WorkspaceState.STARTED, null)
                .withTtlFrom(now).withActivityAt(now));
        progress.onProgress(ProgressEvent.phase(op, "started", id));
        return started;
    }

    /**
     * Ends the guest on purpose: kept agent connections are dropped, the guest powers off
     * cleanly (the VMM is stopped after a grace), and {@link GuestEndHook}s are told.
     */
    static void endGuest(WorkspaceContext ctx, WorkspacePaths paths, GuestEndHook.Cause cause) {
        String id = paths.id().value();
        ctx.connections().drop(id);
        ctx.supervisor().stop(paths.vmStateDir());
        // the published ports' forwards ended with the VM
        dev.pyro.workspace.store.NetworkStates.releaseAll(paths);
        ctx.guestEnd().guestEnded(id, paths, cause);
    }

    private Instant now() {
        return now(ctx);
    }

    private static Instant now(WorkspaceContext ctx) {
        return ctx.clock().instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
