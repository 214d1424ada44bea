package dev.pyro.mcp;

import dev.pyro.CreateWorkspaceRequest;
import dev.pyro.WorkspaceExecResult;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Handlers of the workspace tools: one line onto the SDK each, plus a short text form. */
final class WorkspaceTools {
    private WorkspaceTools() {
    }

    static ToolResult create(ToolArguments a, ToolContext c) {
        CreateWorkspaceRequest request = new CreateWorkspaceRequest(a.string("environment"),
                Optional.ofNullable(a.has("seed_path") ? a.string("seed_path") : null).map(Path::of),
                a.integer("vcpu_count"), a.integer("mem_mib"), a.integer("ttl_seconds"), a.bool("network"));
        var status = c.pyro().createWorkspace(request, c.progress());
        return ToolResult.of(status, "workspace " + status.workspaceId() + " created (" + status.environment() + ")");
    }

    static ToolResult syncPush(ToolArguments a, ToolContext c) {
        var r = c.pyro().syncPushWorkspace(a.string("workspace_id"), Path.of(a.string("source")),
                a.has("dest") ? a.string("dest") : null);
        return ToolResult.of(r);
    }

    static ToolResult exec(ToolArguments a, ToolContext c) {
        WorkspaceExecResult r = c.pyro().execWorkspace(a.string("workspace_id"), a.stringList("command"),
                a.integer("timeout_seconds"));
        StringBuilder text = new StringBuilder("sequence=" + r.sequence() + " exit_code=" + r.exitCode()
                + " duration_ms=" + r.durationMs() + (r.timedOut() ? " (timed out)" : "") + "\n");
        VmTools.appendStream(text, "stdout", r.stdout(), r.stdoutTruncated());
        VmTools.appendStream(text, "stderr", r.stderr(), r.stderrTruncated());
        return ToolResult.of(r, text.toString());
    }

    static ToolResult diff(ToolArguments a, ToolContext c) {
        var d = c.pyro().diffWorkspace(a.string("workspace_id"));
        var s = d.summary();
        return ToolResult.of(d, "changed=" + d.changed() + " added=" + s.added() + " modified=" + s.modified()
                + " deleted=" + s.deleted() + " type_changed=" + s.typeChanged() + " binary=" + s.binary() + "\n"
                + d.patch());
    }

    static ToolResult export(ToolArguments a, ToolContext c) {
        return ToolResult.of(c.pyro().exportWorkspace(a.string("workspace_id"), a.string("path"),
                Path.of(a.string("output")), a.bool("force")));
    }

    static ToolResult status(ToolArguments a, ToolContext c) {
        return ToolResult.of(c.pyro().statusWorkspace(a.string("workspace_id")));
    }

    static ToolResult logs(ToolArguments a, ToolContext c) {
        return ToolResult.of(c.pyro().logsWorkspace(a.string("workspace_id")));
    }

    static ToolResult delete(ToolArguments a, ToolContext c) {
        return ToolResult.of(c.pyro().deleteWorkspace(a.string("workspace_id")));
    }

    static ToolResult list(ToolArguments a, ToolContext c) {
        return ToolResult.of(Map.of("workspaces", c.pyro().listWorkspaces()));
    }
}
