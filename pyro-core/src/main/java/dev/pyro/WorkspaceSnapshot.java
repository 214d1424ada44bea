package dev.pyro;

import java.time.Instant;
import java.util.Objects;

/**
 * One named snapshot of a workspace's {@code /workspace}.
 *
 * @param workspaceId the workspace
 * @param name        the snapshot's name ({@code baseline} for the one taken at create)
 * @param createdAt   when it was taken
 */
public record WorkspaceSnapshot(String workspaceId, String name, Instant createdAt) {
    /** Validates. */
    public WorkspaceSnapshot {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
