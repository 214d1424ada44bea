package dev.pyro;

import java.util.List;

/**
 * The snapshots of a workspace: {@code baseline} first, then in the order they were taken.
 *
 * @param workspaceId the workspace
 * @param snapshots   its snapshots
 */
public record WorkspaceSnapshotList(String workspaceId, List<WorkspaceSnapshot> snapshots) {
    /** Copies. */
    public WorkspaceSnapshotList {
        snapshots = List.copyOf(snapshots);
    }
}
