package dev.pyro.workspace.content;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.WorkspaceExportResult;
import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.BytePath;
import dev.pyro.guest.ExportResult;
import dev.pyro.progress.CountingInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * {@code pyro workspace export}: streams one guest path under {@code /workspace} out of
 * the agent ({@code archive_export}) straight into {@link HostExport}, never holding the
 * archive. Special files inside an exported directory are left out by the agent and
 * reported in the result. Runs no command in the guest, so the command journal and shells
 * are untouched.
 */
public final class WorkspaceExporter {
    private static final Path WORKSPACE = Path.of(ManifestSource.WORKSPACE);

    private WorkspaceExporter() {
    }

    /**
     * Exports {@code guestPath} (absolute under {@code /workspace}, or relative to it) to
     * {@code output} on the host.
     *
     * @throws PyroException {@link ErrorCode#PATH_OUTSIDE_WORKSPACE} (a path outside
     *     {@code /workspace}, also through a symlink, as the agent decides),
     *     {@link ErrorCode#NOT_FOUND} (no such guest path, or a missing output directory),
     *     {@link ErrorCode#ALREADY_EXISTS} (output exists without {@code force}), and the
     *     errors of {@link HostExport#extract}
     */
    public static WorkspaceExportResult export(AgentConnection client, String guestPath, Path output, boolean force) {
        return export(client, guestPath, output, force, n -> { });
    }

    /** {@link #export(AgentConnection, String, Path, boolean)}, telling {@code received} the archive bytes as they come. */
    public static WorkspaceExportResult export(AgentConnection client, String guestPath, Path output, boolean force,
            LongConsumer received) {
        String workspacePath = normalize(guestPath);
        HostExport.checkOutput(output, force); // fail before the guest does any work
        WorkspaceExportResult[] unpacked = {null};
        ExportResult sent = TarFetch.pipe(out -> client.archives().exportTar(workspacePath, out),
                in -> unpacked[0] = HostExport.extract(new CountingInputStream(in, received), workspacePath,
                        output, force));
        WorkspaceExportResult r = unpacked[0];
        if (sent.skipped() == 0) {
            return r;
        }
        // special files the guest left out: named under /workspace like the exported path
        String parent = workspacePath.equals(ManifestSource.WORKSPACE) ? ManifestSource.WORKSPACE
                : workspacePath.substring(0, workspacePath.lastIndexOf('/'));
        List<String> skipped = sent.skippedPaths().stream()
                .map(p -> p.withoutPrefix("./").prefixed(parent + "/").display()).toList();
        return new WorkspaceExportResult(r.workspacePath(), r.outputPath(), r.artifactType(), r.entryCount(),
                r.bytesWritten(), sent.skipped(), skipped);
    }

    /** {@code /workspace/...} for a guest path; a lexical escape is refused here already. */
    static String normalize(String guestPath) {
        if (guestPath == null || guestPath.isBlank()) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "the path to export is empty");
        }
        Path p = WORKSPACE.resolve(guestPath).normalize();
        if (!p.startsWith(WORKSPACE)) {
            throw new PyroException(ErrorCode.PATH_OUTSIDE_WORKSPACE, "export is limited to paths under /workspace, not "
                    + guestPath);
        }
        return p.toString();
    }
}
