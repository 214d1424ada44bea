package dev.pyro.workspace;

import dev.pyro.workspace.secrets.Redactor;
import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.AgentConnection;
import dev.pyro.vm.VmInstance;
import dev.pyro.trace.ExecTrace;
import dev.pyro.workspace.store.LockMode;
import dev.pyro.workspace.store.WorkspaceLock;
import dev.pyro.workspace.store.WorkspacePaths;
import dev.pyro.workspace.store.WorkspaceRecord;
import dev.pyro.workspace.store.WorkspaceState;
import java.time.Duration;
import java.util.Optional;

/**
 * The one way into a started workspace, for every operation that needs its guest (exec,
 * sync push, diff, export, and what comes next: shells, services, files). In this order:
 * an unknown id is refused, the record is reconciled with reality (expiry, a dead VM), the
 * workspace lock is taken <em>shared</em> (so operations run side by side while stop,
 * expiry and delete wait), the workspace must be {@code started}, its VM is attached and
 * its agent connected.
 *
 * <p><b>One death rule.</b> Whenever the VM turns out to be gone — no VM to attach, a
 * connect that fails, an operation that fails while the VMM is no longer alive (after a
 * lost connection, once its VMM had a moment to exit) — the workspace is marked
 * {@code failed} with what is known of the death, and the caller gets
 * {@link ErrorCode#VM_DIED}; or, when its time to live had run out (the guest powers itself
 * off then), {@code expired}, and the caller gets {@link ErrorCode#TIMEOUT}. Any other
 * failure passes through unchanged.
 */
final class StartedWorkspace {
    /** How long a VMM may take to exit after its guest dropped the agent connection. */
    private static final Duration VMM_EXIT_GRACE = Duration.ofSeconds(5);

    private final WorkspaceContext ctx;
    private final WorkspaceInspector inspector;

    StartedWorkspace(WorkspaceContext ctx) {
        this.ctx = ctx;
        this.inspector = new WorkspaceInspector(ctx);
    }

    /**
     * What an operation holds while it runs: the workspace's paths (looked up once: each lookup
     * is a {@code stat}), the record as read under the lock, the VM and its agent.
     */
    record Session(WorkspacePaths paths, WorkspaceRecord record, VmInstance vm, AgentConnection agent) {
        /** The workspace id. */
        String id() {
            return record.workspaceId();
        }
    }

    /** Work done inside a started workspace. */
    @FunctionalInterface
    interface Action<T> {
        T run(Session session);
    }

    /**
     * Runs {@code action} inside the started workspace {@code id} and marks the workspace
     * active afterwards.
     *
     * @throws PyroException {@link ErrorCode#WORKSPACE_NOT_FOUND}, {@link ErrorCode#WORKSPACE_NOT_RUNNING},
     *                       {@link ErrorCode#VM_DIED}, or whatever {@code action} throws
     */
    <T> T use(String id, Action<T> action) {
        return use(id, true, action);
    }

    /**
     * {@link #use(String, Action)} for an operation that records its activity itself (an exec's
     * journal entry updates {@code last_activity_at}), so the record is not written twice.
     */
    <T> T useJournaled(String id, Action<T> action) {
        return use(id, false, action);
    }

    /** {@link #use(String, Action)} for a look that is no activity (status counting, listings, log reads). */
    <T> T look(String id, Action<T> action) {
        return use(id, false, action);
    }

    private <T> T use(String id, boolean touch, Action<T> action) {
        try {
            return run(id, touch, action);
        } catch (PyroException e) {
            // Error messages may quote guest output: the redaction net covers them too.
            throw WorkspaceSecrets.redacted(e, net(id));
        }
    }

    private Redactor net(String id) {
        try {
            return new WorkspaceSecrets(ctx).redactor(id);
        } catch (PyroException e) {
            return Redactor.NONE; // no workspace (any more): nothing of it to redact
        }
    }

