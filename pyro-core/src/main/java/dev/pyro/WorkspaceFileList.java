package dev.pyro;

import java.util.List;

/**
 * The result of {@code pyro workspace file list}.
 *
 * @param workspaceId the workspace
 * @param path        the listed path, absolute under {@code /workspace}
 * @param recursive   whether subdirectories were listed too
 * @param entries     the entries, sorted by path; at most {@value #MAX_ENTRIES}
 * @param truncated   whether there were more entries than {@value #MAX_ENTRIES} (list a
 *                    subdirectory, or without {@code recursive}, to see the rest)
 */
public record WorkspaceFileList(String workspaceId, String path, boolean recursive, List<WorkspaceFileEntry> entries,
        boolean truncated) {
    /** The most entries one listing returns. */
    public static final int MAX_ENTRIES = 10_000;

    public WorkspaceFileList {
        entries = List.copyOf(entries);
    }
}
