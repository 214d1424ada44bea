package dev.pyro.workspace;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.WorkspaceSyncResult;
import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.ImportResult;
import dev.pyro.vm.VmInstance;
import dev.pyro.workspace.store.LockMode;
import dev.pyro.workspace.store.WorkspaceLock;
import dev.pyro.workspace.store.WorkspaceRecord;
import dev.pyro.workspace.store.WorkspaceState;

/**
 * {@code workspace sync push}: copies a host directory or tar archive into a started
 * workspace, beneath {@code /workspace} (or {@code --dest} under it). The destination is
 * checked on the host before anything is sent, and the import is atomic, so a refused or
 * corrupt archive changes nothing. Uses the VM, so it holds the workspace lock shared.
 */
public final class WorkspaceSync {
    private final WorkspaceContext ctx;
    private final WorkspaceInspector inspector;

    /** A sync over {@code ctx}. */
    public WorkspaceSync(WorkspaceContext ctx) {
        this.ctx = ctx;
        this.inspector = new WorkspaceInspector(ctx);
    }

    /**
     * Pushes {@code source} to {@code dest} ({@code null}: {@code /workspace}).
     *
     * @throws PyroException {@link ErrorCode#PATH_OUTSIDE_WORKSPACE}, {@link ErrorCode#NOT_FOUND},
     *                       {@link ErrorCode#MALFORMED_ARCHIVE}, {@link ErrorCode#UNSAFE_ARCHIVE_ENTRY},
     *                       {@link ErrorCode#WORKSPACE_NOT_RUNNING}, {@link ErrorCode#VM_DIED}
     */
    public WorkspaceSyncResult push(String id, String source, String dest) {
        String destination = GuestPath.underWorkspace(dest);
        ctx.store().paths(id); // an unknown id is reported before a bad source
        SeedSource seed = SeedSource.of(source);
        inspector.refresh(id);
        try (WorkspaceLock lock = ctx.store().lock(id, LockMode.SHARED)) {
            WorkspaceRecord r = ctx.store().read(id);
            if (r.state() != WorkspaceState.STARTED) {
                throw WorkspaceExecutor.notRunning(r);
            }
            VmInstance vm = ctx.supervisor().attach(ctx.store().paths(id).vmStateDir())
                    .orElseThrow(() -> new PyroException(ErrorCode.VM_DIED, "workspace " + id + " has no VM"));
            ImportResult result;
            try (AgentConnection agent = ctx.supervisor().connect(vm)) {
                result = ArchivePush.push(agent, seed, destination);
            } catch (PyroException e) {
                if (!vm.isAlive()) {
                    WorkspaceRecord now = inspector.markDied(id);
                    throw new PyroException(ErrorCode.VM_DIED, "workspace " + id + ": the VM died ("
                            + now.stateReason() + ")", e);
                }
                throw e;
            }
            ctx.store().touch(id);
            return new WorkspaceSyncResult(id, seed.given(), destination, seed.mode().wireName(), result.entries(),
                    result.bytes());
        }
    }
}
