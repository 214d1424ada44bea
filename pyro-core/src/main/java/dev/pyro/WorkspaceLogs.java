package dev.pyro;

import java.util.List;

/**
 * A workspace's command journal, in sequence order.
 *
 * @param workspaceId the workspace
 * @param entries     every command started in it
 */
public record WorkspaceLogs(String workspaceId, List<WorkspaceCommand> entries) {
    /** Copies. */
    public WorkspaceLogs {
        entries = List.copyOf(entries);
    }
}
