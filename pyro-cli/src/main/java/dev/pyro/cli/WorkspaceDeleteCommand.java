package dev.pyro.cli;

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
        return out.callAndPrint(json.json, pyro -> pyro.deleteWorkspace(workspaceId),
                r -> out.out().println("Deleted workspace " + r.workspaceId()));
    }
}
