package dev.pyro;

/**
 * Snapshots, reset, stop, start and disk tools (2.8.0, 3.1.0) of the SDK: named snapshots of
 * {@code /workspace}, rebuilding a workspace from one, stopping and starting its VM, and
 * reading a stopped workspace's disk. {@link Pyro} implements it; the CLI and MCP tools of the
 * same meaning are named in {@link dev.pyro.contract.Contract}.
 */
public sealed interface WorkspaceLifecycleOperations permits Pyro {
    /**
     * Takes snapshot {@code name} of {@code /workspace}: a started workspace's file system is
     * frozen for the moment the disk layer switches (a running exec finishes first), a stopped
     * one is taken as it rests. It costs the same whatever the workspace holds.
     *
     * @throws PyroException {@link ErrorCode#INVALID_ARGUMENT} (names: 1 to 64 of
     *                       {@code [A-Za-z0-9._-]}, starting with a letter or digit),
     *                       {@link ErrorCode#ALREADY_EXISTS}, {@link ErrorCode#TOO_MANY_SNAPSHOTS},
     *                       {@link ErrorCode#WORKSPACE_NOT_FOUND}, {@link ErrorCode#BUSY}
     */
    default WorkspaceSnapshot createSnapshot(String workspaceId, String name) {
        return createSnapshot(workspaceId, name, ProgressListener.NONE);
    }

    /** {@link #createSnapshot(String, String)} with progress events. */
    WorkspaceSnapshot createSnapshot(String workspaceId, String name, ProgressListener progress);

    /** A workspace's snapshots, {@code baseline} first. */
    WorkspaceSnapshotList listSnapshots(String workspaceId);

    /**
     * Deletes a snapshot; what later snapshots need of it is merged into them.
     *
     * @throws PyroException {@link ErrorCode#SNAPSHOT_NOT_FOUND}, {@link ErrorCode#INVALID_ARGUMENT}
     *                       ({@code baseline} cannot be deleted)
     */
    WorkspaceSnapshotDeleteResult deleteSnapshot(String workspaceId, String name);

    /** {@link #resetWorkspace(String, String)} to {@code baseline}. */
    default WorkspaceStatus resetWorkspace(String workspaceId) {
        return resetWorkspace(workspaceId, null);
    }

    /**
     * Rebuilds the workspace from a snapshot ({@code null}: {@code baseline}): a fresh VM and
     * root file system, {@code /workspace} as the snapshot holds it, the command journal
     * emptied, shells and services gone; the id, the snapshots and the diff baseline are kept.
     * Returns it started.
     *
     * @throws PyroException {@link ErrorCode#SNAPSHOT_NOT_FOUND}, {@link ErrorCode#BUSY} (another
     *                       operation holds the workspace), {@link ErrorCode#VM_BOOT_FAILED}
     */
    default WorkspaceStatus resetWorkspace(String workspaceId, String snapshot) {
        return resetWorkspace(workspaceId, snapshot, ProgressListener.NONE);
    }

    /** {@link #resetWorkspace(String, String)} with progress events. */
    WorkspaceStatus resetWorkspace(String workspaceId, String snapshot, ProgressListener progress);

    /**
     * Shuts a started workspace's guest down cleanly and frees its memory; its disk (with
     * {@code /workspace} and its snapshots), journal and baseline stay. Shells and services end.
     *
     * @throws PyroException {@link ErrorCode#WORKSPACE_NOT_RUNNING} unless started
     */
    WorkspaceStatus stopWorkspace(String workspaceId);

    /**
     * Boots a stopped (expired, or failed) workspace again on its disk; its time to live
     * counts from this boot.
     *
     * @throws PyroException {@link ErrorCode#WORKSPACE_RUNNING} when it is started,
     *                       {@link ErrorCode#VM_BOOT_FAILED}, {@link ErrorCode#INSUFFICIENT_MEMORY}
     */
    default WorkspaceStatus startWorkspace(String workspaceId) {
        return startWorkspace(workspaceId, ProgressListener.NONE);
    }

    /** {@link #startWorkspace(String)} with progress events. */
    WorkspaceStatus startWorkspace(String workspaceId, ProgressListener progress);

    /**
     * Writes a stopped workspace's disk to {@code outputPath} (which must not exist) as one raw
     * ext4 image, runtime-only guest paths scrubbed. The host never mounts it: a throwaway VM
     * reads it.
     *
     * @throws PyroException {@link ErrorCode#WORKSPACE_RUNNING}, {@link ErrorCode#ALREADY_EXISTS}
     */
    WorkspaceDiskExportResult exportWorkspaceDisk(String workspaceId, java.nio.file.Path outputPath);

    /**
     * Lists {@code path} (under {@code /workspace}; {@code null} for it) on a stopped
     * workspace's disk, read in a throwaway VM.
     *
     * @throws PyroException {@link ErrorCode#WORKSPACE_RUNNING}, {@link ErrorCode#NOT_FOUND},
     *                       {@link ErrorCode#PATH_OUTSIDE_WORKSPACE}
     */
    WorkspaceDiskListing listWorkspaceDisk(String workspaceId, String path, boolean recursive);

    /**
     * Reads at most {@code maxBytes} of a file on a stopped workspace's disk, in a throwaway VM.
     *
     * @throws PyroException {@link ErrorCode#WORKSPACE_RUNNING}, {@link ErrorCode#NOT_FOUND},
     *                       {@link ErrorCode#INVALID_ARGUMENT} (not a regular file; a limit out of range)
     */
    WorkspaceDiskRead readWorkspaceDisk(String workspaceId, String path, int maxBytes);
}
