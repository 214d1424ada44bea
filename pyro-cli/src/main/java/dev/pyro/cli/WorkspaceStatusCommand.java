package dev.pyro.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code pyro workspace status ID}. */
@Command(name = "status", description = "Show a workspace's state, resources, times, commands and seed.")
final class WorkspaceStatusCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    JsonOption json;

    @Parameters(index = "0", paramLabel = "ID", description = "Workspace id (ws-...)")
    String workspaceId;

    @Override
    public Integer call() {
        Output out = PyroCommand.root(spec).output();
        return out.callAndPrint(json.json, pyro -> pyro.statusWorkspace(workspaceId),
                ws -> WorkspaceText.status(out.out(), ws));
    }
}
