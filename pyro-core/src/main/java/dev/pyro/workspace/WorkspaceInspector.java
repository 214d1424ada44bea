package dev.pyro.workspace;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.WorkspaceStatus;
import dev.pyro.vm.VmInstance;
import dev.pyro.workspace.store.JournalEntry;
import dev.pyro.workspace.store.LockMode;
import dev.pyro.workspace.store.WorkspaceId;
import dev.pyro.workspace.store.WorkspaceLock;
import dev.pyro.workspace.store.WorkspacePaths;
import dev.pyro.workspace.store.WorkspaceRecord;
import dev.pyro.workspace.store.WorkspaceState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code status}, {@code list} and {@code logs}: the records, checked against reality
 * first. A started workspace whose VMM process is gone becomes {@code failed} with
 * {@code vm died: <why>}; one past its time to live has its VM stopped and becomes
 * {@code expired} (nothing is deleted); a {@code creating} one whose creator is gone
 * becomes {@code failed}. What is found is written back, so every process sees it.
 */
public final class WorkspaceInspector {
    private final WorkspaceContext ctx;

    /** An inspector over {@code ctx}. */
    public WorkspaceInspector(WorkspaceContext ctx) {
        this.ctx = ctx;
    }

    /** The record of {@code id} after the live checks. */
    public WorkspaceRecord status(String id) {
        return refresh(id);
    }

    /** Every readable workspace, most recently active first, each after the live checks. */
    public List<WorkspaceRecord> list() {
        ctx.journal().settleWrites(); // the order is this process's last commands' too
        return ctx.store().list().workspaces().stream().map(r -> {
            try {
                return refresh(r.workspaceId());
            } catch (PyroException e) {
                return e.code() == ErrorCode.WORKSPACE_NOT_FOUND ? null : r; // deleted meanwhile, or unreadable now
            }
        }).filter(java.util.Objects::nonNull).toList();
    }

    /**
     * The status view of {@code id} after the live checks, with its shells and services counted
     * in the guest (a VM found dead while counting is reported as such).
     */
    public WorkspaceStatus view(String id) {
        return view(refresh(id));
    }

    /** {@link #list()} as status views, shells and services counted. */
    public List<WorkspaceStatus> views() {
        return views(Map.of());
    }

    /** {@link #views()} of the workspaces that have every label of {@code labels}. */
    public List<WorkspaceStatus> views(Map<String, String> labels) {
        return list().stream().filter(r -> r.labels().entrySet().containsAll(labels.entrySet()))
                .map(this::view).toList();
    }

    private WorkspaceStatus view(WorkspaceRecord r) {
        GuestCounts c = GuestCounts.of(ctx, r);
        return WorkspaceViews.status(ctx.store(), c.known() ? r : ctx.store().read(r.workspaceId()), c.shells(), c.services());
    }

    /** The command journal of {@code id}, in sequence order. */
    public List<JournalEntry> logs(String id) {
        return ctx.journal().entries(id);
    }

    /**
     * Reconciles the record with the VM and the clock, and returns it. Never waits for
     * another operation: when one holds the workspace, its record is reported as it is (only
     * this process's journal writes behind finished commands are waited for).
     */
    public WorkspaceRecord refresh(String id) {
        ctx.journal().settle(id); // this process's last commands are in the record it reads
        WorkspaceRecord r = ctx.store().read(id);
        Instant now = ctx.clock().instant();
        return switch (r.state()) {
            case STARTED -> r.expiredAt(now) ? expire(id, r) : vmAlive(id, r) ? r : markDied(id);
            case CREATING -> abandonedCreate(id, r);
            default -> r;
        };
    }

    /** Whether the VMM recorded in the workspace's VM state directory still runs. */
    private boolean vmAlive(String id, WorkspaceRecord r) {
        return r.vm() != null && ctx.supervisor().attach(vmDir(id, r)).map(VmInstance::isAlive).orElse(false);
    }

    private WorkspaceRecord expire(String id, WorkspaceRecord seen) {
        Optional<WorkspaceLock> lock = tryLock(id);
        if (lock.isEmpty()) {
            return seen; // an exec still runs; the next look expires it
        }
        try (WorkspaceLock held = lock.get()) {
            WorkspaceRecord r = ctx.store().read(id);
            if (!r.expiredAt(ctx.clock().instant())) {
                return r;
            }
            ctx.connections().drop(id);
            ctx.supervisor().stop(vmDir(id, r));
            return ctx.store().update(id, WorkspaceRecord::expire);
        }
    }

    /**
     * Records that the VM is gone: {@code expired} when its time to live had run out (the guest
     * powers itself off then, so that is why it stopped), else {@code failed} with what is
     * known of the VMM's end.
     */
    WorkspaceRecord markDied(String id) {
        WorkspaceRecord r = ctx.store().read(id);
        if (r.state() != WorkspaceState.STARTED || vmAlive(id, r)) {
            return r;
        }
        Path dir = vmDir(id, r);
        String why = ctx.supervisor().attach(dir).map(vm -> {
            String reason = ctx.supervisor().deathReason(vm);
            vm.cleanup();
            return reason;
        }).orElse("no VM record in " + dir);
        if (r.expiredAt(ctx.clock().instant())) {
            return ctx.store().update(id, cur -> cur.state() == WorkspaceState.STARTED ? cur.expire() : cur);
        }
        String reason = WorkspaceCreator.oneLine("vm died: " + why);
        return ctx.store().update(id, cur -> cur.state() == WorkspaceState.STARTED
                ? cur.withState(WorkspaceState.FAILED, reason).withVm(null) : cur);
    }

    private WorkspaceRecord abandonedCreate(String id, WorkspaceRecord seen) {
        // The creator holds the exclusive lock for the whole create: if it is free, the creator is gone.
        Optional<WorkspaceLock> lock = tryLock(id);
        if (lock.isEmpty()) {
            return seen;
        }
        try (WorkspaceLock held = lock.get()) {
            WorkspaceRecord r = ctx.store().read(id);
            if (r.state() != WorkspaceState.CREATING) {
                return r;
            }
            ctx.supervisor().stop(vmDir(id, r));
            return ctx.store().update(id, cur -> cur.withState(WorkspaceState.FAILED,
                    "create did not finish: the creating process ended").withVm(null));
        }
    }

    private Optional<WorkspaceLock> tryLock(String id) {
        WorkspacePaths p = ctx.store().paths(id);
        try {
            return Optional.of(WorkspaceLock.acquire(new WorkspaceId(id), p.lockFile(), LockMode.EXCLUSIVE,
                    Duration.ZERO));
        } catch (PyroException e) {
            if (e.code() == ErrorCode.BUSY) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private Path vmDir(String id, WorkspaceRecord r) {
        // Always the workspace's own directory, whatever the record says: never act outside PYRO_HOME.
        return ctx.store().paths(id).vmStateDir();
    }
}
