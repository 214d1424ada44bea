package dev.pyro.cli;

import dev.pyro.Pyro;
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
        return out.callAndPrint(json.json, Pyro::listWorkspaces, all -> Map.of("workspaces", all),
                all -> WorkspaceText.list(out.out(), all));
    }
}
