package dev.pyro.cli;

import dev.pyro.Pyro;
import dev.pyro.WorkspaceExportResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code pyro workspace export ID PATH --output HOST_PATH [--force]}. */
@Command(name = "export", description = "Copy a file or directory from under /workspace to the host.")
final class WorkspaceExportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    JsonOption json;

    @Parameters(index = "0", paramLabel = "ID", description = "Workspace id (ws-...)")
    String workspaceId;

    @Parameters(index = "1", paramLabel = "PATH", description = "Path under /workspace (relative to it) to export")
    String path;

    @Option(names = "--output", paramLabel = "HOST_PATH", required = true,
            description = "Host path to write; must not exist unless --force, its parent must.")
    Path output;

    @Option(names = "--force", defaultValue = "false", description = "Replace an existing output path.")
    boolean force;

    @Override
    public Integer call() {
        Output out = PyroCommand.root(spec).output();
        WorkspaceExportResult r;
        try (Pyro pyro = Pyro.create()) {
            r = pyro.exportWorkspace(workspaceId, path, output, force);
        }
        if (json.json) {
            out.json(r);
        } else {
            out.err().println("[workspace-export] workspace_id=" + workspaceId + " workspace_path="
                    + r.workspacePath() + " artifact_type=" + r.artifactType().name().toLowerCase(java.util.Locale.ROOT)
                    + " entry_count=" + r.entryCount() + " bytes_written=" + r.bytesWritten());
            out.out().println(r.outputPath());
        }
        return 0;
    }
}
