package dev.pyro.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code pyro workspace …}: persistent workspaces (2.4.0 contract). */
@Command(name = "workspace", description = "Persistent workspaces: create, sync, exec, diff, export, inspect, delete.",
        subcommands = {WorkspaceCreateCommand.class, WorkspaceSyncCommand.class, WorkspaceExecCommand.class,
                WorkspaceDiffCommand.class, WorkspaceExportCommand.class,
                WorkspaceStatusCommand.class, WorkspaceLogsCommand.class, WorkspaceDeleteCommand.class,
                WorkspaceListCommand.class})
final class WorkspaceCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(PyroCommand.root(spec).output().err());
    }
}
