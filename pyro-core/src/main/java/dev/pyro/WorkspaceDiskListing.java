package dev.pyro;

import java.util.List;

/**
 * A listing of a stopped workspace's disk.
 *
 * @param workspaceId the workspace
 * @param path        the listed path, under {@code /workspace}
 * @param recursive   whether subdirectories were listed too
 * @param entries     the entries, at most {@code 100000}
 * @param truncated   whether there were more entries than were returned
 */
public record WorkspaceDiskListing(String workspaceId, String path, boolean recursive, List<WorkspaceDiskEntry> entries,
        boolean truncated) {
    /** Copies. */
    public WorkspaceDiskListing {
        entries = List.copyOf(entries);
    }
}
