package dev.pyro.workspace.store;

import java.nio.file.Path;
import java.util.List;

/**
 * The result of {@link WorkspaceStore#list()}: the readable workspaces, most recently
 * active first, and the directories that could not be read (reported, never fatal).
 *
 * @param workspaces readable records, by {@code last_activity_at} descending
 * @param unreadable workspace directories whose record is missing, corrupt or too new
 */
public record WorkspaceListing(List<WorkspaceRecord> workspaces, List<Unreadable> unreadable) {
    /** Copies. */
    public WorkspaceListing {
        workspaces = List.copyOf(workspaces);
        unreadable = List.copyOf(unreadable);
    }

    /**
     * A workspace directory whose record could not be read.
     *
     * @param workspaceId the directory name (a well-formed id)
     * @param dir         the directory
     * @param problem     one line saying what is wrong
     */
    public record Unreadable(String workspaceId, Path dir, String problem) {
    }
}
