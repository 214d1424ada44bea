package dev.pyro.cli;

import dev.pyro.DiffSummary;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code pyro workspace diff ID}: the patch on stdout, a summary line on stderr. */
@Command(name = "diff", description = "Compare /workspace with its create-time baseline (patch on stdout).")
final class WorkspaceDiffCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    JsonOption json;

    @Parameters(index = "0", paramLabel = "ID", description = "Workspace id (ws-...)")
    String workspaceId;

    @Override
    public Integer call() {
        Output out = PyroCommand.root(spec).output();
        return out.callAndPrint(json.json, pyro -> pyro.diffWorkspace(workspaceId), d -> {
            out.out().print(d.patch());
            out.out().flush();
            DiffSummary s = d.summary();
            out.err().println("[workspace-diff] workspace_id=" + workspaceId + " changed=" + d.changed()
                    + " added=" + s.added() + " modified=" + s.modified() + " deleted=" + s.deleted()
                    + " type_changed=" + s.typeChanged() + " binary=" + s.binary());
        });
    }
}
