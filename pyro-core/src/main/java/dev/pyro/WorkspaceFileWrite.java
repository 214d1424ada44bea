package dev.pyro;

/**
 * The result of {@code pyro workspace file write}.
 *
 * @param workspaceId the workspace
 * @param path        the file written, absolute under {@code /workspace}, symlinks resolved
 * @param bytes       bytes written
 * @param created     whether the file is new (its missing directories were created too)
 * @param mode        its permission bits (an existing file keeps its own; a new one gets 0644)
 */
public record WorkspaceFileWrite(String workspaceId, String path, long bytes, boolean created, int mode) {
}
