package dev.pyro.cli;

import dev.pyro.Pyro;
import dev.pyro.WorkspaceLogs;
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
        WorkspaceLogs logs;
        try (Pyro pyro = Pyro.create()) {
            logs = pyro.logsWorkspace(workspaceId);
        }
        if (json.json) {
            out.json(logs);
        } else {
            WorkspaceText.logs(out.out(), logs);
        }
        return 0;
    }
}
