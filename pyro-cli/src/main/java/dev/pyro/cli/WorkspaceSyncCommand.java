package dev.pyro.cli;

import dev.pyro.Pyro;
import dev.pyro.WorkspaceSyncResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pyro workspace sync …}: moving host content into a workspace. */
@Command(name = "sync", description = "Copy host content into a workspace.",
        subcommands = WorkspaceSyncCommand.Push.class)
final class WorkspaceSyncCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(PyroCommand.root(spec).output().err());
    }

    /** {@code pyro workspace sync push ID SOURCE [--dest PATH]}. */
    @Command(name = "push", description = "Copy a host directory or archive into /workspace (atomically).")
    static final class Push implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        JsonOption json;

        @Parameters(index = "0", paramLabel = "ID", description = "Workspace id (ws-...)")
        String workspaceId;

        @Parameters(index = "1", paramLabel = "SOURCE", description = "Host directory or .tar/.tar.gz/.tgz archive")
        Path source;

        @Option(names = "--dest", paramLabel = "PATH",
                description = "Destination under /workspace, relative to it (default: /workspace).")
        String dest;

        @Override
        public Integer call() {
            Output out = PyroCommand.root(spec).output();
            WorkspaceSyncResult r;
            try (Pyro pyro = Pyro.create()) {
                r = pyro.syncPushWorkspace(workspaceId, source, dest);
            }
            if (json.json) {
                out.json(r);
            } else {
                out.out().println("Pushed " + r.source() + " (" + r.mode() + ") to " + r.destination() + " in "
                        + r.workspaceId() + ": " + r.entries() + " entries, " + r.bytes() + " bytes");
            }
            return 0;
        }
    }
}
