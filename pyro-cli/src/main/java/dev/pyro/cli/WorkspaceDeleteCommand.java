package dev.pyro.cli;

import dev.pyro.Pyro;
import dev.pyro.WorkspaceDeleteResult;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code pyro workspace delete ID}. */
@Command(name = "delete", description = "Stop a workspace's VM and remove everything of it.")
final class WorkspaceDeleteCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    JsonOption json;

    @Parameters(index = "0", paramLabel = "ID", description = "Workspace id (ws-...)")
    String workspaceId;

    @Override
    public Integer call() {
        Output out = PyroCommand.root(spec).output();
        WorkspaceDeleteResult r;
        try (Pyro pyro = Pyro.create()) {
            r = pyro.deleteWorkspace(workspaceId);
        }
        if (json.json) {
            out.json(r);
        } else {
            out.out().println("Deleted workspace " + r.workspaceId());
        }
        return 0;
    }
}
