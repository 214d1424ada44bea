package dev.pyro;

import java.util.List;

/**
 * The result of {@code pyro workspace patch apply}: every file of the patch was changed, or
 * (on any error) none was.
 *
 * @param workspaceId  the workspace
 * @param files        the files changed, in patch order
 * @param linesAdded   lines added in all
 * @param linesRemoved lines removed in all
 */
public record PatchApplyResult(String workspaceId, List<PatchedFile> files, int linesAdded, int linesRemoved) {
    public PatchApplyResult {
        files = List.copyOf(files);
    }
}
