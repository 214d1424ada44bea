package dev.pyro.workspace;

import dev.pyro.ErrorCode;
import dev.pyro.ProgressListener;
import dev.pyro.ProgressUnit;
import dev.pyro.PyroException;
import dev.pyro.WorkspaceDiff;
import dev.pyro.WorkspaceExportResult;
import dev.pyro.progress.ProgressMeter;
import dev.pyro.workspace.content.Baseline;
import dev.pyro.workspace.content.BaselineStore;
import dev.pyro.workspace.content.ContentSource;
import dev.pyro.workspace.content.ManifestSource;
import dev.pyro.workspace.content.WorkspaceDiffer;
import dev.pyro.workspace.content.WorkspaceExporter;
import java.nio.file.Path;

/**
 * {@code workspace diff} and {@code workspace export}: read {@code /workspace} of a started
 * workspace through agent file operations ({@code manifest}, {@code archive_export}). Neither
 * runs a command in the guest, so the command journal, the command count, the last command
 * and shells are untouched. Both use the VM, so they hold the workspace lock shared.
 */
public final class WorkspaceFiles {
    /** The operation name of export progress events. */
    public static final String EXPORT_OP = "workspace-export";

    private final WorkspaceContext ctx;

    /** Diff and export over {@code ctx}. */
    public WorkspaceFiles(WorkspaceContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Compares {@code /workspace} with the baseline captured at create.
     *
     * @throws PyroException {@link ErrorCode#WORKSPACE_NOT_FOUND}, {@link ErrorCode#WORKSPACE_NOT_RUNNING},
     *                       {@link ErrorCode#NOT_FOUND} (a workspace without a baseline),
     *                       {@link ErrorCode#IO_ERROR}, {@link ErrorCode#VM_DIED}
     */
    public WorkspaceDiff diff(String id) {
        Path baselineDir = ctx.store().paths(id).baselineDir();
        return new StartedWorkspace(ctx).use(id, session -> {
            Baseline baseline = BaselineStore.open(baselineDir);
            return WorkspaceDiffer.diff(baseline, ManifestSource.of(session.agent()), 
                    ContentSource.of(session.agent()));
        });
    }

    /**
     * Exports {@code guestPath} (under {@code /workspace}, or relative to it) to {@code output}.
     *
     * @throws PyroException {@link ErrorCode#PATH_OUTSIDE_WORKSPACE}, {@link ErrorCode#NOT_FOUND},
     *                       {@link ErrorCode#ALREADY_EXISTS}, {@link ErrorCode#WORKSPACE_NOT_FOUND},
     *                       {@link ErrorCode#WORKSPACE_NOT_RUNNING}, {@link ErrorCode#VM_DIED}
     */
    public WorkspaceExportResult export(String id, String guestPath, Path output, boolean force) {
        return export(id, guestPath, output, force, ProgressListener.NONE);
    }

    /**
     * {@link #export(String, String, Path, boolean)} reporting the archive bytes received as phase
     * {@code export} of operation {@code workspace-export} (the total is not known up front).
     */
    public WorkspaceExportResult export(String id, String guestPath, Path output, boolean force,
            ProgressListener progress) {
        Path target = output.toAbsolutePath().normalize();
        return new StartedWorkspace(ctx).use(id, session -> {
            ProgressMeter meter = ProgressMeter.start(progress, EXPORT_OP, "export", id, ProgressUnit.BYTES, -1);
            WorkspaceExportResult r = WorkspaceExporter.export(session.agent(), guestPath, target, force, meter::add);
            meter.finish();
            return r;
        });
    }
}
