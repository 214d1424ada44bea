package dev.pyro.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code pyro workspace logs ID}: the command journal. */
@Command(name = "logs", description = "Show a workspace's command journal.")
final class WorkspaceLogsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    JsonOption json;

    @Parameters(index = "0", paramLabel = "ID", description = "Workspace id (ws-...)")
    String workspaceId;

    @Override
    public Integer call() {
        Output out = PyroCommand.root(spec).output();
        return out.callAndPrint(json.json, pyro -> pyro.logsWorkspace(workspaceId),
                logs -> WorkspaceText.logs(out.out(), logs));
    }
}
