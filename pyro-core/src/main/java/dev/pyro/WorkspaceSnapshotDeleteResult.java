package dev.pyro;

/**
 * A deleted snapshot.
 *
 * @param workspaceId the workspace
 * @param name        the snapshot that is gone
 * @param deleted     always {@code true}
 */
public record WorkspaceSnapshotDeleteResult(String workspaceId, String name, boolean deleted) {
}
