package dev.pyro.workspace;

import dev.pyro.ErrorCode;
import dev.pyro.ProgressListener;
import dev.pyro.ProgressUnit;
import dev.pyro.PyroException;
import dev.pyro.WorkspaceSyncResult;
import dev.pyro.guest.ImportResult;
import dev.pyro.progress.ProgressMeter;

/**
 * {@code workspace sync push}: copies a host directory or tar archive into a started
 * workspace, beneath {@code /workspace} (or {@code --dest} under it). The destination is
 * checked on the host before anything is sent, and the import is atomic, so a refused or
 * corrupt archive changes nothing. Uses the VM, so it holds the workspace lock shared.
 */
public final class WorkspaceSync {
    /** The operation name of sync push progress events. */
    public static final String OP = "workspace-sync";

    private final WorkspaceContext ctx;

    /** A sync over {@code ctx}. */
    public WorkspaceSync(WorkspaceContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Pushes {@code source} to {@code dest} ({@code null}: {@code /workspace}).
     *
     * @throws PyroException {@link ErrorCode#PATH_OUTSIDE_WORKSPACE}, {@link ErrorCode#NOT_FOUND},
     *                       {@link ErrorCode#MALFORMED_ARCHIVE}, {@link ErrorCode#UNSAFE_ARCHIVE_ENTRY},
     *                       {@link ErrorCode#WORKSPACE_NOT_RUNNING}, {@link ErrorCode#VM_DIED}
     */
    public WorkspaceSyncResult push(String id, String source, String dest) {
        return push(id, source, dest, ProgressListener.NONE);
    }

    /**
     * {@link #push(String, String, String)} reporting the bytes sent as phase {@code push} of
     * operation {@code workspace-sync} (content bytes for a directory, archive bytes for an archive).
     */
    public WorkspaceSyncResult push(String id, String source, String dest, ProgressListener progress) {
        String destination = GuestPath.underWorkspace(dest);
        ctx.store().paths(id); // an unknown id is reported before a bad source
        SeedSource seed = SeedSource.of(source);
        ImportResult result = new StartedWorkspace(ctx).use(id,
                session -> ArchivePush.push(session.agent(), seed, destination,
                        total -> ProgressMeter.start(progress, OP, "push", id, ProgressUnit.BYTES, total)));
        return new WorkspaceSyncResult(id, seed.given(), destination, seed.mode().wireName(), result.entries(),
                result.bytes());
    }
}
