package dev.pyro.workspace;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.log.PyroLoggers;
import dev.pyro.workspace.store.LockMode;
import dev.pyro.workspace.store.WorkspaceLock;
import dev.pyro.workspace.store.WorkspaceState;

/**
 * {@code workspace delete}: under the exclusive workspace lock (waiting for running
 * execs), marks the record {@code deleting}, powers the VM off (agent shutdown if it
 * answers, then the VMM's own stop), and removes the workspace directory. Works in every
 * state (failed, expired, dead VM, unreadable record): a crash midway leaves something a
 * second delete finishes.
 */
public final class WorkspaceDeleter {
    private static final System.Logger LOG = PyroLoggers.of(WorkspaceDeleter.class);
    private final WorkspaceContext ctx;

    /** A deleter over {@code ctx}. */
    public WorkspaceDeleter(WorkspaceContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Deletes {@code id}.
     *
     * @throws PyroException {@link ErrorCode#WORKSPACE_NOT_FOUND} for an unknown id
     */
    public void delete(String id) {
        try (WorkspaceLock lock = ctx.store().lock(id, LockMode.EXCLUSIVE)) {
            try {
                ctx.store().update(id, r -> r.withState(WorkspaceState.DELETING, null));
            } catch (PyroException e) {
                if (e.code() == ErrorCode.WORKSPACE_NOT_FOUND) {
                    throw e;
                }
                // An unreadable record must not make a workspace undeletable.
                LOG.log(System.Logger.Level.WARNING, "deleting workspace " + id + " with an unreadable record: "
                        + e.getMessage());
            }
            ctx.connections().drop(id);
            ctx.supervisor().stop(ctx.store().paths(id).vmStateDir()); // the guest's copy dies with it (tmpfs)
            new WorkspaceSecrets(ctx).delete(id);
            ctx.store().delete(id); // takes both locks again, nested
        }
    }
}