    private <T> T run(String id, boolean touch, Action<T> action) {
        // An unknown id first, before any other check: the lock below is the first look at the
        // workspace and says WORKSPACE_NOT_FOUND itself (no lookup of the directory here).
        WorkspacePaths p = ctx.store().pathsToLock(id);
        ExecTrace.mark("paths");
        // The common case in one look: under the shared lock, the record read once, a started
        // workspace whose time to live has not run out and whose VMM runs. Anything else is
        // reconciled first (which may take the lock exclusively: expire, mark a death), then
        // looked at again under the shared lock.
        for (boolean reconciled = false; ; reconciled = true) {
            if (reconciled) {
                inspector.refresh(id);
            }
            try (WorkspaceLock lock = ctx.store().lock(p, LockMode.SHARED)) {
                ExecTrace.mark("shared lock");
                WorkspaceRecord r = ctx.store().read(p); // the lock looked for the directory
                ExecTrace.mark("record read");
                Optional<VmInstance> attached = r.state() == WorkspaceState.STARTED && r.vm() != null
                        ? ctx.connections().vm(id, r.vm(),
                                () -> ctx.supervisor().attach(p.vmStateDir()))
                        : Optional.empty();
                ExecTrace.mark("vm attach");
                boolean healthy = attached.isPresent() && !r.expiredAt(ctx.clock().instant())
                        && attached.get().isAlive();
                ExecTrace.mark("liveness");
                if (healthy || reconciled) {
                    return inside(p, r, attached, touch, action);
                }
            }
        }
    }

    /** The operation under the shared lock, on a record that the reconcile has seen. */
    private <T> T inside(WorkspacePaths p, WorkspaceRecord r, Optional<VmInstance> attached, boolean touch,
            Action<T> action) {
        String id = p.id().value();
        if (r.state() != WorkspaceState.STARTED || r.vm() == null) {
            throw notRunning(r);
        }
        if (attached.isEmpty()) {
            throw died(id, null);
        }
        VmInstance vm = attached.get();
        T result;
        AgentConnections.Lease lease;
        try {
            lease = ctx.connections().lease(id, vm, () -> ctx.supervisor().connect(vm));
        } catch (PyroException e) {
            throw gone(vm, e) ? died(id, e) : e;
        }
        ExecTrace.mark("agent lease");
        try (lease) {
            result = action.run(new Session(p, r, vm, lease.agent()));
        } catch (PyroException e) {
            if (!lease.agent().isOpen()) {
                ctx.connections().drop(id); // a kept connection that broke is not offered again
            }
            throw gone(vm, e) ? died(id, e) : e;
        }
        if (touch) {
            ctx.store().touch(id);
        }
        return result;
    }

    /** The error for an operation that needs a started workspace and found {@code r} in another state. */
    static PyroException notRunning(WorkspaceRecord r) {
        return new PyroException(ErrorCode.WORKSPACE_NOT_RUNNING, "workspace " + r.workspaceId() + " is "
                + r.state().wireName() + (r.stateReason() == null ? "" : " (" + r.stateReason() + ")")
                + ", not started", notRunningHint(r.state()), null);
    }

    /** What to do about a workspace in {@code state} when an operation needs it started. */
    static String notRunningHint(WorkspaceState state) {
        return switch (state) {
            case STOPPED -> "Start the workspace, then retry.";
            case CREATING -> "Wait for its create to finish (check its status), then retry.";
            case FAILED, EXPIRED -> "Start it again (its files are kept), or delete it and create a new workspace.";
            case DELETING -> "It is being deleted: create a new workspace.";
            case STARTED -> null;
        };
    }

    /**
     * Whether {@code e} came from a VM that is gone. A guest that powers itself off (its time
     * to live) drops the connection a moment before its VMM exits, so a lost connection waits
     * for that moment; so does a killed VMM, whose descriptors close (the agent's stream ends)
     * a moment before {@code /proc} shows it exited.
     */
    static boolean gone(VmInstance vm, PyroException e) {
        boolean lost = e.code() == ErrorCode.AGENT_UNAVAILABLE || e.code() == ErrorCode.VM_DIED;
        return !vm.isAlive() || lost && vm.awaitExit(VMM_EXIT_GRACE);
    }

    /**
     * The death rule: forgets the connection, records the death (what is known of it) and
     * returns the error for the caller ({@link ErrorCode#VM_DIED}, or {@link ErrorCode#TIMEOUT}
     * when the time to live ran out).
     */
    PyroException died(String id, PyroException cause) {
        ctx.connections().drop(id);
        WorkspaceRecord r = inspector.markDied(id);
        if (r.state() == WorkspaceState.EXPIRED) {
            return new PyroException(ErrorCode.TIMEOUT, "workspace " + id + ": the " + r.stateReason()
                    + " during the operation, and the guest powered off; the workspace is now expired and keeps "
                    + "its files until it is deleted", "Delete it and create a new workspace with a longer time "
                    + "to live.", cause);
        }
        return new PyroException(ErrorCode.VM_DIED, "workspace " + id + ": the VM died"
                + (r.stateReason() == null ? "" : " (" + r.stateReason() + ")")
                + "; the workspace is now " + r.state().wireName() + " and keeps its files until it is deleted",
                cause);
    }
}
