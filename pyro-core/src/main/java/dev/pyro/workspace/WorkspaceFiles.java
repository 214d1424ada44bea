package dev.pyro.workspace;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.AgentConnection;
import dev.pyro.vm.VmInstance;
import dev.pyro.workspace.diff.Baseline;
import dev.pyro.workspace.diff.BaselineStore;
import dev.pyro.workspace.diff.ContentSource;
import dev.pyro.workspace.diff.HostExportResult;
import dev.pyro.workspace.diff.ManifestSource;
import dev.pyro.workspace.diff.WorkspaceDiff;
import dev.pyro.workspace.diff.WorkspaceDiffer;
import dev.pyro.workspace.diff.WorkspaceExporter;
import dev.pyro.workspace.store.LockMode;
import dev.pyro.workspace.store.WorkspaceLock;
import dev.pyro.workspace.store.WorkspaceRecord;
import dev.pyro.workspace.store.WorkspaceState;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * {@code workspace diff} and {@code workspace export}: read {@code /workspace} of a started
 * workspace through agent file operations ({@code manifest}, {@code archive_export}). Neither
 * runs a command in the guest, so the command journal, the command count, the last command
 * and shells are untouched. Both use the VM, so they hold the workspace lock shared.
 */
public final class WorkspaceFiles {
    private final WorkspaceContext ctx;
    private final WorkspaceInspector inspector;

    /** Diff and export over {@code ctx}. */
    public WorkspaceFiles(WorkspaceContext ctx) {
        this.ctx = ctx;
        this.inspector = new WorkspaceInspector(ctx);
    }

    /**
     * Compares {@code /workspace} with the baseline captured at create.
     *
     * @throws PyroException {@link ErrorCode#WORKSPACE_NOT_FOUND}, {@link ErrorCode#WORKSPACE_NOT_RUNNING},
     *                       {@link ErrorCode#NOT_FOUND} (a workspace without a baseline),
     *                       {@link ErrorCode#IO_ERROR}, {@link ErrorCode#VM_DIED}
     */
    public WorkspaceDiff diff(String id) {
        Path baselineDir = ctx.store().paths(id).baselineDir();
        return withAgent(id, agent -> {
            Baseline baseline = BaselineStore.open(baselineDir);
            return WorkspaceDiffer.diff(baseline, ManifestSource.of(agent), ContentSource.of(agent));
        });
    }

    /**
     * Exports {@code guestPath} (under {@code /workspace}, or relative to it) to {@code output}.
     *
     * @throws PyroException {@link ErrorCode#PATH_OUTSIDE_WORKSPACE}, {@link ErrorCode#NOT_FOUND},
     *                       {@link ErrorCode#ALREADY_EXISTS}, {@link ErrorCode#WORKSPACE_NOT_FOUND},
     *                       {@link ErrorCode#WORKSPACE_NOT_RUNNING}, {@link ErrorCode#VM_DIED}
     */
    public HostExportResult export(String id, String guestPath, Path output, boolean force) {
        Path target = output.toAbsolutePath().normalize();
        return withAgent(id, agent -> WorkspaceExporter.export(agent, guestPath, target, force));
    }

    private <T> T withAgent(String id, Function<AgentConnection, T> action) {
        ctx.store().paths(id); // an unknown id first
        inspector.refresh(id);
        try (WorkspaceLock lock = ctx.store().lock(id, LockMode.SHARED)) {
            WorkspaceRecord r = ctx.store().read(id);
            if (r.state() != WorkspaceState.STARTED) {
                throw WorkspaceExecutor.notRunning(r);
            }
            VmInstance vm = ctx.supervisor().attach(ctx.store().paths(id).vmStateDir())
                    .orElseThrow(() -> new PyroException(ErrorCode.VM_DIED, "workspace " + id + " has no VM"));
            T result;
            try (AgentConnection agent = ctx.supervisor().connect(vm)) {
                result = action.apply(agent);
            } catch (PyroException e) {
                if (!vm.isAlive()) {
                    WorkspaceRecord now = inspector.markDied(id);
                    throw new PyroException(ErrorCode.VM_DIED, "workspace " + id + ": the VM died ("
                            + now.stateReason() + ")", e);
                }
                throw e;
            }
            ctx.store().touch(id);
            return result;
        }
    }
}
