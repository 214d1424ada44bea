package dev.pyro.present;

import dev.pyro.CreateWorkspaceRequest;
import dev.pyro.NetworkPolicy;
import dev.pyro.WorkspaceDeleteResult;
import dev.pyro.WorkspaceLabels;
import dev.pyro.WorkspaceExecRequest;
import dev.pyro.WorkspaceStatus;
import dev.pyro.WorkspaceSyncResult;
import dev.pyro.contract.Arguments;
import dev.pyro.contract.HostPaths.Access;
import dev.pyro.contract.Invocation;
import dev.pyro.contract.Params;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Handlers of the workspace operations: one SDK call each, and the result's forms. */
final class WorkspaceHandlers {
    private WorkspaceHandlers() {
    }

    static Outcome create(Arguments a, Invocation inv) {
        Map<String, java.nio.file.Path> secretFiles = new LinkedHashMap<>();
        a.map(Params.SECRET_FILE).forEach((name, path) -> secretFiles.put(name, inv.hostPaths().resolve(path,
                Access.READ)));
        CreateWorkspaceRequest request = new CreateWorkspaceRequest(a.string(Params.ENVIRONMENT),
                a.optionalString(Params.SEED_PATH).map(p -> inv.hostPaths().resolve(p, Access.READ)),
                a.integer(Params.VCPU_COUNT), a.integer(Params.MEM_MIB), a.integer(Params.WORKSPACE_TTL_SECONDS),
                a.flag(Params.NETWORK), NetworkPolicy.parse(a.string(Params.NETWORK_POLICY)),
                a.strings(Params.ALLOW_HOST), a.optionalString(Params.NAME).orElse(null),
                WorkspaceLabels.parse(a.strings(Params.LABELS)), a.map(Params.SECRET), secretFiles);
        WorkspaceStatus ws = inv.pyro().createWorkspace(request, inv.progress());
        Outcome outcome = Outcome.of(ws);
        return a.flag(Params.ID_ONLY) ? outcome.stdout(Payload.line(ws.workspaceId()))
                : outcome.stdout(WorkspaceText.status(ws));
    }

    static Outcome syncPush(Arguments a, Invocation inv) {
        WorkspaceSyncResult r = inv.pyro().syncPushWorkspace(a.string(Params.WORKSPACE_ID),
                inv.hostPaths().resolve(a.string(Params.SOURCE_PATH), Access.READ),
                a.optionalString(Params.DEST).orElse(null), inv.progress());
        return pushed(r);
    }

    /** What sync push copied: a summary on stderr, nothing on stdout (it has no payload). */
    static Outcome pushed(WorkspaceSyncResult r) {
        return Outcome.of(r).summary(WorkspaceText.synced(r));
    }

    static Outcome exec(Arguments a, Invocation inv) {
        WorkspaceExecRequest request = new WorkspaceExecRequest(a.argv(Params.COMMAND),
                a.integer(Params.TIMEOUT_SECONDS), a.integer(Params.MAX_OUTPUT_BYTES), CommandInput.of(a, inv),
                a.map(Params.SECRET_ENV));
        return ExecText.workspaceExec(inv.pyro().execWorkspace(a.string(Params.WORKSPACE_ID), request),
                request.timeoutSeconds(), OutputEncoding.of(a));
    }

    static Outcome diff(Arguments a, Invocation inv) {
        String id = a.string(Params.WORKSPACE_ID);
        return DiffText.diff(id, inv.pyro().diffWorkspace(id));
    }

    static Outcome export(Arguments a, Invocation inv) {
        String id = a.string(Params.WORKSPACE_ID);
        return DiffText.export(id, inv.pyro().exportWorkspace(id, a.string(Params.EXPORT_PATH),
                inv.hostPaths().resolve(a.string(Params.OUTPUT_PATH), Access.WRITE), a.flag(Params.FORCE),
                inv.progress()));
    }

    static Outcome status(Arguments a, Invocation inv) {
        WorkspaceStatus ws = inv.pyro().statusWorkspace(a.string(Params.WORKSPACE_ID));
        return Outcome.of(ws).stdout(WorkspaceText.status(ws));
    }

    static Outcome logs(Arguments a, Invocation inv) {
        var logs = inv.pyro().logsWorkspace(a.string(Params.WORKSPACE_ID));
        return Outcome.of(logs).stdout(WorkspaceText.logs(logs));
    }

    static Outcome delete(Arguments a, Invocation inv) {
        return deleted(inv.pyro().deleteWorkspace(a.string(Params.WORKSPACE_ID)));
    }

    /** A deletion: a summary on stderr, nothing on stdout. */
    static Outcome deleted(WorkspaceDeleteResult r) {
        return Outcome.of(r).summary("Deleted workspace " + r.workspaceId());
    }

    static Outcome list(Arguments a, Invocation inv) {
        List<WorkspaceStatus> all = inv.pyro().listWorkspaces(WorkspaceLabels.parse(a.strings(Params.LABEL_FILTER)));
        return Outcome.of(Map.of("workspaces", all)).stdout(WorkspaceText.list(all));
    }

    static Outcome update(Arguments a, Invocation inv) {
        WorkspaceStatus ws = inv.pyro().updateWorkspace(a.string(Params.WORKSPACE_ID),
                a.optionalString(Params.NEW_NAME).orElse(null), WorkspaceLabels.parse(a.strings(Params.LABELS)),
                a.strings(Params.CLEAR_LABELS));
        return Outcome.of(ws).stdout(WorkspaceText.status(ws));
    }
}
