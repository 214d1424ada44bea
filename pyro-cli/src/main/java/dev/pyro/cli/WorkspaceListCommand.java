package dev.pyro.cli;

import dev.pyro.Pyro;
import dev.pyro.WorkspaceStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code pyro workspace list}: most recently active first. */
@Command(name = "list", description = "List workspaces, most recently active first.")
final class WorkspaceListCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        Output out = PyroCommand.root(spec).output();
        List<WorkspaceStatus> all;
        try (Pyro pyro = Pyro.create()) {
            all = pyro.listWorkspaces();
        }
        if (json.json) {
            out.json(Map.of("workspaces", all));
        } else {
            WorkspaceText.list(out.out(), all);
        }
        return 0;
    }
}
